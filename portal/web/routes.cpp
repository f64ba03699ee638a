#include "portal/web/handlers.h"

namespace portal::web {

http::Router buildRouter(Context& ctx) {
  using http::Execution;
  struct Row {
    const char* method;
    const char* pattern;
    const char* name;
    Response (*handler)(Context&, const Request&);
    Execution execution;
  };
  // clang-format off
  static const Row kRoutes[] = {
      // Public pages
      {"GET", "/",                          "home",               homePage,              Execution::Worker},
      {"GET", "/departments/:slug",         "department_page",    departmentPage,        Execution::Worker},
      {"GET", "/items/:code",               "item_page",          itemPage,              Execution::Worker},
      {"GET", "/complaint-channels",        "complaint_channels", complaintChannelsPage, Execution::Worker},
      {"GET", "/search",                    "search_page",        searchPage,            Execution::Worker},
      {"GET", "/opensearch.xml",            "opensearch",         openSearchDescription, Execution::Inline},
      {"GET", "/settings/text-size",        "text_size",          setTextSize,           Execution::Inline},
      {"GET", "/static/*",                  "static",             staticFile,            Execution::Inline},
      // JSON API
      {"GET", "/api/v1/departments",            "api_departments",      apiDepartments,     Execution::Worker},
      {"GET", "/api/v1/departments/:id/items",  "api_department_items", apiDepartmentItems, Execution::Worker},
      {"GET", "/api/v1/items/:code",            "api_item",             apiItem,            Execution::Worker},
      {"GET", "/api/v1/search",                 "api_search",           apiSearch,          Execution::Worker},
      // Operations
      {"GET", "/healthz",                   "healthz",            healthz,               Execution::Worker},
      {"GET", "/metrics",                   "metrics",            metrics,               Execution::Inline},
  };
  // clang-format on
  http::Router router;
  for (const Row& r : kRoutes) {
    auto handler = r.handler;
    router.add(http::Route{r.method, r.pattern, r.name,
                           [&ctx, handler](const Request& req) { return handler(ctx, req); },
                           r.execution});
  }
  return router;
}

}  // namespace portal::web
