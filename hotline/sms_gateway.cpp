#include "hotline/sms_gateway.h"

#include <curl/curl.h>
#include <sodium.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <vector>

#include "hotline/sms_text.h"

namespace hotline {
namespace {

constexpr std::size_t kMaxResponseBytes = 64 * 1024;
constexpr std::size_t kMaxIdSearchBytes = 2048;  // of the answer, for message_id_regex

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;
  std::string body;
  std::string basic_auth;  // "user:password", "" for none
  long connect_timeout_ms = 3000;
  long timeout_ms = 10000;
};

struct HttpAnswer {
  bool transport_ok = false;
  std::string transport_error;  // curl's message when !transport_ok
  long status = 0;
  std::string body;
};

std::size_t collect(char* data, std::size_t size, std::size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  const std::size_t bytes = size * n;
  if (body->size() < kMaxResponseBytes) {
    body->append(data, std::min(bytes, kMaxResponseBytes - body->size()));
  }
  return bytes;
}

void globalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// One request on its own handle. Redirects are not followed (a gateway that redirects is
// misconfigured; following could send credentials elsewhere).
HttpAnswer perform(const HttpRequest& req) {
  globalInit();
  HttpAnswer answer;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    answer.transport_error = "libcurl: cannot create a handle";
    return answer;
  }
  CURL* h = curl.get();
  char error[CURL_ERROR_SIZE] = {0};
  curl_slist* list = nullptr;
  for (const std::string& header : req.headers) list = curl_slist_append(list, header.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(list, curl_slist_free_all);

  curl_easy_setopt(h, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, req.timeout_ms);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &answer.body);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  if (headers) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  if (!req.basic_auth.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERPWD, req.basic_auth.c_str());
  }
  if (req.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
  } else if (req.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    if (!req.body.empty()) {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, req.body.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, static_cast<long>(req.body.size()));
    }
  }
  const CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    answer.transport_error = "curl " + std::to_string(static_cast<int>(rc)) + ": " +
                             (error[0] ? std::string(error) : curl_easy_strerror(rc));
    return answer;
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &answer.status);
  answer.transport_ok = true;
  return answer;
}

std::string describe(const HttpAnswer& a) {
  const std::string excerpt = printableExcerpt(a.body);
  return "HTTP " + std::to_string(a.status) + (excerpt.empty() ? "" : ": " + excerpt);
}

SendResult retry(std::string error) {
  SendResult r;
  r.outcome = SendResult::Outcome::Retry;
  r.error = std::move(error);
  return r;
}

// The gateway's URL with the account's query parameters (username, password, and from when
// set): the start of every GET-style send.
std::string accountUrl(const GatewayOptions& o) {
  std::string url = o.url + (o.url.find('?') == std::string::npos ? "?" : "&");
  url += "username=" + percentEncode(o.username);
  url += "&password=" + percentEncode(o.password);
  if (!o.from.empty()) url += "&from=" + percentEncode(o.from);
  return url;
}

// GETs `url` within the gateway's time limits.
HttpAnswer get(const GatewayOptions& o, std::string url) {
  HttpRequest req;
  req.url = std::move(url);
  req.connect_timeout_ms = o.connect_timeout_ms;
  req.timeout_ms = o.timeout_ms;
  return perform(req);
}

// An answer that is no success: 400 (the gateway refuses the message itself) is permanent,
// anything else is tried again.
SendResult failed(const HttpAnswer& a) {
  SendResult r;
  r.error = describe(a);
  r.outcome = a.status == 400 ? SendResult::Outcome::Permanent : SendResult::Outcome::Retry;
  return r;
}

// Kannel's sendsms interface. See STACK.md: Chinese needs both charset=UTF-8 and coding=2;
// 202 "0: Accepted for delivery" or "3: Queued for later delivery"; 400 a bad number, coding
// or charset (never retried); 403 bad credentials (retried: an operator may fix the
// configuration; the attempts run out otherwise). Kannel gives no message id.
class KannelGateway : public SmsGateway {
 public:
  explicit KannelGateway(GatewayOptions o) : o_(std::move(o)) {}

  SendResult send(const OutgoingSms& m) override {
    std::string url = accountUrl(o_);
    url += "&to=" + percentEncode(m.recipient);
    url += "&text=" + percentEncode(m.text);
    url += "&charset=UTF-8&coding=2";
    if (!m.dlr_url.empty()) {
      // %d is Kannel's placeholder for the report type; it must reach Kannel as is.
      const std::string report_url =
          m.dlr_url + (m.dlr_url.find('?') == std::string::npos ? "?" : "&") + "status=%d";
      url += "&dlr-mask=31&dlr-url=" + percentEncode(report_url);
    }
    const HttpAnswer a = get(o_, std::move(url));
    if (!a.transport_ok) return retry(a.transport_error);
    if (a.status == 202 || a.status == 200) {
      if (a.body.rfind("0:", 0) == 0 || a.body.rfind("3:", 0) == 0) {
        SendResult r;
        r.outcome = SendResult::Outcome::Accepted;
        return r;
      }
      return retry(describe(a));
    }
    return failed(a);
  }
  const std::string& name() const override { return o_.name; }

 private:
  GatewayOptions o_;
};

// Jasmin's HTTP API (GET /send). Delivery reports are asked for at level 3 by POST to our
// token URL, answered "ACK/Jasmin" (see portal/web/sms_pages.cpp). Chinese goes as coding=8
// with hex-content: the text in
// UCS-2 big-endian hex, so no charset is guessed anywhere. `to` is the number's digits without
// "+". 200 `Success "<message id>"` is accepted; 400 (a parameter Jasmin refuses, e.g. the
// number) is permanent; 403 (credentials, charging), 412 (no route), 5xx and anything else
// are retried.
class JasminGateway : public SmsGateway {
 public:
  explicit JasminGateway(GatewayOptions o) : o_(std::move(o)) {}

  SendResult send(const OutgoingSms& m) override {
    std::string url = accountUrl(o_);
    url += "&to=" + percentEncode(m.recipient.substr(m.recipient.rfind('+', 0) == 0 ? 1 : 0));
    url += "&coding=8&hex-content=" + ucs2HexText(m.text);
    if (!m.dlr_url.empty()) {
      // Level 3: the SMSC's answer to the submit (a refusal ends the message; no receipt would
      // follow) and the handset's receipt. POST keeps the report's fields, among them the
      // text's first 20 characters, out of access logs; Jasmin would also append "?id=..." to
      // a GET URL as if it had no query.
      url += "&dlr=yes&dlr-url=" + percentEncode(m.dlr_url) + "&dlr-level=3&dlr-method=POST";
    }
    const HttpAnswer a = get(o_, std::move(url));
    if (!a.transport_ok) return retry(a.transport_error);
    const std::string prefix = "Success \"";
    if (a.status == 200 && a.body.rfind(prefix, 0) == 0) {
      const std::size_t end = a.body.find('"', prefix.size());
      if (end != std::string::npos) {
        SendResult r;
        r.outcome = SendResult::Outcome::Accepted;
        r.message_id =
            printableExcerpt(a.body.substr(prefix.size(), end - prefix.size())).substr(0, 128);
        return r;
      }
    }
    return failed(a);
  }
  const std::string& name() const override { return o_.name; }

 private:
  GatewayOptions o_;
};

std::map<std::string, std::string> placeholderNames() {
  return {{"to", ""},       {"to_national", ""}, {"to_digits", ""}, {"text", ""},   {"from", ""},
          {"username", ""}, {"password", ""},    {"ref", ""},       {"dlr_url", ""}};
}

class GenericGateway : public SmsGateway {
 public:
  // `o` has passed GatewayOptions::validate() (makeGateway): url, method and regex are usable.
  explicit GenericGateway(GatewayOptions o) : o_(std::move(o)) {
    const auto names = placeholderNames();
    std::vector<const std::string*> parts = {&o_.url, &o_.body};
    for (const std::string& h : o_.headers) parts.push_back(&h);
    for (const std::string* p : parts) {
      if (auto unknown = unknownPlaceholder(*p, "{{", "}}", names)) {
        throw GatewayError("sms.gateway: unknown placeholder {{" + *unknown + "}}");
      }
    }
    if (!o_.hmac_header.empty() && sodium_init() < 0) {
      throw GatewayError("libsodium cannot initialise");
    }
    if (!o_.message_id_regex.empty()) {
        id_regex_ = std::regex(o_.message_id_regex, std::regex::ECMAScript);
    }
  }

  SendResult send(const OutgoingSms& m) override {
    const std::string national = m.recipient.rfind("+86", 0) == 0 ? m.recipient.substr(3) : "";
    const std::map<std::string, std::string> values = {
        {"to", m.recipient},
        {"to_national", national},
        {"to_digits", m.recipient.substr(m.recipient.rfind('+', 0) == 0 ? 1 : 0)},
        {"text", m.text},
        {"from", o_.from},
        {"username", o_.username},
        {"password", o_.password},
        {"ref", m.ref},
        {"dlr_url", m.dlr_url},
    };
    HttpRequest req;
    req.method = o_.method;
    req.url = substitute(o_.url, "{{", "}}", values, percentEncode);
    for (const std::string& h : o_.headers) {
      req.headers.push_back(headerSafe(substitute(h, "{{", "}}", values, headerSafe)));
    }
    req.body = substitute(o_.body, "{{", "}}", values, escaper());
    if (!o_.hmac_header.empty() && !o_.hmac_key.empty()) {
      req.headers.push_back(headerSafe(o_.hmac_header) + ": " + hmacHex(req.body));
    }
    if (o_.basic_auth) req.basic_auth = o_.username + ":" + o_.password;
    req.connect_timeout_ms = o_.connect_timeout_ms;
    req.timeout_ms = o_.timeout_ms;

    const HttpAnswer a = perform(req);
    if (!a.transport_ok) return retry(a.transport_error);
    SendResult r;
    r.error = describe(a);
    if (std::find(o_.permanent_statuses.begin(), o_.permanent_statuses.end(), a.status) !=
        o_.permanent_statuses.end()) {
      r.outcome = SendResult::Outcome::Permanent;
      return r;
    }
    const bool status_ok = a.status >= o_.success_status_min && a.status <= o_.success_status_max;
    const bool body_ok = o_.success_body_contains.empty() ||
                         a.body.find(o_.success_body_contains) != std::string::npos;
    if (!status_ok || !body_ok) return retry(r.error);
    r.outcome = SendResult::Outcome::Accepted;
    r.error.clear();
    r.message_id = extractId(a.body);
    return r;
  }
  const std::string& name() const override { return o_.name; }

 private:
  std::function<std::string(std::string_view)> escaper() const {
    switch (o_.body_format) {
      case BodyFormat::Json:
        return jsonEscape;
      case BodyFormat::Form:
        return percentEncode;
      case BodyFormat::Xml:
        return xmlEscape;
      case BodyFormat::Raw:
        break;
    }
    return [](std::string_view s) { return std::string(s); };
  }

  // HMAC-SHA256 of `body` under hmac_key, lowercase hex.
  std::string hmacHex(const std::string& body) const {
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(o_.hmac_key.data()),
                                o_.hmac_key.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                  body.size());
    crypto_auth_hmacsha256_final(&state, mac);
    char hex[2 * sizeof mac + 1];
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    return std::string(hex, 2 * sizeof mac);
  }

  std::string extractId(const std::string& body) const {
    std::string id;
    if (!o_.message_id_json_key.empty()) {
      const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
      const nlohmann::json* node = &doc;
      std::string path = o_.message_id_json_key;
      std::size_t start = 0;
      while (node && start <= path.size()) {
        const std::size_t dot = path.find('.', start);
        const std::string key =
            path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (!node->is_object() || !node->contains(key)) {
          node = nullptr;
          break;
        }
        node = &(*node)[key];
        if (dot == std::string::npos) break;
        start = dot + 1;
      }
      if (node && node->is_string()) id = node->get<std::string>();
      if (node && node->is_number_integer()) id = std::to_string(node->get<long long>());
    } else if (!o_.message_id_regex.empty()) {
      // std::regex recurses per character and can overflow the stack on a long answer; a
      // message id sits near the start of any sane one.
      const std::string head = body.substr(0, kMaxIdSearchBytes);
      std::smatch match;
      if (std::regex_search(head, match, id_regex_) && match.size() > 1) id = match[1].str();
    }
    return printableExcerpt(id).substr(0, 128);
  }

  GatewayOptions o_;
  std::regex id_regex_;
};

}  // namespace

std::unique_ptr<SmsGateway> makeGateway(const GatewayOptions& options) {
  globalInit();
  if (const std::string errors = options.validate(); !errors.empty()) throw GatewayError(errors);
  switch (options.kind) {
    case GatewayKind::Kannel:
      return std::make_unique<KannelGateway>(options);
    case GatewayKind::Jasmin:
      return std::make_unique<JasminGateway>(options);
    case GatewayKind::Generic:
      return std::make_unique<GenericGateway>(options);
  }
  throw GatewayError("unknown gateway kind");
}

}  // namespace hotline
