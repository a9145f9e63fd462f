#include <gtest/gtest.h>

#include "domain/lifecycle.h"

namespace kefu {
namespace {

using S = StateType;

TEST(Lifecycle, NewComplaintsCanBeWorkedAndResolvedButNotClosedDirectly) {
  EXPECT_TRUE(TransitionAllowed(S::kNew, S::kOpen));
  EXPECT_TRUE(TransitionAllowed(S::kNew, S::kResolved));
  EXPECT_TRUE(TransitionAllowed(S::kNew, S::kPendingCustomer));
  EXPECT_FALSE(TransitionAllowed(S::kNew, S::kClosed));
}

TEST(Lifecycle, ResolvedCanCloseOrReopen) {
  EXPECT_TRUE(TransitionAllowed(S::kResolved, S::kClosed));
  EXPECT_TRUE(TransitionAllowed(S::kResolved, S::kOpen));
  EXPECT_TRUE(IsReopen(S::kResolved, S::kOpen));
  EXPECT_FALSE(TransitionAllowed(S::kResolved, S::kPendingCustomer));
}

TEST(Lifecycle, ClosedAndMergedAreFinal) {
  for (auto to : {S::kNew, S::kOpen, S::kPendingCustomer, S::kPendingInternal, S::kResolved, S::kClosed, S::kMerged}) {
    EXPECT_FALSE(TransitionAllowed(S::kClosed, to));
    EXPECT_FALSE(TransitionAllowed(S::kMerged, to));
  }
  EXPECT_TRUE(AllowedTransitions(S::kClosed).empty());
}

TEST(Lifecycle, NothingReturnsToNewOrBecomesMergedByTransition) {
  for (auto from : {S::kNew, S::kOpen, S::kPendingCustomer, S::kPendingInternal, S::kResolved}) {
    EXPECT_FALSE(TransitionAllowed(from, S::kNew));
    EXPECT_FALSE(TransitionAllowed(from, S::kMerged));
  }
}

TEST(Enums, NamesRoundTrip) {
  EXPECT_EQ(Name(Channel::kWalkIn), "walk_in");
  EXPECT_EQ(Parse<Channel>("walk_in"), Channel::kWalkIn);
  EXPECT_FALSE(Parse<Channel>("fax"));
  EXPECT_EQ(AllowedNames<Severity>(), "severe|normal|suggestion");
}

}  // namespace
}  // namespace kefu
