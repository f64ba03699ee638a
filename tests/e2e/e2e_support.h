#pragma once

#include <httplib.h>

#include <memory>
#include <string>

#include "portal/app.h"
#include "portal/config.h"
#include "tests/support/test_database.h"

namespace e2e {

// The real portal on a free loopback port, over a fresh database with the demo data. When
// config.search.index_dir is empty it gets an index in a temporary folder, removed at the end.
class RunningPortal {
 public:
  explicit RunningPortal(portal::Config config);
  ~RunningPortal();
  int port() const { return app_->port(); }
  httplib::Client client() const;
  portal::App& app() { return *app_; }

 private:
  std::string temp_dir_;
  std::unique_ptr<portal::App> app_;
};

// A temporary folder removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Settings for a test server: port 0, quiet, the demo data loaded, the given database.
portal::Config testConfig(const db::Options& database);

// Sends `request` as bytes on a new connection and returns everything the server answered
// until it closed the connection (or 5 s passed).
std::string rawExchange(int port, const std::string& request);
// The status code of the first response in a raw answer, 0 if there is none.
int statusOf(const std::string& raw_response);

}  // namespace e2e
