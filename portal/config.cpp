#include "portal/config.h"

#include <fstream>
#include <functional>
#include <sstream>

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
          c.FIELD = static_cast<std::size_t>(toInt(NAME, v));   \
        },                                                      \
        [](const Config& c) { return std::to_string(c.FIELD); } \
  }
#define BOOL_KEY(NAME, FIELD, HELP)                                                 \
  Key {                                                                             \
    NAME, HELP, [](Config& c, const std::string& v) { c.FIELD = toBool(NAME, v); }, \
        [](const Config& c) { return std::string(c.FIELD ? "true" : "false"); }     \
  }

std::string trim(const std::string& s);

const std::vector<Key>& keys() {
  static const std::vector<Key> all = {
      STR_KEY("server.address", server.address, "address to listen on (keep it loopback)"),
      INT_KEY("server.port", server.port, "port to listen on; 0 picks a free one"),
      INT_KEY("server.io_threads", server.io_threads, "HTTP reactor threads"),
      INT_KEY("server.workers", server.workers, "threads for handlers that use the database"),
      SIZE_KEY("server.queue_limit", server.queue_limit, "queued requests before 503"),
      SIZE_KEY("server.max_request_bytes", server.max_request_bytes,
               "largest request (headers and body); nginx allows less"),
      SIZE_KEY("server.max_target_bytes", server.max_target_bytes, "longest URL path and query"),
      INT_KEY("server.header_timeout_s", server.header_timeout_s, "seconds to receive headers"),
      INT_KEY("server.body_timeout_s", server.body_timeout_s, "seconds to receive the body"),
      INT_KEY("server.keepalive_timeout_s", server.keepalive_timeout_s,
              "seconds an idle keep-alive connection stays open"),
      BOOL_KEY("server.log_requests", server.log_requests, "log one line per request"),
      STR_KEY("db.host", db.host, "MariaDB host (TCP)"),
      INT_KEY("db.port", db.port, "MariaDB port"),
      STR_KEY("db.socket", db.socket, "MariaDB unix socket; used instead of host:port if set"),
      STR_KEY("db.user", db.user, "MariaDB user"),
      STR_KEY("db.password", db.password, "MariaDB password (prefer PORTAL_DB_PASSWORD)"),
      STR_KEY("db.schema", db.schema, "database name"),
      INT_KEY("db.pool_size", db.pool_size, "connections at most"),
      INT_KEY("db.connect_timeout_s", db.connect_timeout_s, "seconds to connect"),
      INT_KEY("db.read_timeout_s", db.read_timeout_s, "seconds to wait for a query"),
      INT_KEY("db.acquire_timeout_ms", db.acquire_timeout_ms,
              "milliseconds to wait for a free connection before 503"),
      STR_KEY("templates.dir", templates.dir,
              "read templates from this folder at each render (development); empty: built-in"),
      STR_KEY("site.name", site.name, "portal name shown on every page"),
      STR_KEY("site.owner", site.owner, "organisation shown in the footer"),
      STR_KEY("site.base_url", site.base_url, "public base URL, e.g. https://zfgs.example.gov.cn"),
      STR_KEY("search.index_dir", search.index_dir,
              "the search index (a symlink to its current build directory)"),
      INT_KEY("search.feeder_poll_ms", search.feeder_poll_ms,
              "milliseconds between reads of the search change log"),
      Key{"accounts.hash_cost",
          "argon2id cost: interactive (default), moderate, or minimum (tests only)",
          [](Config& c, const std::string& v) {
            if (v == "interactive")
              c.accounts.hash_cost = accounts::HashCost::Interactive;
            else if (v == "moderate")
              c.accounts.hash_cost = accounts::HashCost::Moderate;
            else if (v == "minimum")
              c.accounts.hash_cost = accounts::HashCost::Minimum;
            else
              throw ConfigError("accounts.hash_cost: interactive, moderate or minimum: " + v);
          },
          [](const Config& c) {
            return std::string(c.accounts.hash_cost == accounts::HashCost::Interactive
                                   ? "interactive"
                               : c.accounts.hash_cost == accounts::HashCost::Moderate ? "moderate"
                                                                                      : "minimum");
          }},
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
      INT_KEY("hotline.tracking_failures_per_number", tracking.max_failures_per_number,
              "wrong tracking lookups per registration number per 15 minutes"),
      INT_KEY("hotline.tracking_failures_per_address", tracking.max_failures_per_address,
              "wrong tracking lookups per client address per 15 minutes"),
      Key{"open311.api_keys", "comma-separated keys allowed to POST Open311 service requests",
          [](Config& c, const std::string& v) {
            c.open311.api_keys.clear();
            std::string key;
            std::istringstream in(v);
            while (std::getline(in, key, ',')) {
              key = trim(key);
              if (!key.empty()) c.open311.api_keys.push_back(key);
            }
          },
          [](const Config& c) {
            std::string out;
            for (const auto& k : c.open311.api_keys) out += (out.empty() ? "" : ",") + k;
            return out;
          }},
      BOOL_KEY("demo.load", load_demo_data, "load the demo data into an empty database at start"),
  };
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

void validate(const Config& c) {
  std::string errors;
  if (c.server.port < 0 || c.server.port > 65535) errors += "server.port out of range\n";
  if (c.server.io_threads < 1) errors += "server.io_threads must be at least 1\n";
  if (c.server.workers < 1) errors += "server.workers must be at least 1\n";
  if (c.server.queue_limit < 1) errors += "server.queue_limit must be at least 1\n";
  if (c.server.max_request_bytes < 4096) errors += "server.max_request_bytes below 4096\n";
  if (c.db.pool_size < 1) errors += "db.pool_size must be at least 1\n";
  if (c.db.schema.empty()) errors += "db.schema is empty\n";
  if (c.search.index_dir.empty()) errors += "search.index_dir is empty\n";
  if (c.search.feeder_poll_ms < 10) errors += "search.feeder_poll_ms below 10\n";
  if (c.hotline.ack_working_days < 1) errors += "hotline.ack_working_days must be at least 1\n";
  if (c.hotline.handling_working_days < 1) {
    errors += "hotline.handling_working_days must be at least 1\n";
  }
  for (const char* part : {"{source}", "{year}", "{seq"}) {
    if (c.hotline.registration_format.find(part) == std::string::npos) {
      errors += std::string("hotline.registration_format lacks ") + part + "\n";
    }
  }
  if (c.tracking.max_failures_per_number < 1 || c.tracking.max_failures_per_address < 1) {
    errors += "hotline.tracking_failures_per_* must be at least 1\n";
  }
  if (!errors.empty()) throw ConfigError("invalid configuration:\n" + errors);
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
