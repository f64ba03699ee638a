#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "portal/http/request.h"

namespace portal::http {

using Handler = std::function<Response(const Request&)>;

// Where a handler runs: Worker for anything that touches the database, the index or disk
// (never on the reactor threads); Inline only for handlers that do no blocking work.
enum class Execution { Worker, Inline };

struct Route {
  std::string method;   // GET also answers HEAD
  std::string pattern;  // "/departments/:slug", a last segment "*" takes the rest
  std::string name;     // label for logs and metrics, e.g. "department_page"
  Handler handler;
  Execution execution = Execution::Worker;
  // Public, the same for everyone (only the large-text and contrast cookies vary it) and made only of
  // what the change log covers: answers may come from the node's page cache, with ETag and
  // revalidation. Never for staff pages, tracking, forms or anything with a secret in it.
  bool cacheable = false;
  // A staff write that may change cacheable pages: once it has answered, this node's page
  // cache starts afresh, so the editor sees the change at once. (Other nodes follow when
  // their index applies the change log.)
  bool invalidates_cache = false;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method and path
  std::map<std::string, std::string> params;
  std::vector<std::string> allowed_methods;  // non-empty: the path exists, the method does not
};

// The route table. Built once at start-up, then read-only: match() is thread safe.
class Router {
 public:
  void add(Route route);
  RouteMatch match(const std::string& method, const std::string& path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace portal::http
