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
      {"GET", "/items/:code/history",       "item_history",       itemHistoryPage,       Execution::Worker},
      {"GET", "/changes",                   "changes",            changesPage,           Execution::Worker},
      {"GET", "/departments/:slug/changes", "department_changes", changesPage,           Execution::Worker},
      {"GET", "/feeds/changes.atom",        "changes_feed",       changesFeed,           Execution::Worker},
      {"GET", "/feeds/departments/:file",   "department_feed",    departmentChangesFeed, Execution::Worker},
      {"GET", "/complaint-channels",        "complaint_channels", complaintChannelsPage, Execution::Worker},
      {"GET", "/search",                    "search_page",        searchPage,            Execution::Worker},
      {"GET", "/opensearch.xml",            "opensearch",         openSearchDescription, Execution::Inline},
      {"GET", "/settings/text-size",        "text_size",          setTextSize,           Execution::Inline},
      {"GET", "/static/*",                  "static",             staticFile,            Execution::Inline},
      // Staff pages (login required; every POST checks the CSRF token)
      {"GET",  "/admin/login",                    "admin_login",     loginPage,    Execution::Worker},
      {"POST", "/admin/login",                    "admin_login_post", login,       Execution::Worker},
      {"POST", "/admin/logout",                   "admin_logout",    logout,       Execution::Worker},
      {"GET",  "/admin",                          "admin_home",      adminHome,    Execution::Worker},
      {"GET",  "/admin/items/:code/edit",         "admin_item_edit", editItemPage, Execution::Worker},
      {"POST", "/admin/items/:code",              "admin_item_save", saveItem,     Execution::Worker},
      {"GET",  "/admin/departments/:slug/items/new", "admin_item_new", newItemPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/items",  "admin_item_create", createItem, Execution::Worker},
      {"GET",  "/admin/audit",                    "admin_audit",     auditPage,    Execution::Worker},
      // JSON API
      {"GET", "/api/v1/departments",            "api_departments",      apiDepartments,     Execution::Worker},
      {"GET", "/api/v1/departments/:id/items",  "api_department_items", apiDepartmentItems, Execution::Worker},
      {"GET", "/api/v1/items/:code",            "api_item",             apiItem,            Execution::Worker},
      {"GET", "/api/v1/items/:code/versions",    "api_item_versions",    apiItemVersions,    Execution::Worker},
      {"GET", "/api/v1/items/:code/versions/:n", "api_item_version",     apiItemVersion,     Execution::Worker},
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
