#include <gtest/gtest.h>

#include "portal/config.h"

namespace portal {
namespace {

TEST(SmsConfig, OffByDefaultAndEveryGatewaySettingIsAKey) {
  Config c;
  EXPECT_FALSE(c.hotline.sms.enabled);
  EXPECT_NO_THROW(validate(c));  // no gateway needed while off
  for (const char* kv : {"sms.enabled=true", "sms.gateway.kind=generic",
                         "sms.gateway.url=http://127.0.0.1:8080/send", "sms.gateway.method=POST",
                         "sms.gateway.headers=Content-Type: application/json | X-Key: abc",
                         "sms.gateway.body={\"to\":\"{{to}}\",\"text\":\"{{text}}\"}",
                         "sms.gateway.body_format=json", "sms.gateway.permanent_statuses=400, 404",
                         "sms.gateway.message_id_json_key=data.id", "sms.signature=新区执法",
                         "sms.daily_limit_per_number=5", "sms.max_attempts=4",
                         "sms.template.accepted=已受理{number}"}) {
    applyOverride(c, kv);
  }
  const auto& s = c.hotline.sms;
  EXPECT_TRUE(s.enabled);
  EXPECT_EQ(s.gateway.kind, hotline::GatewayKind::Generic);
  EXPECT_EQ(s.gateway.headers,
            (std::vector<std::string>{"Content-Type: application/json", "X-Key: abc"}));
  EXPECT_EQ(s.gateway.body, "{\"to\":\"{{to}}\",\"text\":\"{{text}}\"}");
  EXPECT_EQ(s.gateway.permanent_statuses, (std::vector<int>{400, 404}));
  EXPECT_EQ(s.signature, "新区执法");
  EXPECT_EQ(s.daily_limit_per_number, 5);
  EXPECT_EQ(s.max_attempts, 4);
  EXPECT_EQ(s.templates.accepted, "已受理{number}");
  EXPECT_NO_THROW(validate(c));
  EXPECT_NE(configHelp().find("sms.gateway.url"), std::string::npos);
  EXPECT_THROW(applyOverride(c, "sms.gateway.kind=smpp"), ConfigError);
  EXPECT_THROW(applyOverride(c, "sms.gateway.body_format=yaml"), ConfigError);
}

TEST(SmsConfig, AnEnabledGatewayMustBeUsable) {
  Config c;
  c.hotline.sms.enabled = true;
  EXPECT_THROW(validate(c), ConfigError);  // no URL
  c.hotline.sms.gateway.url = "http://127.0.0.1:13013/cgi-bin/sendsms";
  EXPECT_NO_THROW(validate(c));
  c.hotline.sms.lease_ms = 1000;  // renewed every lease/3: too short to survive a busy moment
  EXPECT_THROW(validate(c), ConfigError);
  c.hotline.sms.lease_ms = 10000;
  c.hotline.sms.retry_window_s = 0;
  EXPECT_THROW(validate(c), ConfigError);
  c.hotline.sms.retry_window_s = 86400;
  c.hotline.sms.max_attempts = -1;
  EXPECT_THROW(validate(c), ConfigError);
  c.hotline.sms.max_attempts = 0;  // only the retry window ends retries
  EXPECT_NO_THROW(validate(c));
}

TEST(SmsConfig, OutageSettingsHaveDayLongDefaultsAndAreConfigurable) {
  Config c;
  EXPECT_EQ(c.hotline.sms.retry_window_s, 86400);
  EXPECT_EQ(c.hotline.sms.max_attempts, 0);
  EXPECT_LE(c.hotline.sms.lease_ms, 10000) << "a killed node's claims come back within seconds";
  applyOverride(c, "sms.retry_window_s=30");
  applyOverride(c, "sms.report_timeout_s=5");
  EXPECT_EQ(c.hotline.sms.retry_window_s, 30);
  EXPECT_EQ(c.hotline.sms.report_timeout_s, 5);
}

TEST(SmsConfig, EveryGatewayKeyHasAFallbackTwin) {
  Config c;
  EXPECT_TRUE(c.hotline.sms.fallback.url.empty());  // no fallback unless configured
  EXPECT_EQ(c.hotline.sms.fallback.name, "fallback");
  for (const char* kv :
       {"sms.enabled=true", "sms.gateway.url=http://127.0.0.1:13013/cgi-bin/sendsms",
        "sms.fallback.name=backup", "sms.fallback.kind=generic",
        "sms.fallback.url=http://127.0.0.1:8080/send", "sms.fallback.headers=X-Key: abc",
        "sms.fallback.permanent_statuses=400", "sms.fallback.timeout_ms=5000"}) {
    applyOverride(c, kv);
  }
  const auto& s = c.hotline.sms;
  EXPECT_EQ(s.fallback.name, "backup");
  EXPECT_EQ(s.fallback.kind, hotline::GatewayKind::Generic);
  EXPECT_EQ(s.fallback.url, "http://127.0.0.1:8080/send");
  EXPECT_EQ(s.fallback.headers, (std::vector<std::string>{"X-Key: abc"}));
  EXPECT_EQ(s.fallback.permanent_statuses, (std::vector<int>{400}));
  EXPECT_EQ(s.gateway.name, "primary");  // the primary is untouched
  EXPECT_EQ(s.gateway.kind, hotline::GatewayKind::Kannel);
  EXPECT_EQ(s.gateway.url, "http://127.0.0.1:13013/cgi-bin/sendsms");
  EXPECT_NE(configHelp().find("sms.fallback.url"), std::string::npos);
  EXPECT_NE(configHelp().find("(PORTAL_SMS_FALLBACK_PASSWORD)"), std::string::npos);
  EXPECT_THROW(applyOverride(c, "sms.fallback.kind=smpp"), ConfigError);
  applyOverride(c, "sms.fallback.hmac_header=X-Signature");
  applyOverride(c, "sms.fallback.hmac_key=k3y");
  EXPECT_EQ(s.fallback.hmac_header, "X-Signature");
  EXPECT_EQ(s.fallback.hmac_key, "k3y");
  EXPECT_TRUE(s.gateway.hmac_key.empty());
  applyOverride(c, "sms.fallback.kind=jasmin");
  EXPECT_EQ(s.fallback.kind, hotline::GatewayKind::Jasmin);
  EXPECT_NO_THROW(validate(c));
}

}  // namespace
}  // namespace portal
