// The portal's one executable: `portal serve` and the operator's commands.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "db/connection.h"
#include "db/error.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "hotline/calendar_service.h"
#include "portal/accounts/account_service.h"
#include "portal/app.h"
#include "portal/config.h"
#include "portal/crash_report.h"
#include "portal/demo/demo_data.h"
#include "portal/disclosure/decision_demo.h"
#include "portal/disclosure/decision_service.h"
#include "portal/disclosure/disclosure_demo.h"
#include "portal/indexing/reindex.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/list_import.h"
#include "templates/renderer.h"

extern char** environ;

namespace {

const char* kUsage =
    "usage: portal [--config FILE] [--set key=value ...] COMMAND\n"
    "\n"
    "commands:\n"
    "  serve            run the portal (default)\n"
    "  migrate          apply database migrations, then exit\n"
    "  seed-demo        load the demo departments and items into an empty database\n"
    "  check-templates  compile and render every template, then exit\n"
    "  schema-version   print the database's and this binary's schema versions\n"
    "  calendar-load FILE  load a State Council holiday notice (TSV), replacing the years\n"
    "                   it lists, and recompute provisional complaint deadlines\n"
    "  create-account USERNAME ROLE [DEPARTMENT]  a staff account (password on stdin)\n"
    "  reset-password USERNAME                    a new password (on stdin)\n"
    "  deactivate-account USERNAME                a member of staff who left: no more login,\n"
    "                   their sessions end at once (the account and its audit trail stay)\n"
    "  activate-account USERNAME                  allow a deactivated account to log in again\n"
    "  import DEPARTMENT FILE [--dry-run] [--supplement] --reason TEXT  a department's list\n"
    "                   from .xlsx, .xls or CSV as published; prints the column mapping it\n"
    "                   used (the one remembered for the department, else its guess).\n"
    "                   --supplement: a responsibility list for items already listed (matched\n"
    "                   by code or name; nothing created or cancelled, unmatched rows listed)\n"
    "  reindex          rebuild the search index from MariaDB into a new directory and swap\n"
    "                   it in; a running server follows without a restart\n"
    "\n"
    "Settings come from the defaults below, then FILE, then PORTAL_* environment variables,\n"
    "then --set. Settings and defaults:\n";

int serve(const portal::Config& config) {
  portal::installCrashReport();
  // Block the stop signals in every thread; main waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);
  // Shells and service managers often start us with 1,024 open files (soft) though far more
  // are allowed (hard); every client connection is one. Take what is allowed, as nginx's
  // worker_rlimit_nofile does; the server stays below whatever this ends at.
  constexpr rlim_t kWantedFiles = 65536;
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur < kWantedFiles &&
      files.rlim_cur < files.rlim_max) {
    files.rlim_cur = std::min(files.rlim_max, kWantedFiles);  // RLIM_INFINITY is the largest
    setrlimit(RLIMIT_NOFILE, &files);
  }

  for (const std::string& advice : portal::advisories(config))
    std::fprintf(stderr, "note: %s\n", advice.c_str());
  portal::App app(config);
  app.start();
  std::fprintf(stderr, "portal listening on http://%s:%d/\n", config.server.address.c_str(),
               app.port());
  int sig = 0;
  sigwait(&signals, &sig);
  std::fprintf(stderr, "signal %d: stopping\n", sig);
  app.stop();
  return 0;
}

// `portal import DEPARTMENT FILE [--dry-run] --reason TEXT`: a department's list from the file
// it has (.xlsx, .xls, CSV in UTF-8 or GBK). Non-interactive: uses the mapping remembered for
// the department, else the guess, and prints it with what was interpreted. Prints what would
// change and every wrong row; without --dry-run applies everything in one transaction, or
// nothing.
int importCommand(db::Pool& pool, const std::vector<std::string>& operands, bool dry_run,
                  bool supplement, const std::string& reason) {
  namespace pub = portal::publishing;
  if (operands.size() != 3) {
    std::cerr << "usage: portal import DEPARTMENT FILE [--dry-run] [--supplement] --reason TEXT\n";
    return 2;
  }
  const auto department = pub::CatalogService(pool).department(operands[1]);
  if (!department) {
    std::cerr << "no department " << operands[1] << "\n";
    return 1;
  }
  std::ifstream in(operands[2], std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << operands[2] << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  pub::ImportService imports(pool);
  pub::ImportReport report;
  const auto mode = supplement ? pub::ImportMode::Supplement : pub::ImportMode::Whole;
  if (dry_run) {
    report = imports.preview(department->id, buffer.str(), nullptr, mode);
  } else {
    if (reason.empty()) {
      std::cerr << "--reason is required: it is published with every new version\n";
      return 2;
    }
    const bool tty = isatty(fileno(stderr));
    pub::ApplyRequest request;
    request.reason = reason;
    request.mode = mode;
    request.progress = [tty](std::size_t done, std::size_t total) {
      if (tty) std::fprintf(stderr, "\r导入中：%zu / %zu", done, total);
    };
    auto audit = portal::accounts::auditEntryFor(portal::accounts::Actor::console());
    audit.action = "item.import";
    audit.department_id = department->id;
    audit.object_type = "department";
    audit.object_id = department->slug;
    request.audit = audit;
    report = imports.apply(department->id, buffer.str(), request);
    if (tty) std::fprintf(stderr, "\n");
  }
  if (report.format) {
    std::cerr << "文件：" << pub::fileFormatName(*report.format)
              << (report.sheet.empty() ? "" : "，工作表“" + report.sheet + "”") << "，读出 "
              << report.item_rows << " 行事项\n";
  }
  if (!report.mapping.empty()) std::cerr << "列的对应关系：\n";
  for (const auto& g : report.mapping) {
    std::cerr << "  " << g.header << " -> "
              << (g.field ? std::string(pub::listFieldName(*g.field)) : "不导入")
              << (g.chosen ? "（已确认）" : "") << "\n";
  }
  for (const auto& u : report.unknown_types) {
    std::cerr << "  类型“" << u.written << "”（" << u.rows << " 行） -> "
              << pub::itemTypeName(u.mapped_to) << (u.chosen ? "（已确认）" : "（默认）") << "\n";
  }
  if (report.encoding && report.format == pub::FileFormat::Csv) {
    std::cerr << "字符编码：" << pub::csvEncodingName(*report.encoding) << "\n";
  }
  for (const auto& w : report.warnings) std::cerr << "请注意：" << w << "\n";
  for (const auto& n : report.notes) std::cerr << "注：" << n << "\n";
  for (const auto& c : report.changes) {
    if (c.kind) std::cout << c.actionName() << "\t" << c.code << "\t" << c.name << "\n";
  }
  for (const auto& e : report.errors) std::cerr << e.describe() << "\n";
  if (!report.unmatched.empty()) {
    std::cerr << "未匹配 " << report.unmatched.size() << " 行（本部门没有对应事项，未导入）：\n";
  }
  for (const auto& u : report.unmatched) std::cerr << "  " << u.describe() << "\n";
  std::cerr << "新增 " << report.created << "，变更 " << report.amended << "，取消 "
            << report.cancelled << "，下放 " << report.delegated << "，无变化 " << report.unchanged
            << "；" << (report.ok() ? "" : "有错误，") << (report.applied ? "已写入" : "未写入")
            << "\n";
  return report.ok() ? 0 : 1;
}

// `portal create-account USERNAME ROLE [DEPARTMENT]` and `portal reset-password USERNAME`: the
// password comes from PORTAL_NEW_PASSWORD or the first line of standard input, never from the
// command line (which other users of the machine can see).
int accountCommand(db::Pool& pool, const portal::Config& config,
                   const std::vector<std::string>& operands) {
  namespace acc = portal::accounts;
  const bool create = operands[0] == "create-account";
  if ((create && (operands.size() < 3 || operands.size() > 4)) ||
      (!create && operands.size() != 2)) {
    std::cerr << "usage: portal create-account USERNAME editor|reviewer|admin [DEPARTMENT]\n"
                 "       portal reset-password USERNAME\n"
                 "(the password is read from PORTAL_NEW_PASSWORD or standard input)\n";
    return 2;
  }
  std::string password;
  if (const char* env = std::getenv("PORTAL_NEW_PASSWORD"); env && *env) {
    password = env;
  } else {
    std::getline(std::cin, password);
  }
  acc::AccountService accounts(pool, config.accounts);
  acc::ChangeResult result;
  if (create) {
    std::optional<std::int64_t> department;
    if (operands.size() == 4) {
      auto d = portal::publishing::CatalogService(pool).department(operands[3]);
      if (!d) {
        std::cerr << "no department " << operands[3] << "\n";
        return 1;
      }
      department = d->id;
    }
    result = accounts.createAccount(acc::Actor::console(),
                                    {operands[1], operands[1], password, operands[2], department});
  } else {
    auto account = accounts.accountByUsername(operands[1]);
    if (!account) {
      std::cerr << "no account " << operands[1] << "\n";
      return 1;
    }
    result = accounts.resetPassword(acc::Actor::console(), account->id, password);
  }
  for (const auto& e : result.errors) std::cerr << e.field << ": " << e.message << "\n";
  if (!result.ok()) return 1;
  std::cerr << (create ? "account created: " : "password reset: ") << operands[1] << "\n";
  return 0;
}

// `portal deactivate-account USERNAME` and `portal activate-account USERNAME`: a member of
// staff who left or changed post is shut out at once (sessions end); the account stays, as the
// audit log names it.
int accountActiveCommand(db::Pool& pool, const portal::Config& config,
                         const std::vector<std::string>& operands) {
  namespace acc = portal::accounts;
  const bool active = operands[0] == "activate-account";
  if (operands.size() != 2) {
    std::cerr << "usage: portal " << operands[0] << " USERNAME\n";
    return 2;
  }
  acc::AccountService accounts(pool, config.accounts);
  const auto account = accounts.accountByUsername(operands[1]);
  if (!account) {
    std::cerr << "no account " << operands[1] << "\n";
    return 1;
  }
  const acc::ChangeResult result = accounts.setActive(acc::Actor::console(), account->id, active);
  for (const auto& e : result.errors) std::cerr << e.message << "\n";
  if (!result.ok()) return 1;
  std::cerr << (active ? "account activated: " : "account deactivated, sessions ended: ")
            << operands[1] << "\n";
  return 0;
}

// `portal calendar-load FILE`: a State Council holiday notice (the shipped TSV's format) replaces
// the years it lists; deadlines that were provisional are recomputed in the same transaction.
int calendarLoad(db::Pool& pool, const std::string& path, const portal::Config& config) {
  db::checkSchema(*pool.acquire());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  hotline::CalendarService calendar(pool);
  const auto r = calendar.loadTsv(text.str(), hotline::CalendarLoadMode::ReplaceYears);
  if (!r.ok()) {
    for (const auto& e : r.errors) std::cerr << path << ": " << e.toString() << "\n";
    std::cerr << "nothing loaded\n";
    return 1;
  }
  std::cout << "loaded " << r.days_written << " day(s) for year(s)";
  for (int y : r.years_loaded) std::cout << " " << y;
  const std::size_t decisions =
      portal::disclosure::DecisionService(pool, calendar, config.disclosure)
          .recomputeProvisionalClocks();
  std::cout << "; provisional deadlines recomputed for " << r.complaints_recomputed
            << " complaint(s) and " << decisions << " enforcement decision(s)\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  portal::Config config;
  std::string command = "serve";
  std::vector<std::string> operands;  // the command and its arguments
  bool dry_run = false;               // import: preview only
  bool supplement = false;            // import: a responsibility list for listed items
  std::string reason;                 // import: the change reason recorded on every version
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    std::vector<std::string> overrides;
    std::string config_file;
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (args[i] == "--help" || args[i] == "-h" || args[i] == "help") {
        std::cout << kUsage << portal::configHelp();
        return 0;
      } else if (args[i] == "--config" && i + 1 < args.size()) {
        config_file = args[++i];
      } else if (args[i] == "--dry-run") {
        dry_run = true;
      } else if (args[i] == "--supplement") {
        supplement = true;
      } else if (args[i] == "--reason" && i + 1 < args.size()) {
        reason = args[++i];
      } else if (args[i] == "--set" && i + 1 < args.size()) {
        overrides.push_back(args[++i]);
      } else if (!args[i].empty() && args[i][0] != '-') {
        if (operands.empty()) command = args[i];
        operands.push_back(args[i]);
      } else {
        std::cerr << "unknown option " << args[i] << "\n" << kUsage;
        return 2;
      }
    }
    if (!config_file.empty()) portal::applyConfigFile(config, config_file);
    portal::applyEnvironment(config, environ);
    for (const auto& o : overrides) portal::applyOverride(config, o);
    portal::validate(config);
    portal::resolvePaths(config);
  } catch (const portal::ConfigError& e) {
    std::cerr << "configuration: " << e.what() << "\n";
    return 2;
  }

  db::initDriver();  // once, before any thread: Connector/C++'s init is not thread safe
  try {
    if (command == "serve") return serve(config);
    if (command == "check-templates") {
      templates::Renderer r(config.templates);
      std::cout << r.names().size() << " templates OK\n";
      return 0;
    }
    db::Pool pool(config.db);
    // Released (reset) before a command that takes its own connections from the pool: one
    // thread holding two leases is a nested acquire, refused in debug builds.
    std::optional<db::Lease> lease(pool.acquire());
    db::Connection* conn = &**lease;
    if (command == "migrate") {
      const int n = db::migrate(
          *conn, [](const db::Migration& m) { std::cerr << "applying " << m.name << "\n"; });
      std::cerr << n << " migration(s) applied; schema at version " << db::appliedVersion(*conn)
                << "\n";
      return 0;
    }
    if (command == "schema-version") {
      std::cout << "database " << db::appliedVersion(*conn) << ", binary "
                << db::latestKnownVersion() << "\n";
      return 0;
    }
    if (command == "seed-demo") {
      db::checkSchema(*conn);
      lease.reset();
      const auto r = portal::demo::loadDemoData(pool);
      if (!r.loaded) {
        std::cerr << "database already has departments; demo data not loaded\n";
        return 0;
      }
      std::cerr << "loaded " << r.departments << " departments and " << r.items << " items\n";
      // Only with the demo departments just loaded: never into a database someone uses.
      if (const int n = portal::disclosure::loadDemoDisclosures(pool); n > 0) {
        std::cerr << "loaded " << n << " enforcement disclosure sections\n";
      }
      // Publication clocks from the calendar in the database (the server loads the shipped
      // notices at start and then settles clocks that were provisional).
      hotline::CalendarService calendar(pool);
      if (const int n = portal::disclosure::loadShippedDemoDecisions(
              pool, *calendar.calendar(), config.disclosure, hotline::LocalClock().now().date);
          n > 0) {
        std::cerr << "loaded " << n << " enforcement decisions\n";
      }
      return 0;
    }
    if (command == "reindex") {
      db::checkSchema(*conn);
      lease.reset();
      const bool tty = isatty(fileno(stderr));
      const auto r = portal::indexing::reindex(
          pool, config.search.index_dir, [tty](std::uint64_t done, std::uint64_t total) {
            if (!tty && done != total) return;
            std::fprintf(stderr, "%s重建索引：%llu / %llu (%d%%)%s", tty ? "\r" : "",
                         static_cast<unsigned long long>(done),
                         static_cast<unsigned long long>(total),
                         total ? static_cast<int>(done * 100 / total) : 100, tty ? "" : "\n");
          });
      std::fprintf(stderr, "\n%llu documents indexed at log position %llu into %s\n",
                   static_cast<unsigned long long>(r.documents),
                   static_cast<unsigned long long>(r.snapshot_seq), r.dir.c_str());
      return 0;
    }
    if (command == "import") {
      db::checkSchema(*conn);
      lease.reset();
      return importCommand(pool, operands, dry_run, supplement, reason);
    }
    if (command == "create-account" || command == "reset-password") {
      db::checkSchema(*conn);
      lease.reset();
      return accountCommand(pool, config, operands);
    }
    if (command == "deactivate-account" || command == "activate-account") {
      db::checkSchema(*conn);
      lease.reset();
      return accountActiveCommand(pool, config, operands);
    }
    if (command == "calendar-load") {
      if (operands.size() != 2) {
        std::cerr << "usage: portal calendar-load FILE\n";
        return 2;
      }
      lease.reset();
      return calendarLoad(pool, operands[1], config);
    }
    std::cerr << "unknown command " << command << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "portal " << command << ": " << e.what() << "\n";
    return 1;
  }
}
