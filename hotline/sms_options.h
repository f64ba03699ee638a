#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace hotline {

enum class GatewayKind {
  Kannel,  // Kannel's sendsms (GET, charset=UTF-8&coding=2, our token in dlr-url)
  Jasmin,  // Jasmin's HTTP API /send (GET, coding=8 with hex-content in UCS-2)
  Generic  // any HTTP API: method, URL, headers and body with {{placeholders}}
};

// How values are escaped when substituted into a generic gateway's body.
enum class BodyFormat { Json, Form, Xml, Raw };

// One SMS gateway, reached over HTTP with libcurl. Every field states its default.
//
// Placeholders for the generic adapter's url, headers and body (unknown ones are refused when
// the gateway is built): {{to}} "+8613812345678", {{to_national}} "13812345678",
// {{to_digits}} "8613812345678", {{text}}, {{from}}, {{username}}, {{password}}, {{ref}} (our
// per-message token), {{dlr_url}} (the delivery-report URL for this message, "" when
// SmsOptions::dlr_base_url is empty). In the URL values are percent-encoded; in the body they
// are escaped for body_format (JSON string content, form encoding, XML text); in headers they
// are inserted as they are, with CR and LF removed.
struct GatewayOptions {
  std::string name = "primary";  // recorded on each message it accepted; shown to staff
  GatewayKind kind = GatewayKind::Kannel;
  // Kannel: the sendsms URL, e.g. "http://127.0.0.1:13013/cgi-bin/sendsms".
  // Jasmin: the send URL, e.g. "http://127.0.0.1:1401/send".
  // Generic: the request URL, placeholders allowed.
  std::string url;
  std::string username;
  std::string password;
  std::string from;  // sender number or name; "" leaves it to the gateway
  // Send username:password as HTTP Basic authentication (generic adapter).
  bool basic_auth = false;
  int connect_timeout_ms = 3000;
  int timeout_ms = 10000;  // the whole request, connect included

  // Generic adapter only.
  std::string method = "POST";       // GET or POST
  std::vector<std::string> headers;  // "Name: value" lines
  std::string body;                  // e.g. {"to":"{{to}}","text":"{{text}}"}
  BodyFormat body_format = BodyFormat::Json;
  // Accepted when the status is in [success_status_min, success_status_max] and, if not
  // empty, the body contains success_body_contains. Anything else is retried, except:
  int success_status_min = 200;
  int success_status_max = 299;
  std::string success_body_contains;
  // Statuses that mean "this message can never be sent" (a bad number): failed, not retried.
  std::vector<int> permanent_statuses = {400, 422};
  // The provider's message id: a JSON key path ("data.msgid") or else a regular expression
  // whose first group is the id (ECMAScript syntax). Both empty: no id is recorded.
  std::string message_id_json_key;
  std::string message_id_regex;
  // Signing: when both are set, header `hmac_header` carries the lowercase hex HMAC-SHA256
  // of the request body (as sent) under `hmac_key` (libsodium crypto_auth_hmacsha256).
  std::string hmac_header;  // e.g. "X-Signature"
  std::string hmac_key;

  // REQUIRES: url not empty; both timeouts >= 1; generic: method GET, POST or PUT, and
  // message_id_regex a valid ECMAScript expression. `key` is the configuration prefix the
  // messages name ("sms.gateway" or "sms.fallback"). Returns "" when those hold, else one line
  // per breach.
  std::string validate(const std::string& key = "sms.gateway") const;
};

// The Chinese text of each message, editable in configuration. Placeholders: {number}
// (registration number), {code} (tracking code, registration only), {reason}, {department},
// {note}, {result}. A free-text value is cut to SmsOptions::max_field_chars characters.
struct SmsTemplates {
  std::string registered =
      "您的投诉举报已登记，编号{number}，查询码{code}，请凭编号和查询码查询办理进度。";
  std::string accepted = "您的投诉举报{number}已受理。{note}";
  std::string rejected = "您的投诉举报{number}不予受理，理由：{reason}。";
  std::string transferred = "您的投诉举报{number}已移送{department}办理。";
  std::string progress = "您的投诉举报{number}有新的办理进展：{note}";
  std::string concluded =
      "您的投诉举报{number}已办结，办理结果：{result}。请凭编号和查询码对办理结果进行评价。";
};

// SMS to complainants: the outbox (written by ComplaintService) and its dispatcher.
struct SmsOptions {
  // false: no outbox rows are written and no dispatcher runs (messages would pile up and go
  // out late all at once when it is turned on).
  bool enabled = false;
  // The organisation's signature, sent first as 【signature】; required by Chinese carriers.
  std::string signature = "新区综合行政执法";
  SmsTemplates templates;
  std::size_t max_field_chars = 100;
  // Messages per recipient per Beijing calendar day, staff resends included; beyond it a new
  // message is recorded as failed ("daily limit") and not sent, and a resend is refused
  // unless staff override it (audited). Counted under a row lock (sms_recipient_days).
  int daily_limit_per_number = 10;
  // Public base URL the gateway calls back, e.g. "https://zfgs.example.gov.cn"; the report
  // goes to {dlr_base_url}/sms/dlr/{token} (Kannel's with ?status=%d; Jasmin's POSTed at
  // level 3; a generic gateway's {{dlr_url}} is the bare URL and its report must use Kannel's
  // `status` or Jasmin's fields). Empty: no delivery reports asked for, and a message counts
  // as final once sent (its tracking code is then scrubbed, see sms_outbox.h).
  std::string dlr_base_url;
  GatewayOptions gateway;
  // Tried once, in the same attempt, when `gateway` answers Retry (network error, timeout,
  // 5xx, garbage); the message records which of the two accepted it. Not used while its url is
  // empty (the default).
  GatewayOptions fallback = [] {
    GatewayOptions g;
    g.name = "fallback";
    return g;
  }();

  // Dispatcher.
  int workers = 1;      // threads per node
  int batch_size = 20;  // messages claimed per transaction
  int poll_ms = 500;    // idle wait between claims
  // How long a claim lasts without a heartbeat; a row still sending after this (its node
  // died) is claimed again. A running dispatcher renews the claims it holds every
  // lease_ms / 3, so a slow send is not taken over, and a killed node's claims come back
  // within lease_ms. runOnce() without start() has no heartbeat: then lease_ms must exceed
  // the gateway's timeout.
  int lease_ms = 10000;
  // Retries go on for this long after the message is written (or resent), however many
  // attempts that takes; then it is failed (a staff resend allows as long again).
  int retry_window_s = 86400;
  int max_attempts = 0;        // > 0: also failed after this many attempts; 0: no such limit
  int backoff_base_ms = 2000;  // retry n waits base * 2^(n-1), with jitter, at most:
  int backoff_max_ms = 600000;
  // A message sent this long ago whose final delivery report has not come is shown to staff
  // as overdue and counted in /metrics (only when dlr_base_url asks for reports).
  int report_timeout_s = 7200;

  // REQUIRES, only when enabled: a usable gateway (GatewayOptions::validate), and a fallback
  // one when its url is set; daily_limit_per_number, workers, batch_size, retry_window_s,
  // report_timeout_s >= 1; poll_ms >= 10; lease_ms >= 1500 (the heartbeat renews claims every
  // lease_ms / 3: a shorter lease lapses between two renewals on a busy database);
  // max_attempts >= 0; 1 <= backoff_base_ms <= backoff_max_ms. Returns "" when those hold,
  // else one line per breach naming its configuration key (sms.*).
  std::string validate() const;
};

}  // namespace hotline
