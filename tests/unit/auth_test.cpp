#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "auth/passwords.h"
#include "auth/permissions.h"
#include "auth/throttle.h"
#include "auth/tokens.h"
#include "test_support.h"

namespace kefu {
namespace {

using testing::PrincipalFor;

TEST(Permissions, AgentsWorkComplaintsButDoNotAdminister) {
  auto p = PrincipalFor(1, Role::kAgent, {10});
  EXPECT_TRUE(p.Can(Permission::kTicketsCreate));
  EXPECT_TRUE(p.Can(Permission::kTicketsReply));
  EXPECT_FALSE(p.Can(Permission::kTicketsAssign));
  EXPECT_FALSE(p.Can(Permission::kUsersManage));
  EXPECT_FALSE(p.Can(Permission::kTicketsReadAll));
}

TEST(Permissions, QaAndLiaisonsSeeMaskedContactData) {
  EXPECT_FALSE(PrincipalFor(1, Role::kQa).Can(Permission::kCustomersPii));
  EXPECT_FALSE(PrincipalFor(1, Role::kDepartmentLiaison, {}, 3).Can(Permission::kCustomersPii));
  EXPECT_TRUE(PrincipalFor(1, Role::kAgent).Can(Permission::kCustomersPii));
  EXPECT_EQ(MaskPhone("13812345678"), "138****5678");
  EXPECT_EQ(MaskEmail("zhang.wei@example.com"), "z***@example.com");
}

TEST(Permissions, TokenScopesNarrowTheRole) {
  auto perms = EffectivePermissions(Role::kAdmin, {"tickets.read"});
  EXPECT_TRUE(perms.test(static_cast<size_t>(Permission::kTicketsRead)));
  EXPECT_FALSE(perms.test(static_cast<size_t>(Permission::kTicketsCreate)));
  // A scope cannot add what the role lacks.
  auto agent = EffectivePermissions(Role::kAgent, {"users.manage"});
  EXPECT_FALSE(agent.test(static_cast<size_t>(Permission::kUsersManage)));
}

TEST(Visibility, AgentsSeeTheirTeamsAndTheirOwnComplaints) {
  auto agent = PrincipalFor(7, Role::kAgent, {10});
  Ticket team_ticket, other_team, assigned, shared;
  team_ticket.team_id = 10;
  other_team.team_id = 11;
  assigned.team_id = 11;
  assigned.assignee_id = 7;
  shared.team_id = 11;
  shared.collaborator_ids = {7};
  EXPECT_TRUE(CanSee(agent, team_ticket, {}));
  EXPECT_FALSE(CanSee(agent, other_team, {}));
  EXPECT_TRUE(CanSee(agent, assigned, {}));
  EXPECT_TRUE(CanSee(agent, shared, {}));
  EXPECT_TRUE(CanSee(PrincipalFor(8, Role::kSupervisor), other_team, {}));
}

TEST(Visibility, LiaisonsSeeOnlyWhatWasHandedToTheirDepartment) {
  auto liaison = PrincipalFor(9, Role::kDepartmentLiaison, {10}, 3);
  Ticket t;
  t.team_id = 10;
  Handoff to_logistics;
  to_logistics.department_id = 3;
  Handoff to_product;
  to_product.department_id = 4;
  EXPECT_FALSE(CanSee(liaison, t, {}));
  EXPECT_FALSE(CanSee(liaison, t, {to_product}));
  EXPECT_TRUE(CanSee(liaison, t, {to_logistics}));
  auto scope = ScopeFor(liaison);
  EXPECT_FALSE(scope.all);
  EXPECT_TRUE(scope.team_ids.empty());
  EXPECT_EQ(scope.department_id, 3);
}

TEST(Throttle, BlocksAfterTooManyFailuresUntilTheWindowPasses) {
  ManualClock clock(1'000'000);
  LoginThrottle t(clock, 3, 60'000);
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(t.RetryAfter("u:wang"));
    t.RecordFailure("u:wang");
  }
  auto wait = t.RetryAfter("u:wang");
  ASSERT_TRUE(wait);
  EXPECT_EQ(*wait, 60);
  EXPECT_FALSE(t.RetryAfter("u:li")) << "other accounts are not affected";
  clock.Advance(60'001);
  EXPECT_FALSE(t.RetryAfter("u:wang"));
}

TEST(Secrets, AreRandomAndHashedDeterministically) {
  auto a = NewSecret(), b = NewSecret();
  EXPECT_NE(a, b);
  EXPECT_GE(a.size(), 40u);
  EXPECT_EQ(HashSecret(a), HashSecret(a));
  EXPECT_NE(HashSecret(a), HashSecret(b));
  EXPECT_EQ(HashSecret(a).size(), 64u);
}

TEST(Passwords, VerifyOnlyTheRightPassword) {
  PasswordHasher h(1);
  auto hash = h.Hash("correct horse 电池");
  ASSERT_TRUE(hash);
  EXPECT_TRUE(hash->starts_with("$argon2id$"));
  EXPECT_TRUE(h.Verify(*hash, "correct horse 电池"));
  EXPECT_FALSE(h.Verify(*hash, "correct horse"));
  EXPECT_FALSE(CheckPasswordRules("short"));
}

TEST(Accounts, LoginIssuesATokenThatAuthenticatesUntilLogout) {
  testing::TempStore ts;
  ManualClock clock(1'700'000'000'000);
  AccountService accounts(*ts.store, clock);
  NewUser nu;
  nu.username = "wangfang";
  nu.display_name = "王芳";
  nu.role = Role::kAgent;
  nu.password = "s3cret-pass";
  ASSERT_TRUE(accounts.CreateUser(Actor{}, nu));
  EXPECT_EQ(accounts.Login("wangfang", "wrong-pass", "127.0.0.1").error().code, ErrorCode::kInvalidCredentials);
  auto login = accounts.Login("wangfang", "s3cret-pass", "127.0.0.1");
  ASSERT_TRUE(login) << login.error().message;
  auto p = accounts.Authenticate(login->token);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->user.username, "wangfang");
  EXPECT_TRUE(p->Can(Permission::kTicketsCreate));
  ASSERT_TRUE(accounts.Logout(*p, "127.0.0.1"));
  EXPECT_EQ(accounts.Authenticate(login->token).error().code, ErrorCode::kUnauthenticated);
  // Logins, failures and logouts are audited.
  std::vector<AuditEntry> audit;
  ASSERT_TRUE(ts.store->Read([&](ReadTx& tx) -> Status {
    KEFU_ASSIGN(audit, tx.ListAudit(std::nullopt, 10));
    return {};
  }));
  std::vector<std::string> actions;
  for (const auto& a : audit) actions.push_back(a.action);
  EXPECT_EQ(actions, (std::vector<std::string>{"logout", "login", "login_failed", "user.create"}));
}

TEST(Accounts, SessionsExpire) {
  testing::TempStore ts;
  ManualClock clock(1'700'000'000'000);
  AccountOptions o;
  o.session_ttl = 3'600'000;
  AccountService accounts(*ts.store, clock, o);
  NewUser nu{"lili", "李丽", Role::kAgent, "s3cret-pass", {}, {}, "zh-CN", "Asia/Shanghai"};
  ASSERT_TRUE(accounts.CreateUser(Actor{}, nu));
  auto login = accounts.Login("lili", "s3cret-pass", "10.0.0.1");
  ASSERT_TRUE(login);
  clock.Advance(3'600'001);
  EXPECT_FALSE(accounts.Authenticate(login->token));
}

TEST(Accounts, DisabledUsersCannotLogIn) {
  testing::TempStore ts;
  ManualClock clock(1'700'000'000'000);
  AccountService accounts(*ts.store, clock);
  NewUser nu{"zhao", "赵", Role::kAgent, "s3cret-pass", {}, {}, "zh-CN", "Asia/Shanghai"};
  ASSERT_TRUE(accounts.CreateUser(Actor{}, nu));
  UserPatch patch;
  patch.disabled = true;
  ASSERT_TRUE(accounts.UpdateUserByName(Actor{}, "zhao", patch));
  EXPECT_EQ(accounts.Login("zhao", "s3cret-pass", "10.0.0.1").error().code, ErrorCode::kInvalidCredentials);
}

TEST(Accounts, RejectsDuplicateAndMalformedUsernames) {
  testing::TempStore ts;
  ManualClock clock(0);
  AccountService accounts(*ts.store, clock);
  NewUser nu{"zhou", "周", Role::kAgent, "s3cret-pass", {}, {}, "zh-CN", "Asia/Shanghai"};
  ASSERT_TRUE(accounts.CreateUser(Actor{}, nu));
  EXPECT_EQ(accounts.CreateUser(Actor{}, nu).error().code, ErrorCode::kConflict);
  nu.username = "bad name";
  EXPECT_EQ(accounts.CreateUser(Actor{}, nu).error().field, "username");
}

}  // namespace
}  // namespace kefu
