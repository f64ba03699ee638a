#pragma once

#include <map>
#include <string>
#include <vector>

#include "db/options.h"
#include "hotline/hotline_options.h"
#include "hotline/tracking_rate_limiter.h"
#include "portal/accounts/account_service.h"
#include "portal/disclosure/disclosure_options.h"
#include "portal/http/server.h"
#include "templates/renderer.h"

namespace portal {

struct SiteOptions {
  std::string name = "新区行政执法公示平台";
  std::string owner = "新区管理委员会";  // shown in the footer
  std::string base_url;                  // public URL for links in feeds; empty: relative
  // The footer's identifiers of a Chinese government site; each shown only when set.
  std::string site_code;   // 网站标识码, e.g. 3201000001
  std::string icp_record;  // ICP备案号, e.g. 苏ICP备12345678号, linked to the MIIT register
  std::string police_record;  // 公安备案号, e.g. 苏公网安备 32010202000001号
  // 联系我们 (/contact): the site owner's office; empty lines are left out.
  std::string contact_address;
  std::string contact_phone;
  std::string contact_email;
  // The citizens' service hotline named in the footer and on the complaint pages.
  std::string citizen_hotline = "12345";
};

// Every setting of the portal, with its default. Loaded once in main (file, then environment,
// then command line) and handed down; nothing else reads the environment.
struct SearchOptions {
  // A symlink to the current build; see indexing/. Empty: `index` in Config::data_dir.
  std::string index_dir;
  int feeder_poll_ms = 250;             // how often the change log is read

  // REQUIRES: feeder_poll_ms >= 10. Returns "" when that holds, else the breach, naming its
  // key.
  std::string validate() const;
};

// The Open311 GeoReport v2 endpoint (/open311/v2/).
struct Open311Options {
  // Keys that may POST service requests; empty: nobody may (GET stays open).
  std::vector<std::string> api_keys;
};

// Enforcement officers' certificates (执法证件, issue 7).
struct OfficerOptions {
  // Days before the 3-yearly inspection falls due that a certificate shows
  // "有效（即将到期，需检验）"; 0..366.
  int expiry_warning_days = 90;

  // REQUIRES: 0 <= expiry_warning_days <= 366. Returns "" or the breach, naming its key.
  std::string validate() const;
};

// Who may read /metrics (issue 18): clients on loopback that came straight to the server (no
// X-Real-IP / X-Forwarded-For: not through nginx), and clients whose address, as the edge saw
// it, is in one of these networks ("10.1.2.0/24", "192.0.2.7", "2001:db8::/32").
struct MetricsAccessOptions {
  std::vector<std::string> allowed_networks;
};

struct Config {
  // The instance's own folder: every file the portal writes at run time (the search index,
  // the tracking key) goes here unless set apart. Two instances on one machine need two.
  // The MariaDB data, logs and nginx's files of scripts/run live beside them in DATA_DIR.
  std::string data_dir = "var";
  http::ServerOptions server;
  db::Options db;
  templates::Options templates;
  SiteOptions site;
  SearchOptions search;
  accounts::AccountOptions accounts;
  hotline::HotlineOptions hotline;
  hotline::TrackingRateLimitOptions tracking;
  Open311Options open311;
  disclosure::DisclosureOptions disclosure;
  OfficerOptions officers;
  MetricsAccessOptions metrics_access;
  bool load_demo_data = false;  // load db/seed/demo.json into an empty database at start
  // The key of the tracking codes' keyed hash, created on first start (mode 0600); keep it
  // with DATA_DIR's backups, never in the database. Empty: tracking-code.key in the folder
  // that holds search.index_dir (DATA_DIR).
  std::string tracking_key_file;
};

// Fills the paths left empty from data_dir (search.index_dir = data_dir/index). Idempotent.
void resolvePaths(Config& config);

// Where the tracking key lives for `config` (tracking_key_file or its default).
std::string trackingKeyPath(const Config& config);

// A problem with the configuration, for the operator.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads `key = value` lines ('#' comments, blank lines allowed) over the defaults.
// Keys are those listed by configHelp(). Throws ConfigError naming the line.
void applyConfigFile(Config& config, const std::string& path);
// PORTAL_<KEY> with dots as underscores, upper case: PORTAL_SERVER_PORT, PORTAL_DB_PASSWORD.
void applyEnvironment(Config& config, char** envp);
// One `key=value` override (command line --set).
void applyOverride(Config& config, const std::string& key_value);
// Throws ConfigError listing every invalid value: what each Options struct's validate()
// reports, and what only the whole tree can tell (an index folder to put somewhere).
void validate(const Config& config);
// What a valid configuration may still get wrong in production, one line each, for the log
// at start-up: an empty site.base_url (Open311 discovery, the Atom feeds and the OpenSearch
// description then give relative addresses).
std::vector<std::string> advisories(const Config& config);
// Every key with its default and meaning, for --help.
std::string configHelp();

}  // namespace portal
