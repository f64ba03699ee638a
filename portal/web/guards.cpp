#include "portal/web/guards.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <optional>

namespace portal::web {
namespace {

std::string lower(std::string s) {
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

struct Address {
  int family = 0;
  std::array<unsigned char, 16> bytes{};
  int bits = 0;
};

std::optional<Address> parseAddress(const std::string& text) {
  Address a;
  if (inet_pton(AF_INET, text.c_str(), a.bytes.data()) == 1) {
    a.family = AF_INET;
    a.bits = 32;
    return a;
  }
  if (inet_pton(AF_INET6, text.c_str(), a.bytes.data()) == 1) {
    // An IPv4-mapped address is the IPv4 address.
    static const unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF};
    if (std::memcmp(a.bytes.data(), kMapped, 12) == 0) {
      std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
      a.family = AF_INET;
      a.bits = 32;
      return a;
    }
    a.family = AF_INET6;
    a.bits = 128;
    return a;
  }
  return std::nullopt;
}

}  // namespace

bool isLoopback(const std::string& address) {
  const auto a = parseAddress(address);
  if (!a) return false;
  if (a->family == AF_INET) return a->bytes[0] == 127;
  static const unsigned char kLoopback6[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return std::memcmp(a->bytes.data(), kLoopback6, 16) == 0;
}

std::optional<Authority> parseAuthority(const std::string& text) {
  if (text.empty() || text.size() > 255) return std::nullopt;
  const std::string t = lower(text);
  Authority a;
  std::size_t rest = 0;
  if (t[0] == '[') {
    const auto close = t.find(']');
    if (close == std::string::npos || close < 3) return std::nullopt;
    for (std::size_t i = 1; i < close; ++i) {
      const char c = t[i];
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return std::nullopt;
      }
    }
    a.name = t.substr(0, close + 1);
    rest = close + 1;
  } else {
    rest = std::min(t.find(':'), t.size());
    a.name = t.substr(0, rest);
    if (a.name.empty()) return std::nullopt;
    for (const char c : a.name) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '-') {
        return std::nullopt;
      }
    }
  }
  if (rest < t.size()) {
    if (t[rest] != ':') return std::nullopt;
    a.port = t.substr(rest + 1);
    if (a.port.empty() || a.port.size() > 5 ||
        a.port.find_first_not_of("0123456789") != std::string::npos) {
      return std::nullopt;
    }
  }
  return a;
}

bool inNetwork(const std::string& address, const std::string& network) {
  const auto slash = network.find('/');
  const auto net = parseAddress(network.substr(0, slash));
  const auto addr = parseAddress(address);
  if (!net || !addr || net->family != addr->family) return false;
  int prefix = net->bits;
  if (slash != std::string::npos) {
    const std::string p = network.substr(slash + 1);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    prefix = std::stoi(p);
    if (prefix > net->bits) return false;
  }
  for (int i = 0; i < prefix; ++i) {
    const unsigned char mask = static_cast<unsigned char>(0x80u >> (i % 8));
    if ((net->bytes[i / 8] & mask) != (addr->bytes[i / 8] & mask)) return false;
  }
  return true;
}

namespace {

// A web origin: scheme, host and port, the port always written (80 and 443 by scheme when the
// URL leaves it out), so that http://a.example, http://a.example:80 compare equal and
// http://a.example:8081, https://a.example do not.
struct Origin {
  std::string scheme;
  std::string name;
  std::string port;
  bool operator==(const Origin& o) const {
    return scheme == o.scheme && name == o.name && port == o.port;
  }
};

std::string defaultPort(const std::string& scheme) { return scheme == "https" ? "443" : "80"; }

Origin originOf(const std::string& scheme, const Authority& authority) {
  Origin o{scheme, authority.name, authority.port.empty() ? defaultPort(scheme) : authority.port};
  // "http://a.example:080" is port 80.
  o.port.erase(0, std::min(o.port.find_first_not_of('0'), o.port.size() - 1));
  return o;
}

// The origin of an http(s) URL (an Origin header, a Referer, site.base_url); std::nullopt for
// anything else ("null", another scheme, userinfo, a malformed host).
std::optional<Origin> originOf(const std::string& url) {
  const std::string u = lower(url);
  Origin o;
  for (const char* scheme : {"http", "https"}) {
    const std::string prefix = std::string(scheme) + "://";
    if (u.rfind(prefix, 0) == 0) o.scheme = scheme;
  }
  if (o.scheme.empty()) return std::nullopt;
  const std::size_t start = o.scheme.size() + 3;
  const std::size_t end = u.find_first_of("/?#", start);
  const auto authority =
      parseAuthority(u.substr(start, end == std::string::npos ? std::string::npos : end - start));
  if (!authority) return std::nullopt;
  return originOf(o.scheme, *authority);
}

// The local nginx (a loopback peer) says the browser came over https; no one else is believed.
bool forwardedOverHttps(const http::Request& req) {
  return isLoopback(req.peer_addr) &&
         lower(req.header("x-forwarded-proto").value_or("")) == "https";
}

// How the browser reached this request: https only when the local nginx says so (as
// servedOverHttps trusts it), else http, the portal's own listener.
std::string requestScheme(const http::Request& req) {
  return forwardedOverHttps(req) ? "https" : "http";
}

}  // namespace

void requireSameOrigin(const Context& ctx, const http::Request& req) {
  std::string claimed;
  if (const auto origin = req.header("origin")) {
    claimed = *origin;
  } else if (const auto referer = req.header("referer")) {
    claimed = *referer;
  } else {
    return;  // neither: not a cross-site browser form (see guards.h)
  }
  bool same = false;
  if (const auto from = originOf(claimed)) {
    const auto site = originOf(ctx.config.site.base_url);
    // The Host the browser sent, through nginx's Host $http_host with its port: without one,
    // the scheme's default port, never "any port".
    const auto host = parseAuthority(req.header("host").value_or(""));
    same = (site && *from == *site) || (host && *from == originOf(requestScheme(req), *host));
  }
  if (!same) {
    throw http::HttpError(403, "请求来源不是本网站，已拒绝。请直接在本网站页面上提交。",
                          "foreign_origin");
  }
}

bool servedOverHttps(const Context& ctx, const http::Request& req) {
  if (lower(ctx.config.site.base_url).rfind("https://", 0) == 0) return true;
  return forwardedOverHttps(req);
}

void setNoStore(http::Response& response) {
  auto& h = response.headers;
  h.erase(std::remove_if(h.begin(), h.end(),
                         [](const auto& header) { return lower(header.first) == "cache-control"; }),
          h.end());
  h.emplace_back("Cache-Control", "no-store");
}

bool metricsAllowed(const Config& config, const http::Request& req) {
  const bool proxied = req.headers.count("x-real-ip") || req.headers.count("x-forwarded-for");
  if (!proxied && isLoopback(req.peer_addr)) return true;
  for (const std::string& network : config.metrics_access.allowed_networks) {
    if (inNetwork(req.remote_addr, network)) return true;
  }
  return false;
}

}  // namespace portal::web
