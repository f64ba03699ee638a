#include "portal/http/router.h"

namespace portal::http {

namespace {
std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t pos = 1;
  while (pos <= path.size()) {
    std::size_t slash = path.find('/', pos);
    if (slash == std::string::npos) slash = path.size();
    out.push_back(path.substr(pos, slash - pos));
    pos = slash + 1;
  }
  return out;
}

bool matchPattern(const std::string& pattern, const std::string& path,
                  std::map<std::string, std::string>& params) {
  const auto ps = segments(pattern);
  const auto xs = segments(path);
  for (std::size_t i = 0; i < ps.size(); ++i) {
    if (ps[i] == "*") {
      std::string rest;
      for (std::size_t k = i; k < xs.size(); ++k) rest += (k > i ? "/" : "") + xs[k];
      if (rest.empty()) return false;
      params["*"] = rest;
      return true;
    }
    if (i >= xs.size()) return false;
    if (!ps[i].empty() && ps[i][0] == ':') {
      if (xs[i].empty()) return false;
      params[ps[i].substr(1)] = xs[i];
    } else if (ps[i] != xs[i]) {
      return false;
    }
  }
  return ps.size() == xs.size();
}
}  // namespace

void Router::add(Route route) { routes_.push_back(std::move(route)); }

RouteMatch Router::match(const std::string& method, const std::string& path) const {
  RouteMatch result;
  const std::string m = method == "HEAD" ? "GET" : method;
  for (const Route& r : routes_) {
    std::map<std::string, std::string> params;
    if (!matchPattern(r.pattern, path, params)) continue;
    if (r.method == m) {
      result.route = &r;
      result.params = std::move(params);
      result.allowed_methods.clear();
      return result;
    }
    result.allowed_methods.push_back(r.method);
  }
  return result;
}

}  // namespace portal::http
