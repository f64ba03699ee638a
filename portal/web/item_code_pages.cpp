// The department-less item addresses of before item codes were unique per department only:
// /items/{code}, /items/{code}/history and /api/v1/items/{code}[/versions[/{n}]]. One department
// has the code: the page moves (301) to /items/{slug}/{code}, the API answers as the
// department's address does. Several: a page listing them (the API: 409 and the list). None: 404.
#include "portal/http/url.h"
#include "portal/web/handlers.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

// The query string as received, to carry ?to=&from= over a redirect.
std::string queryOf(const Request& req) {
  const auto q = req.raw_target.find('?');
  return q == std::string::npos ? std::string() : req.raw_target.substr(q);
}

json choicesJson(const std::vector<ItemWithDepartment>& found, const std::string& suffix) {
  json items = json::array();
  for (const auto& f : found) {
    items.push_back({{"code", f.item.code},
                     {"name", f.item.name},
                     {"status_name", std::string(statusName(f.item.status))},
                     {"department_name", f.department.name},
                     {"department", {{"slug", f.department.slug}, {"name", f.department.name}}},
                     {"url", itemPath(f.department.slug, f.item.code) + suffix},
                     {"api_url", "/api/v1/departments/" + http::percentEncode(f.department.slug) +
                                     "/items/" + http::percentEncode(f.item.code)}});
  }
  return items;
}

Response legacyPage(Context& ctx, const Request& req, const std::string& suffix) {
  const std::string& code = req.params.at("code");
  const auto found = ctx.catalog.itemsWithCode(code);
  if (found.empty())
    throw http::HttpError(404, "未找到该事项，可能编码有误或已被删除。", "not_found");
  if (found.size() == 1) {
    return Response::redirect(
        itemPath(found.front().department.slug, found.front().item.code) + suffix + queryOf(req),
        301);
  }
  json view{{"code", code}, {"count", found.size()}, {"items", choicesJson(found, suffix)}};
  view.update(layoutJson(ctx.config.site, req, "事项编码 " + code, "departments"));
  return Response::html(ctx.renderer.render("item_choices", view));
}

// The department's address answers: the same body as before the change.
Response legacyApi(Context& ctx, const Request& req,
                   Response (*handler)(Context&, const Request&)) {
  const std::string& code = req.params.at("code");
  const auto found = ctx.catalog.itemsWithCode(code);
  if (found.empty()) throw http::HttpError(404, "未找到该事项。", "not_found");
  if (found.size() > 1) {
    json body{{"error",
               {{"status", 409},
                {"title", "事项编码不唯一"},
                {"message", "有 " + std::to_string(found.size()) + " 个部门的清单使用事项编码 " +
                                code + "，请改用 /api/v1/departments/{部门}/items/{编码}。"}}},
              {"items", choicesJson(found, "")}};
    return Response::json(body.dump(), 409);
  }
  Request routed = req;
  routed.params["id"] = found.front().department.slug;
  return handler(ctx, routed);
}

}  // namespace

Response legacyItemPage(Context& ctx, const Request& req) { return legacyPage(ctx, req, ""); }

// "/items/{slug}/history" is also the address of a department's item coded "history"
// (/items/{slug}/{code}), and this route comes first in the table. The department's item wins:
// its address is the current one, while the old address only moves on to
// /items/{slug}/{code}/history, which answers as before.
Response legacyItemHistoryPage(Context& ctx, const Request& req) {
  const std::string& first = req.params.at("code");
  if (ctx.catalog.item(first, "history")) {
    Request routed = req;
    routed.params = {{"slug", first}, {"code", "history"}};
    return itemPage(ctx, routed);
  }
  return legacyPage(ctx, req, "/history");
}

Response legacyApiItem(Context& ctx, const Request& req) { return legacyApi(ctx, req, apiItem); }

Response legacyApiItemVersions(Context& ctx, const Request& req) {
  return legacyApi(ctx, req, apiItemVersions);
}

Response legacyApiItemVersion(Context& ctx, const Request& req) {
  return legacyApi(ctx, req, apiItemVersion);
}

}  // namespace portal::web
