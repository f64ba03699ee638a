// The portal's one executable: `portal serve` and the operator's commands.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "db/connection.h"
#include "db/error.h"
#include "db/migrator.h"
#include "db/pool.h"
#include "portal/app.h"
#include "portal/config.h"
#include "portal/indexing/reindex.h"
#include "portal/publishing/demo_data.h"
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
    "  reindex          rebuild the search index from MariaDB into a new directory and swap\n"
    "                   it in; a running server follows without a restart\n"
    "\n"
    "Settings come from the defaults below, then FILE, then PORTAL_* environment variables,\n"
    "then --set. Settings and defaults:\n";

int serve(const portal::Config& config) {
  // Block the stop signals in every thread; main waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

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

}  // namespace

int main(int argc, char** argv) {
  portal::Config config;
  std::string command = "serve";
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
      } else if (args[i] == "--set" && i + 1 < args.size()) {
        overrides.push_back(args[++i]);
      } else if (!args[i].empty() && args[i][0] != '-') {
        command = args[i];
      } else {
        std::cerr << "unknown option " << args[i] << "\n" << kUsage;
        return 2;
      }
    }
    if (!config_file.empty()) portal::applyConfigFile(config, config_file);
    portal::applyEnvironment(config, environ);
    for (const auto& o : overrides) portal::applyOverride(config, o);
    portal::validate(config);
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
    auto conn = pool.acquire();
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
      const auto r = portal::publishing::loadDemoData(pool);
      if (r.loaded) {
        std::cerr << "loaded " << r.departments << " departments and " << r.items << " items\n";
      } else {
        std::cerr << "database already has departments; demo data not loaded\n";
      }
      return 0;
    }
    if (command == "reindex") {
      db::checkSchema(*conn);
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
    std::cerr << "unknown command " << command << "\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "portal " << command << ": " << e.what() << "\n";
    return 1;
  }
}
