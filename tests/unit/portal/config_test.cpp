#include "portal/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

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

TEST(Config, HelpListsEveryKeyWithItsEnvironmentName) {
  const std::string help = portal::configHelp();
  EXPECT_NE(help.find("server.port = 0"), std::string::npos);
  EXPECT_NE(help.find("PORTAL_DB_SOCKET"), std::string::npos);
  EXPECT_NE(help.find("demo.load = false"), std::string::npos);
}

}  // namespace
