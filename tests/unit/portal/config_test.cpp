#include "portal/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

using portal::Config;
using portal::ConfigError;

std::string writeTemp(const std::string& text) {
  char path[] = "/tmp/portal-config-test.XXXXXX";
  const int fd = mkstemp(path);
  close(fd);
  std::ofstream(path) << text;
  return path;
}

TEST(Config, FileThenEnvironmentThenOverride) {
  Config c;
  const std::string path = writeTemp(
      "# comment\n\nserver.port = 9000\nsite.name = 某区行政执法公示平台\ndb.pool_size=3\n");
  portal::applyConfigFile(c, path);
  std::remove(path.c_str());
  EXPECT_EQ(c.server.port, 9000);
  EXPECT_EQ(c.site.name, "某区行政执法公示平台");
  EXPECT_EQ(c.db.pool_size, 3);

  std::string e1 = "PORTAL_SERVER_PORT=9100", e2 = "PORTAL_DB_PASSWORD=secret", e3 = "OTHER=1";
  char* env[] = {e1.data(), e2.data(), e3.data(), nullptr};
  portal::applyEnvironment(c, env);
  EXPECT_EQ(c.server.port, 9100);
  EXPECT_EQ(c.db.password, "secret");

  portal::applyOverride(c, "server.port=9200");
  EXPECT_EQ(c.server.port, 9200);
  EXPECT_NO_THROW(portal::validate(c));
}

TEST(Config, NamesTheLineOfABadSetting) {
  Config c;
  const std::string path = writeTemp("server.port = 80\nserver.prot = 81\n");
  try {
    portal::applyConfigFile(c, path);
    FAIL() << "unknown key must be refused";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(":2:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("server.prot"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(Config, RefusesValuesThatCannotWork) {
  Config c;
  EXPECT_THROW(portal::applyOverride(c, "server.port=eighty"), ConfigError);
  EXPECT_THROW(portal::applyOverride(c, "demo.load=maybe"), ConfigError);
  portal::applyOverride(c, "server.workers=0");
  EXPECT_THROW(portal::validate(c), ConfigError);
}

// Regression: size keys were parsed as int and cast, so -1 became the largest size_t and
// passed the lower bound of validate().
TEST(Config, ASizeKeyRefusesANegativeNumberWithAClearMessage) {
  portal::Config c;
  try {
    portal::applyOverride(c, "server.max_request_bytes=-1");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("server.max_request_bytes"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("zero or more"), std::string::npos) << e.what();
  }
  EXPECT_EQ(c.server.max_request_bytes, portal::Config().server.max_request_bytes);
  EXPECT_THROW(portal::applyOverride(c, "server.page_cache_bytes=+5"), ConfigError);
  EXPECT_THROW(portal::applyOverride(c, "server.queue_limit=99999999999999999999999"), ConfigError);
  portal::applyOverride(c, "server.page_cache_bytes=5000000000");  // beyond int
  EXPECT_EQ(c.server.page_cache_bytes, 5000000000u);
}

TEST(Config, EnumKeysReadAndPrintTheirSpellings) {
  portal::Config c;
  portal::applyOverride(c, "sms.gateway.kind=jasmin");
  EXPECT_EQ(c.hotline.sms.gateway.kind, hotline::GatewayKind::Jasmin);
  portal::applyOverride(c, "sms.fallback.body_format=xml");
  EXPECT_EQ(c.hotline.sms.fallback.body_format, hotline::BodyFormat::Xml);
  try {
    portal::applyOverride(c, "accounts.hash_cost=cheap");
    FAIL() << "accepted";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "accounts.hash_cost: interactive, moderate or minimum: cheap");
  }
}

// Each Options struct checks its own fields (validate()), and the loader reports what they
// say: one bad value of each struct, refused with its key named.
TEST(Config, EachOptionsStructRefusesABadValueNamingTheKey) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"server.workers=0", "server.workers"},
      {"server.max_request_bytes=100", "server.max_request_bytes"},
      {"db.pool_size=0", "db.pool_size"},
      {"db.hosts=127.0.0.1:3307,db2", "db.hosts"},
      {"db.lock_wait_timeout_s=7200", "db.lock_wait_timeout_s"},
      {"search.feeder_poll_ms=1", "search.feeder_poll_ms"},
      {"officers.expiry_warning_days=400", "officers.expiry_warning_days"},
      {"hotline.ack_working_days=0", "hotline.ack_working_days"},
      {"hotline.registration_format={year}-{seq}", "hotline.registration_format"},
      {"hotline.registration_format={source}-{year}-{seq} x", "hotline.registration_format"},
      {"hotline.intake_phone_window_s=0", "hotline.intake_*_window_s"},
      {"hotline.tracking_failures_per_address=0", "hotline.tracking_failures_per_*"},
      {"disclosure.retention_days=0", "disclosure.retention_days"},
      {"sms.lease_ms=1000", "sms.lease_ms"},
      {"sms.gateway.timeout_ms=0", "sms.gateway timeouts"},
      {"sms.fallback.url=http://127.0.0.1:1401/send", "sms.fallback timeouts"},
      {"sms.gateway.method=DELETE", "sms.gateway.method"},
  };
  for (const auto& [setting, key] : cases) {
    SCOPED_TRACE(setting);
    Config c;
    // SMS on with a usable gateway, so that only the one bad value is wrong.
    portal::applyOverride(c, "sms.enabled=true");
    portal::applyOverride(c, "sms.gateway.kind=generic");
    portal::applyOverride(c, "sms.gateway.url=http://127.0.0.1:8080/send");
    portal::applyOverride(c, "sms.fallback.kind=generic");
    ASSERT_NO_THROW(portal::validate(c));
    portal::applyOverride(c, setting);
    if (setting.rfind("sms.fallback.url", 0) == 0) c.hotline.sms.fallback.timeout_ms = 0;
    try {
      portal::validate(c);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find(key), std::string::npos) << e.what();
    }
  }
}

// The values the keys themselves refuse, before any Options struct sees them: one of each
// kind of key (whole number, size, enum, true/false, list of numbers).
TEST(Config, EachKindOfKeyRefusesANonsenseValueNamingIt) {
  for (const char* setting :
       {"server.port=eighty", "server.max_request_bytes=-1", "accounts.hash_cost=cheap",
        "demo.load=maybe", "sms.gateway.permanent_statuses=400,4o4"}) {
    SCOPED_TRACE(setting);
    Config c;
    const std::string key = std::string(setting).substr(0, std::string(setting).find('='));
    try {
      portal::applyOverride(c, setting);
      ADD_FAILURE() << "accepted";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind(key + ": ", 0), 0u) << e.what();
    }
  }
  Config c;
  EXPECT_THROW(portal::applyOverride(c, "sms.gateway.permanent_statuses=500,x"), ConfigError);
  EXPECT_EQ(c.hotline.sms.gateway.permanent_statuses, (std::vector<int>{400, 422}))
      << "a refused list leaves the setting as it was";
  portal::applyOverride(c, "sms.gateway.permanent_statuses= 400 ,, 404 ");
  EXPECT_EQ(c.hotline.sms.gateway.permanent_statuses, (std::vector<int>{400, 404}));
  portal::applyOverride(c, "db.hosts=a:1, b:2");
  EXPECT_EQ(c.db.hosts, (std::vector<std::string>{"a:1", "b:2"}));
  EXPECT_NE(portal::configHelp().find("sms.gateway.permanent_statuses = 400,422"),
            std::string::npos);
}

// The operator reads at start-up what a valid configuration still leaves to chance.
TEST(Config, AnEmptyBaseUrlIsPointedOutAtStartUp) {
  portal::Config c;
  const auto advice = portal::advisories(c);
  ASSERT_EQ(advice.size(), 1u);
  EXPECT_NE(advice[0].find("site.base_url"), std::string::npos);
  portal::applyOverride(c, "site.base_url=https://zfgs.example.gov.cn");
  EXPECT_TRUE(portal::advisories(c).empty());
}

TEST(Config, HelpListsEveryKeyWithItsEnvironmentName) {
  const std::string help = portal::configHelp();
  EXPECT_NE(help.find("server.port = 0"), std::string::npos);
  EXPECT_NE(help.find("PORTAL_DB_SOCKET"), std::string::npos);
  EXPECT_NE(help.find("demo.load = false"), std::string::npos);
}

}  // namespace
