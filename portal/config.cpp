#include "portal/config.h"

#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

namespace portal {

namespace {

struct Key {
  const char* name;
  const char* help;
  std::function<void(Config&, const std::string&)> set;
  std::function<std::string(const Config&)> get;
};

int toInt(const std::string& key, const std::string& v) {
  try {
    std::size_t used = 0;
    const int n = std::stoi(v, &used);
    if (used != v.size()) throw std::invalid_argument(v);
    return n;
  } catch (const std::exception&) {
    throw ConfigError(key + ": not a whole number: " + v);
  }
}

// A size: digits only, no sign ("-1" must not wrap to the largest size_t and pass a lower
// bound), within size_t.
std::size_t toSize(const std::string& key, const std::string& v) {
  const bool digits = !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) throw ConfigError(key + ": expected a whole number of zero or more: " + v);
  try {
    const unsigned long long n = std::stoull(v);
    if (n > std::numeric_limits<std::size_t>::max()) throw std::out_of_range(v);
    return static_cast<std::size_t>(n);
  } catch (const std::exception&) {
    throw ConfigError(key + ": too large: " + v);
  }
}

// One enum key's spellings, in the order the help and the error message list them.
template <typename E>
using Spellings = std::vector<std::pair<E, const char*>>;

template <typename E>
E parseEnum(const char* key, const std::string& v, const Spellings<E>& spellings) {
  for (const auto& [value, name] : spellings) {
    if (v == name) return value;
  }
  std::string choices;
  for (std::size_t i = 0; i < spellings.size(); ++i) {
    choices += (i == 0 ? "" : i + 1 == spellings.size() ? " or " : ", ");
    choices += spellings[i].second;
  }
  throw ConfigError(std::string(key) + ": " + choices + ": " + v);
}

template <typename E>
std::string printEnum(E value, const Spellings<E>& spellings) {
  for (const auto& [e, name] : spellings) {
    if (e == value) return name;
  }
  return spellings.back().second;
}

const Spellings<accounts::HashCost>& hashCosts() {
  static const Spellings<accounts::HashCost> s{{accounts::HashCost::Interactive, "interactive"},
                                               {accounts::HashCost::Moderate, "moderate"},
                                               {accounts::HashCost::Minimum, "minimum"}};
  return s;
}
const Spellings<hotline::GatewayKind>& gatewayKinds() {
  static const Spellings<hotline::GatewayKind> s{{hotline::GatewayKind::Kannel, "kannel"},
                                                 {hotline::GatewayKind::Jasmin, "jasmin"},
                                                 {hotline::GatewayKind::Generic, "generic"}};
  return s;
}
const Spellings<hotline::BodyFormat>& bodyFormats() {
  static const Spellings<hotline::BodyFormat> s{{hotline::BodyFormat::Json, "json"},
                                                {hotline::BodyFormat::Form, "form"},
                                                {hotline::BodyFormat::Xml, "xml"},
                                                {hotline::BodyFormat::Raw, "raw"}};
  return s;
}

bool toBool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw ConfigError(key + ": expected true or false: " + v);
}

#define STR_KEY(NAME, FIELD, HELP)                                    \
  Key {                                                               \
    NAME, HELP, [](Config& c, const std::string& v) { c.FIELD = v; }, \
        [](const Config& c) { return std::string(c.FIELD); }          \
  }
#define INT_KEY(NAME, FIELD, HELP)                                                 \
  Key {                                                                            \
    NAME, HELP, [](Config& c, const std::string& v) { c.FIELD = toInt(NAME, v); }, \
        [](const Config& c) { return std::to_string(c.FIELD); }                    \
  }
#define SIZE_KEY(NAME, FIELD, HELP)                             \
  Key {                                                         \
    NAME, HELP,                                                 \
        [](Config& c, const std::string& v) {                   \
          c.FIELD = toSize(NAME, v);                            \
        },                                                      \
        [](const Config& c) { return std::to_string(c.FIELD); } \
  }
#define ENUM_KEY(NAME, FIELD, HELP, SPELLINGS)                                              \
  Key {                                                                                     \
    NAME, HELP,                                                                             \
        [](Config& c, const std::string& v) { c.FIELD = parseEnum(NAME, v, SPELLINGS()); }, \
        [](const Config& c) { return printEnum(c.FIELD, SPELLINGS()); }                     \
  }
// A list: entries between `SEP`, trimmed, empty ones dropped; each parsed as the field's
// element type (text or whole numbers) and printed back joined by `SEP`.
#define LIST_KEY(NAME, FIELD, SEP, HELP)                                                   \
  Key {                                                                                    \
    NAME, HELP, [](Config& c, const std::string& v) { parseList(NAME, v, SEP, c.FIELD); }, \
        [](const Config& c) { return printList(c.FIELD, SEP); }                            \
  }
#define BOOL_KEY(NAME, FIELD, HELP)                                                 \
  Key {                                                                             \
    NAME, HELP, [](Config& c, const std::string& v) { c.FIELD = toBool(NAME, v); }, \
        [](const Config& c) { return std::string(c.FIELD ? "true" : "false"); }     \
  }

std::string trim(const std::string& s);

std::string listEntry(const char*, const std::string& v, const std::string*) { return v; }
int listEntry(const char* key, const std::string& v, const int*) { return toInt(key, v); }
std::string printEntry(const std::string& v) { return v; }
std::string printEntry(int v) { return std::to_string(v); }

template <typename T>
void parseList(const char* key, const std::string& v, char sep, std::vector<T>& out) {
  std::vector<T> entries;
  std::string entry;
  std::istringstream in(v);
  while (std::getline(in, entry, sep)) {
    entry = trim(entry);
    if (!entry.empty()) entries.push_back(listEntry(key, entry, static_cast<const T*>(nullptr)));
  }
  out = std::move(entries);
}

template <typename T>
std::string printList(const std::vector<T>& entries, char sep) {
  std::string out;
  for (const auto& e : entries) out += (out.empty() ? "" : std::string(1, sep)) + printEntry(e);
  return out;
}

// Adds sms.fallback.* for every sms.gateway.* key: the same parsing, applied to
// SmsOptions::fallback. Called once, from keys()'s static initializer.
std::vector<Key> withFallbackKeys(std::vector<Key> keys) {
  static std::deque<std::string> names;  // stable storage for Key::name
  const std::string primary = "sms.gateway.";
  std::vector<Key> fallback;
  for (const Key& k : keys) {
    if (std::string_view(k.name).substr(0, primary.size()) != primary) continue;
    names.push_back("sms.fallback." + std::string(k.name + primary.size()));
    fallback.push_back(Key{names.back().c_str(), k.help,
                           [set = k.set](Config& c, const std::string& v) {
                             Config scratch;
                             scratch.hotline.sms.gateway = c.hotline.sms.fallback;
                             set(scratch, v);
                             c.hotline.sms.fallback = std::move(scratch.hotline.sms.gateway);
                           },
                           [get = k.get](const Config& c) {
                             Config scratch;
                             scratch.hotline.sms.gateway = c.hotline.sms.fallback;
                             return get(scratch);
                           }});
  }
  keys.insert(keys.end(), fallback.begin(), fallback.end());
  return keys;
}

const std::vector<Key>& keys() {
  static const std::vector<Key> all = withFallbackKeys({
      STR_KEY("server.address", server.address, "address to listen on (keep it loopback)"),
      INT_KEY("server.port", server.port, "port to listen on; 0 picks a free one"),
      INT_KEY("server.io_threads", server.io_threads, "HTTP reactor threads"),
      INT_KEY("server.workers", server.workers, "threads for handlers that use the database"),
      SIZE_KEY("server.queue_limit", server.queue_limit, "queued requests before 503"),
      SIZE_KEY("server.max_request_bytes", server.max_request_bytes,
               "largest request (headers and body); nginx allows less"),
      SIZE_KEY("server.max_upload_bytes", server.max_upload_request_bytes,
               "largest complaint form with evidence files (5 x 10 MiB and the fields)"),
      SIZE_KEY("server.max_target_bytes", server.max_target_bytes, "longest URL path and query"),
      INT_KEY("server.header_timeout_s", server.header_timeout_s, "seconds to receive headers"),
      INT_KEY("server.body_timeout_s", server.body_timeout_s, "seconds to receive the body"),
      INT_KEY("server.keepalive_timeout_s", server.keepalive_timeout_s,
              "seconds an idle keep-alive connection stays open"),
      SIZE_KEY("server.max_connections", server.max_connections,
               "open client connections at most (within the open-file limit)"),
      BOOL_KEY("server.log_requests", server.log_requests, "log one line per request"),
      SIZE_KEY("server.page_cache_bytes", server.page_cache_bytes,
               "bytes of rendered public pages kept in memory; 0 turns the cache off"),
      INT_KEY("server.page_cache_max_age_s", server.page_cache_max_age_s,
              "seconds before a cached page is rendered again even if nothing changed"),
      STR_KEY("db.host", db.host, "MariaDB host (TCP)"),
      INT_KEY("db.port", db.port, "MariaDB port"),
      LIST_KEY("db.hosts", db.hosts, ',',
               "comma-separated host:port (or socket path) of Galera nodes, writer first; "
               "failover"),
      INT_KEY("db.failback_check_ms", db.failback_check_ms,
              "with db.hosts: milliseconds between checks whether an earlier host is back"),
      STR_KEY("db.socket", db.socket, "MariaDB unix socket; used instead of host:port if set"),
      STR_KEY("db.user", db.user, "MariaDB user"),
      STR_KEY("db.password", db.password, "MariaDB password (prefer PORTAL_DB_PASSWORD)"),
      STR_KEY("db.schema", db.schema, "database name"),
      INT_KEY("db.pool_size", db.pool_size, "connections at most"),
      INT_KEY("db.connect_timeout_s", db.connect_timeout_s, "seconds to connect"),
      INT_KEY("db.read_timeout_s", db.read_timeout_s, "seconds to wait for a query"),
      INT_KEY("db.lock_wait_timeout_s", db.lock_wait_timeout_s,
              "seconds a statement waits for a row lock (0: the server's setting)"),
      INT_KEY("db.acquire_timeout_ms", db.acquire_timeout_ms,
              "milliseconds to wait for a free connection before 503"),
      STR_KEY("templates.dir", templates.dir,
              "read templates from this folder at each render (development); empty: built-in"),
      STR_KEY("site.name", site.name, "portal name shown on every page"),
      STR_KEY("site.owner", site.owner, "organisation shown in the footer"),
      STR_KEY("site.base_url", site.base_url, "public base URL, e.g. https://zfgs.example.gov.cn"),
      STR_KEY("data_dir", data_dir,
              "the instance's folder for files written at run time (index, tracking key)"),
      STR_KEY("site.site_code", site.site_code, "网站标识码 shown in the footer; empty: not shown"),
      STR_KEY("site.icp_record", site.icp_record,
              "ICP备案号 shown in the footer; empty: not shown"),
      STR_KEY("site.police_record", site.police_record,
              "公安备案号 shown in the footer; empty: not shown"),
      STR_KEY("site.contact_address", site.contact_address,
              "postal address on 联系我们 (/contact)"),
      STR_KEY("site.contact_phone", site.contact_phone, "telephone on 联系我们 (/contact)"),
      STR_KEY("site.contact_email", site.contact_email, "e-mail on 联系我们 (/contact)"),
      STR_KEY("site.citizen_hotline", site.citizen_hotline,
              "the citizens' service hotline named on every page (12345); empty: not named"),
      STR_KEY("search.index_dir", search.index_dir,
              "the search index (a symlink to its current build); empty: DATA_DIR/index"),
      STR_KEY("hotline.tracking_key_file", tracking_key_file,
              "key file of the tracking codes' hash; empty: tracking-code.key beside the index"),
      INT_KEY("search.feeder_poll_ms", search.feeder_poll_ms,
              "milliseconds between reads of the search change log"),
      INT_KEY("officers.expiry_warning_days", officers.expiry_warning_days,
              "days before a certificate's inspection is due that it shows as expiring"),
      ENUM_KEY("accounts.hash_cost", accounts.hash_cost,
               "argon2id cost: interactive (default), moderate, or minimum (tests only)",
               hashCosts),
      Key{"accounts.session_idle_minutes",
          "minutes without a request after which a staff session ends",
          [](Config& c, const std::string& v) {
            c.accounts.session_idle_timeout =
                std::chrono::minutes(toInt("accounts.session_idle_minutes", v));
          },
          [](const Config& c) {
            return std::to_string(
                std::chrono::duration_cast<std::chrono::minutes>(c.accounts.session_idle_timeout)
                    .count());
          }},
      STR_KEY("hotline.registration_format", hotline.registration_format,
              "complaint registration number: {source}, {year}, {seq} or {seq:N}"),
      INT_KEY("hotline.ack_working_days", hotline.ack_working_days,
              "working days to tell a complainant whether the complaint is accepted"),
      INT_KEY("hotline.handling_working_days", hotline.handling_working_days,
              "working days from receipt to conclude an accepted complaint"),
      INT_KEY("hotline.review_working_days", hotline.review_working_days,
              "working days from reopening (不满意) to finish the review; set by the legal office"),
      INT_KEY("hotline.tracking_failures_per_number", tracking.max_failures_per_number,
              "wrong tracking lookups per registration number from one client address per 15 minutes"),
      INT_KEY("hotline.tracking_failures_per_number_total", tracking.max_failures_per_number_total,
              "wrong tracking lookups per registration number from all addresses per 15 minutes"),
      INT_KEY("hotline.tracking_failures_per_address", tracking.max_failures_per_address,
              "wrong tracking lookups per client address per 15 minutes"),
      INT_KEY("disclosure.penalty_publish_working_days", disclosure.penalty_publish_working_days,
              "working days after a penalty decision within which it must be published"),
      INT_KEY("disclosure.other_publish_working_days", disclosure.other_publish_working_days,
              "working days after another enforcement decision within which it is published"),
      INT_KEY("disclosure.withdraw_working_days", disclosure.withdraw_working_days,
              "working days after a decision is changed or revoked to withdraw it"),
      INT_KEY("disclosure.retention_days", disclosure.retention_days,
              "days a published decision stays on the public pages"),
      BOOL_KEY("sms.enabled", hotline.sms.enabled,
               "send SMS to complainants (outbox rows and the dispatcher); off: neither"),
      STR_KEY("sms.signature", hotline.sms.signature, "signature sent first as 【...】"),
      INT_KEY("sms.daily_limit_per_number", hotline.sms.daily_limit_per_number,
              "messages per number per day; beyond it they are recorded as failed, not sent"),
      STR_KEY("sms.dlr_base_url", hotline.sms.dlr_base_url,
              "public base URL for delivery reports (/sms/dlr/<token>); empty: none asked for"),
      INT_KEY("sms.max_attempts", hotline.sms.max_attempts,
              "gateway attempts before a message is marked failed; 0: only the retry window"),
      INT_KEY("sms.workers", hotline.sms.workers, "dispatcher threads on this node"),
      INT_KEY("sms.batch_size", hotline.sms.batch_size, "messages claimed per transaction"),
      INT_KEY("sms.poll_ms", hotline.sms.poll_ms, "milliseconds between outbox reads when idle"),
      INT_KEY("sms.lease_ms", hotline.sms.lease_ms,
              "milliseconds a claim lasts before another node may take the message over"),
      INT_KEY("sms.backoff_base_ms", hotline.sms.backoff_base_ms,
              "first retry delay; doubled per attempt, with jitter"),
      INT_KEY("sms.backoff_max_ms", hotline.sms.backoff_max_ms, "longest retry delay"),
      STR_KEY("sms.template.registered", hotline.sms.templates.registered,
              "text at registration: {number} {code}"),
      STR_KEY("sms.template.accepted", hotline.sms.templates.accepted,
              "text at acceptance: {number} {note}"),
      STR_KEY("sms.template.rejected", hotline.sms.templates.rejected,
              "text at rejection: {number} {reason}"),
      STR_KEY("sms.template.transferred", hotline.sms.templates.transferred,
              "text at transfer: {number} {department}"),
      STR_KEY("sms.template.progress", hotline.sms.templates.progress,
              "text of a public progress note: {number} {note}"),
      STR_KEY("sms.template.concluded", hotline.sms.templates.concluded,
              "text at conclusion, asking for a rating: {number} {result}"),
      STR_KEY("sms.gateway.name", hotline.sms.gateway.name, "gateway name shown to staff"),
      ENUM_KEY("sms.gateway.kind", hotline.sms.gateway.kind,
               "kannel (sendsms), jasmin (HTTP API /send) or generic (configured HTTP request)",
               gatewayKinds),
      STR_KEY("sms.gateway.url", hotline.sms.gateway.url,
              "kannel: the sendsms URL; generic: the request URL ({{placeholders}} allowed)"),
      STR_KEY("sms.gateway.username", hotline.sms.gateway.username, "gateway user"),
      STR_KEY("sms.gateway.password", hotline.sms.gateway.password,
              "gateway password (prefer PORTAL_SMS_GATEWAY_PASSWORD)"),
      STR_KEY("sms.gateway.from", hotline.sms.gateway.from, "sender; empty: the gateway's"),
      BOOL_KEY("sms.gateway.basic_auth", hotline.sms.gateway.basic_auth,
               "generic: send username and password as HTTP Basic authentication"),
      INT_KEY("sms.gateway.connect_timeout_ms", hotline.sms.gateway.connect_timeout_ms,
              "milliseconds to connect to the gateway"),
      INT_KEY("sms.gateway.timeout_ms", hotline.sms.gateway.timeout_ms,
              "milliseconds for a whole gateway request"),
      STR_KEY("sms.gateway.method", hotline.sms.gateway.method, "generic: GET, POST or PUT"),
      LIST_KEY("sms.gateway.headers", hotline.sms.gateway.headers, '|',
               "generic: '|'-separated \"Name: value\" headers"),
      STR_KEY("sms.gateway.body", hotline.sms.gateway.body,
              "generic: request body with {{to}} {{text}} {{ref}} {{dlr_url}} ..."),
      ENUM_KEY("sms.gateway.body_format", hotline.sms.gateway.body_format,
               "generic: json, form, xml or raw (how values are escaped)", bodyFormats),
      INT_KEY("sms.gateway.success_status_min", hotline.sms.gateway.success_status_min,
              "generic: lowest status that means accepted"),
      INT_KEY("sms.gateway.success_status_max", hotline.sms.gateway.success_status_max,
              "generic: highest status that means accepted"),
      STR_KEY("sms.gateway.success_body_contains", hotline.sms.gateway.success_body_contains,
              "generic: text an accepting answer contains; empty: any"),
      LIST_KEY("sms.gateway.permanent_statuses", hotline.sms.gateway.permanent_statuses, ',',
               "generic: comma-separated statuses meaning a bad number (failed, not retried)"),
      STR_KEY("sms.gateway.message_id_json_key", hotline.sms.gateway.message_id_json_key,
              "generic: JSON key path of the provider's message id, e.g. data.msgid"),
      STR_KEY("sms.gateway.message_id_regex", hotline.sms.gateway.message_id_regex,
              "generic: regular expression whose first group is the message id"),
      STR_KEY("sms.gateway.hmac_header", hotline.sms.gateway.hmac_header,
              "generic: header carrying the HMAC-SHA256 of the body (hex); empty: unsigned"),
      STR_KEY("sms.gateway.hmac_key", hotline.sms.gateway.hmac_key,
              "generic: HMAC-SHA256 signing key (prefer PORTAL_SMS_GATEWAY_HMAC_KEY)"),
      LIST_KEY("open311.api_keys", open311.api_keys, ',',
               "comma-separated keys allowed to POST Open311 service requests"),
      INT_KEY("hotline.intake_per_address", hotline.intake_limits.per_address,
              "anonymous complaints per client address (IPv6: /64) per window; 0: no limit"),
      INT_KEY("hotline.intake_address_window_s", hotline.intake_limits.address_window_s,
              "seconds of the per-address complaint window"),
      INT_KEY("hotline.intake_per_phone", hotline.intake_limits.per_phone,
              "complaints giving one complainant phone number per window; 0: no limit"),
      INT_KEY("hotline.intake_phone_window_s", hotline.intake_limits.phone_window_s,
              "seconds of the per-phone complaint window"),
      INT_KEY("hotline.intake_per_api_key", hotline.intake_limits.per_api_key,
              "Open311 submissions per key per window; 0: no limit"),
      INT_KEY("hotline.intake_api_key_window_s", hotline.intake_limits.api_key_window_s,
              "seconds of the per-key Open311 window"),
      INT_KEY("sms.retry_window_s", hotline.sms.retry_window_s,
              "seconds a message is retried (capped backoff) before it is marked failed"),
      INT_KEY("sms.report_timeout_s", hotline.sms.report_timeout_s,
              "seconds after sending without a final delivery report before staff are told"),
      LIST_KEY("metrics.allowed_networks", metrics_access.allowed_networks, ',',
               "comma-separated networks (CIDR) whose clients may read /metrics; loopback "
               "always may unless it comes through nginx"),
      BOOL_KEY("demo.load", load_demo_data, "load the demo data into an empty database at start"),
  });
  return all;
}

const Key& findKey(const std::string& name) {
  for (const Key& k : keys()) {
    if (name == k.name) return k;
  }
  throw ConfigError("unknown setting: " + name);
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string envName(const char* key) {
  std::string env = "PORTAL_";
  for (const char* p = key; *p; ++p) {
    env += *p == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(*p)));
  }
  return env;
}

}  // namespace

void applyConfigFile(Config& config, const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("cannot read configuration file " + path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) {
      throw ConfigError(path + ":" + std::to_string(n) + ": expected key = value");
    }
    try {
      findKey(trim(line.substr(0, eq))).set(config, trim(line.substr(eq + 1)));
    } catch (const ConfigError& e) {
      throw ConfigError(path + ":" + std::to_string(n) + ": " + e.what());
    }
  }
}

void applyEnvironment(Config& config, char** envp) {
  for (const Key& k : keys()) {
    const std::string env = envName(k.name);
    const std::string prefix = env + "=";
    for (char** e = envp; e && *e; ++e) {
      if (std::string_view(*e).substr(0, prefix.size()) == prefix) {
        k.set(config, std::string(*e + prefix.size()));
      }
    }
  }
}

void applyOverride(Config& config, const std::string& key_value) {
  const auto eq = key_value.find('=');
  if (eq == std::string::npos) throw ConfigError("expected key=value: " + key_value);
  findKey(trim(key_value.substr(0, eq))).set(config, trim(key_value.substr(eq + 1)));
}

std::string SearchOptions::validate() const {
  return feeder_poll_ms < 10 ? "search.feeder_poll_ms below 10\n" : "";
}

std::string OfficerOptions::validate() const {
  if (expiry_warning_days < 0 || expiry_warning_days > 366) {
    return "officers.expiry_warning_days must be 0..366\n";
  }
  return "";
}

void validate(const Config& c) {
  std::string errors = c.server.validate() + c.db.validate() + c.search.validate() +
                       c.officers.validate() + c.hotline.validate() + c.hotline.sms.validate() +
                       c.tracking.validate() + c.disclosure.validate();
  if (c.search.index_dir.empty() && c.data_dir.empty()) {
    errors += "search.index_dir and data_dir are both empty\n";
  }
  if (!errors.empty()) throw ConfigError("invalid configuration:\n" + errors);
}

std::vector<std::string> advisories(const Config& c) {
  std::vector<std::string> out;
  if (c.site.base_url.empty()) {
    out.push_back(
        "site.base_url is not set: Open311 discovery, the Atom feeds and the OpenSearch "
        "description give relative addresses (discovery uses the request's Host only when it "
        "names this machine); set it to the public address, e.g. https://zfgs.example.gov.cn");
  }
  return out;
}

void resolvePaths(Config& config) {
  if (config.search.index_dir.empty()) {
    config.search.index_dir = (std::filesystem::path(config.data_dir) / "index").string();
  }
}

std::string trackingKeyPath(const Config& config) {
  if (!config.tracking_key_file.empty()) return config.tracking_key_file;
  const std::filesystem::path index(config.search.index_dir);
  return (index.parent_path() / "tracking-code.key").string();
}

std::string configHelp() {
  const Config defaults;
  std::ostringstream out;
  for (const Key& k : keys()) {
    const std::string env = envName(k.name);
    out << "  " << k.name << " = " << k.get(defaults) << "\n      " << k.help << " (" << env
        << ")\n";
  }
  return out.str();
}

}  // namespace portal
