#pragma once

#include <memory>

#include "hotline/local_clock.h"
#include "portal/config.h"

namespace db {
class Pool;
}

namespace portal {

// The whole portal wired together: pool, templates, services, routes, HTTP server.
// Construction loads and checks the templates (TemplateError) and the schema version
// (db::DbError) and, when configured, loads the demo data; it does not listen yet.
// `clock` is the portal's one source of the time of day (tests inject one). start()/stop() from
// one thread.
class App {
 public:
  explicit App(Config config, hotline::LocalClock clock = hotline::LocalClock());
  ~App();

  void start();
  int port() const;
  void stop();
  db::Pool& pool();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace portal
