// The kefu command: serve, migrate, user, demo, import, export, backup, version.
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "app/app.h"
#include "demo/bulk.h"
#include "demo/seed.h"
#include "nlp/evaluate.h"
#include "nlp/lexicon.h"
#include "transfer/jsonl.h"

namespace {

using namespace kefu;

int Die(const std::string& what, const Error& e) {
  std::cerr << "kefu: " << what << ": " << e.message << (e.field.empty() ? "" : " (" + e.field + ")") << "\n";
  return e.code == ErrorCode::kValidation ? 2 : 1;
}

std::string ReadPasswordFromStdin() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::unique_ptr<Runtime>> Open(const std::string& data, const std::string& config_file) {
  KEFU_ASSIGN(Config c, LoadConfig(config_file));
  if (!data.empty()) c.data_dir = data;
  return OpenRuntime(c);
}

// `kefu triage eval`: the emotion grader against the labelled set (the whole
// set in brief, then the dev split with the ids it gets wrong and the
// held-out test split without them), the targets judged on the test split;
// and the root-cause classifier on a held-out fifth of the store's history
// when a data directory is given.
int TriageEval(const std::string& set, const std::string& data, const std::string& config_file) {
  nlp::EmotionGrader grader(nlp::DefaultLexicon());
  auto all = nlp::EvaluateEmotion(set, grader);
  if (!all) return Die("triage eval " + set, all.error());
  auto dev = nlp::EvaluateEmotion(set, grader, "dev");
  auto test = nlp::EvaluateEmotion(set, grader, "test");
  if (!dev) return Die("triage eval " + set, dev.error());
  if (!test) return Die("triage eval " + set, test.error());
  auto brief = [](std::string_view name, const nlp::EmotionEval& e) {
    std::cout << fmt::format(
        "{:<5} {:4} messages  exact {:5.1f}%  within one {:5.1f}%  threat precision {:5.1f}%  recall {:5.1f}%\n",
        name, e.n, 100 * e.exact, 100 * e.within_one, 100 * e.threat_precision, 100 * e.threat_recall);
  };
  std::cout << "emotion grades, " << set << "\n";
  brief("all", *all);
  brief("dev", *dev);
  brief("test", *test);
  std::cout << "\ndev split (tuned on)\n" << nlp::FormatReport(*dev, nlp::MissedIds::kList);
  std::cout << "\ntest split (held out)\n" << nlp::FormatReport(*test, nlp::MissedIds::kHide) << "\n";
  // A set without a test split (another --set) is judged whole.
  const bool held_out = test->n > 0;
  const nlp::EmotionTargets targets;
  std::cout << fmt::format("targets on the {} (within one >= {:.2f}, threat recall >= {:.2f}, precision >= {:.2f}): {}\n",
                           held_out ? "held-out test split" : "whole set (it has no test split)", targets.within_one,
                           targets.threat_recall, targets.threat_precision,
                           nlp::MeetsTargets(held_out ? *test : *all, targets) ? "met" : "NOT met");
  if (data.empty()) return 0;
  auto rt = Open(data, config_file);
  if (!rt) return Die("open " + data, rt.error());
  auto eval = (*rt)->triage->EvaluateClassifier(0.2);
  if (!eval) return Die("classifier", eval.error());
  std::cout << "\nroot-cause classifier on the store's history (held-out 20%): " << boost::json::serialize(*eval)
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("kefu"));
  CLI::App app{"kefu — the customer-service command center"};
  app.require_subcommand(1);
  std::string config_file, data;
  app.add_option("--config", config_file, "TOML configuration file (see docs/configuration.md)");

  auto* serve = app.add_subcommand("serve", "run the HTTP server");
  std::string listen, web;
  serve->add_option("--data", data, "data directory");
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web", web, "directory of the built web app to serve");

  auto* migrate = app.add_subcommand("migrate", "create or upgrade the store in the data directory");
  migrate->add_option("--data", data, "data directory")->required();

  auto* user = app.add_subcommand("user", "manage accounts (the server must be stopped)");
  user->require_subcommand(1);
  std::string username, role, display_name, department;
  std::vector<std::string> teams;
  bool password_stdin = false;
  auto* user_add = user->add_subcommand("add", "create a user");
  user_add->add_option("--data", data, "data directory")->required();
  user_add->add_option("--username", username, "login name")->required();
  user_add->add_option("--role", role, "agent|team_lead|supervisor|director|qa|department_liaison|admin")->required();
  user_add->add_option("--display-name", display_name, "name shown to others");
  user_add->add_option("--team", teams, "team name (repeatable)");
  user_add->add_option("--department", department, "department key (liaisons)");
  user_add->add_flag("--password-stdin", password_stdin, "read the password from standard input")->required();
  auto* user_list = user->add_subcommand("list", "list users");
  user_list->add_option("--data", data, "data directory")->required();
  auto* user_passwd = user->add_subcommand("passwd", "set a user's password");
  user_passwd->add_option("--data", data, "data directory")->required();
  user_passwd->add_option("--username", username, "login name")->required();
  user_passwd->add_flag("--password-stdin", password_stdin, "read the password from standard input")->required();
  auto* user_disable = user->add_subcommand("disable", "disable a user (they can no longer log in)");
  user_disable->add_option("--data", data, "data directory")->required();
  user_disable->add_option("--username", username, "login name")->required();

  auto* demo = app.add_subcommand("demo", "demo data");
  demo->require_subcommand(1);
  auto* demo_seed = demo->add_subcommand("seed", "build a believable department with six months of complaints");
  int demo_tickets = 20000;
  bool if_empty = false;
  demo_seed->add_option("--data", data, "data directory")->required();
  demo_seed->add_option("--tickets", demo_tickets, "number of complaints (default 20000)")->check(CLI::Range(0, 5000000));
  demo_seed->add_flag("--if-empty", if_empty, "do nothing (and succeed) when the store already has complaints");

  auto* demo_bulk = demo->add_subcommand("bulk", "many plain complaints for load tests (bench/)");
  demo_bulk->add_option("--data", data, "data directory")->required();
  demo_bulk->add_option("--tickets", demo_tickets, "number of complaints")->check(CLI::Range(1, 10000000));
  int sla_due_seconds = 0, sla_after_seconds = 0;
  demo_bulk->add_option("--sla-due-within", sla_due_seconds,
                        "give open complaints SLA timers due over N seconds (timer benchmark)")
      ->check(CLI::Range(0, 86400 * 365));
  demo_bulk->add_option("--sla-due-after", sla_after_seconds, "… starting N seconds from now")
      ->check(CLI::Range(0, 86400 * 365));

  auto* import = app.add_subcommand("import", "import complaints from a JSONL file (docs/import-format.md)");
  std::string file;
  import->add_option("--data", data, "data directory")->required();
  import->add_option("FILE", file, "JSONL file, - for standard input")->required();

  auto* export_cmd = app.add_subcommand("export", "write every complaint as JSONL to standard output");
  export_cmd->add_option("--data", data, "data directory")->required();

  auto* backup = app.add_subcommand("backup", "write a consistent copy of the store to a file (safe while serving)");
  std::string to;
  backup->add_option("--data", data, "data directory")->required();
  backup->add_option("--to", to, "backup file to write")->required();

  auto* triage_cmd = app.add_subcommand("triage", "triage tools");
  triage_cmd->require_subcommand(1);
  auto* triage_eval = triage_cmd->add_subcommand(
      "eval", "emotion-grade accuracy on a labelled set, and root-cause accuracy on the store's history");
  std::string eval_set = "tests/data/emotion_eval.jsonl";
  triage_eval->add_option("--set", eval_set, "labelled messages (JSONL, see tests/data/emotion_labelling.md)");
  triage_eval->add_option("--data", data, "data directory: also evaluate the classifier on its history");

  app.add_subcommand("version", "print the version");

  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("version")) {
    std::cout << "kefu " << KEFU_VERSION << " (schema " << SchemaVersion() << ")\n";
    return 0;
  }

  if (serve->parsed()) {
    auto c = LoadConfig(config_file);
    if (!c) return Die("configuration", c.error());
    if (!data.empty()) c->data_dir = data;
    if (!listen.empty()) c->listen = listen;
    if (!web.empty()) c->web_dir = web;
    spdlog::set_level(spdlog::level::from_str(c->log_level));
    return Serve(*c);
  }

  if (backup->parsed() || export_cmd->parsed()) {
    // Readers share the data directory with a running server.
    SqliteOptions so;
    so.data_dir = data;
    so.lock_data_dir = false;
    so.read_connections = 1;
    if (!std::filesystem::exists(data + "/kefu.db")) {
      std::cerr << "kefu: no kefu store in " << data << "\n";
      return 1;
    }
    auto store = OpenSqliteStore(so);
    if (!store) return Die("open", store.error());
    if (backup->parsed()) {
      auto done = (*store)->Backup(to);
      if (!done) return Die("backup", done.error());
      std::cerr << "backup written to " << to << "\n";
      return 0;
    }
    SystemClock clock;
    AccountService accounts(**store, clock);
    auto exported = ExportJsonl(**store, std::cout);
    if (!exported) return Die("export", exported.error());
    std::cout.flush();
    auto audited = accounts.Audit(Actor{nullptr, "cli"}, "export", "tickets", "{}");
    if (!audited) return Die("audit", audited.error());
    return 0;
  }

  if (triage_eval->parsed()) return TriageEval(eval_set, data, config_file);

  auto rt = Open(data, config_file);
  if (!rt) return Die("open " + data, rt.error());
  Runtime& r = **rt;
  Actor cli{nullptr, "cli"};

  if (migrate->parsed()) {
    std::cout << "store in " << data << " is at schema version " << SchemaVersion() << "\n";
    return 0;
  }
  if (user_add->parsed()) {
    auto parsed_role = Parse<Role>(role);
    if (!parsed_role) return Die("user add", Error::Validation("role", "role must be one of " + AllowedNames<Role>()));
    NewUser u;
    u.username = username;
    u.display_name = display_name;
    u.role = *parsed_role;
    u.password = ReadPasswordFromStdin();
    auto cat = r.catalog->Get();
    if (!cat) return Die("user add", cat.error());
    for (const auto& name : teams) {
      auto it = std::ranges::find_if((*cat)->teams, [&](const Team& t) { return t.name == name; });
      if (it == (*cat)->teams.end()) return Die("user add", Error::Validation("team", "no team named " + name));
      u.team_ids.push_back(it->id);
    }
    if (!department.empty()) {
      auto* d = (*cat)->DepartmentByKey(department);
      if (!d) return Die("user add", Error::Validation("department", "no department " + department));
      u.department_id = d->id;
    }
    auto created = r.accounts->CreateUser(cli, u);
    if (!created) return Die("user add", created.error());
    std::cout << "created user " << created->username << " (id " << created->id << ", " << Name(created->role) << ")\n";
    return 0;
  }
  if (user_list->parsed()) {
    auto cat = r.catalog->Get();
    if (!cat) return Die("user list", cat.error());
    std::vector<const User*> users;
    for (const auto& [id, u] : (*cat)->users) users.push_back(&u);
    std::ranges::sort(users, {}, &User::id);
    for (auto* u : users)
      std::cout << u->id << "\t" << u->username << "\t" << Name(u->role) << "\t" << u->display_name
                << (u->disabled ? "\tdisabled" : "") << "\n";
    return 0;
  }
  if (user_passwd->parsed() || user_disable->parsed()) {
    UserPatch patch;
    if (user_passwd->parsed())
      patch.password = ReadPasswordFromStdin();
    else
      patch.disabled = true;
    auto updated = r.accounts->UpdateUserByName(cli, username, patch);
    if (!updated) return Die("user", updated.error());
    std::cout << (user_passwd->parsed() ? "password changed for " : "disabled ") << username << "\n";
    return 0;
  }
  if (demo_seed->parsed()) {
    DemoOptions o;
    o.tickets = demo_tickets;
    o.now = r.clock.Now();
    auto summary = SeedDemo(*r.store, *r.accounts, o);
    if (!summary) {
      if (if_empty && summary.error().code == ErrorCode::kConflict) {
        std::cout << "demo data already present; nothing to do\n";
        return 0;
      }
      return Die("demo seed", summary.error());
    }
    std::cout << "seeded " << summary->tickets << " complaints, " << summary->customers << " customers, "
              << summary->users << " users in " << summary->teams << " teams\n"
              << "log in as " << summary->admin_username << " / " << summary->admin_password << "\n";
    return 0;
  }
  if (demo_bulk->parsed()) {
    BulkOptions o;
    o.tickets = demo_tickets;
    o.now = r.clock.Now();
    o.sla_due_within = static_cast<Millis>(sla_due_seconds) * 1000;
    o.sla_due_after = static_cast<Millis>(sla_after_seconds) * 1000;
    auto n = BulkFill(*r.store, o);
    if (!n) return Die("demo bulk", n.error());
    std::cout << "wrote " << *n << " complaints\n";
    return 0;
  }
  if (import->parsed()) {
    std::ifstream f;
    std::istream* in = &std::cin;
    if (file != "-") {
      f.open(file);
      if (!f) {
        std::cerr << "kefu: cannot open " << file << "\n";
        return 1;
      }
      in = &f;
    }
    auto report = ImportJsonl(*r.store, *in);
    if (!report) return Die("import", report.error());
    for (const auto& e : report->errors) std::cerr << e << "\n";
    std::cout << "imported " << report->imported << ", already present " << report->skipped_existing << ", failed "
              << report->failed << "\n";
    return report->failed > 0 ? 1 : 0;
  }
  return 0;
}
