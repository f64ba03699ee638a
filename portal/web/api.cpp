#include "portal/web/handlers.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;

Response apiDepartments(Context& ctx, const Request& req) {
  parsePaging(req, 100);  // all departments in one answer; bad paging is still refused
  json list = json::array();
  for (const auto& o : ctx.catalog.departments()) list.push_back(overviewJson(o));
  return Response::json(json{{"departments", list}}.dump());
}

Response apiDepartmentItems(Context& ctx, const Request& req) {
  const auto filter = parseItemFilter(req);
  auto result = ctx.catalog.departmentItems(req.params.at("id"), filter);
  if (!result) throw http::HttpError(404, "未找到该部门。", "not_found");
  json items = json::array();
  for (const auto& s : result->items.rows) items.push_back(itemSummaryJson(s));
  const auto& p = result->items;
  return Response::json(json{{"department", departmentJson(result->department)},
                             {"items", items},
                             {"counts_by_type", typeCountsJson(result->counts_by_type)},
                             {"page", pageInfoJson(p.total, p.page, p.page_size, p.pageCount())}}
                            .dump());
}

Response apiItem(Context& ctx, const Request& req) {
  auto found = ctx.catalog.item(req.params.at("id"), req.params.at("code"));
  if (!found) throw http::HttpError(404, "未找到该事项。", "not_found");
  return Response::json(publicItemJson(*found).dump());
}

}  // namespace portal::web
