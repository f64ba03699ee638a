#include <string_view>
#include <utility>
#include <vector>

#include "portal/http/url.h"
#include "portal/web/handlers.h"
#include "portal/web/views.h"

namespace portal::static_files {
const std::vector<std::pair<std::string_view, std::string_view>>& embeddedFiles();
}

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

Response renderPage(Context& ctx, const std::string& name, json view, int status = 200) {
  return Response::html(ctx.renderer.render(name, view), status);
}

json withLayout(Context& ctx, const Request& req, const std::string& title, const std::string& nav,
                json view) {
  view.update(layoutJson(ctx.config.site, req, title, nav));
  return view;
}

// Links for a filtered, paged list: keeps the other filters, changes one.
std::string listUrl(const std::string& base, const ItemFilter& f, int page) {
  std::string q;
  auto add = [&q](const std::string& k, const std::string& v) {
    q += (q.empty() ? "?" : "&") + k + "=" + http::percentEncode(v);
  };
  if (f.type) add("type", *f.type);
  if (f.status) add("status", std::string(statusCode(*f.status)));
  if (page > 1) add("page", std::to_string(page));
  return base + q;
}

}  // namespace

Response homePage(Context& ctx, const Request& req) {
  const auto departments = ctx.catalog.departments();
  json list = json::array();
  std::int64_t total = 0;
  std::map<std::string, std::int64_t> by_type;
  for (const auto& o : departments) {
    list.push_back(overviewJson(o));
    total += o.items_in_force;
    for (const auto& c : o.in_force_by_type) by_type[c.type] += c.count;
  }
  std::vector<TypeCount> type_counts;
  for (const auto& t : itemTypes()) {
    auto it = by_type.find(std::string(t.code));
    if (it != by_type.end()) type_counts.push_back(TypeCount{it->first, it->second});
  }
  json view{{"departments", list},
            {"department_count", departments.size()},
            {"items_in_force", total},
            {"type_counts", typeCountsJson(type_counts)},
            {"has_type_counts", !type_counts.empty()}};
  return renderPage(ctx, "home", withLayout(ctx, req, "首页", "home", std::move(view)));
}

namespace {

// The type and status filters of a department's list, each a link that keeps the other.
json itemFiltersJson(const std::string& base, const ItemFilter& filter,
                     const std::vector<TypeCount>& counts_by_type) {
  json types = json::array();
  types.push_back({{"label", "全部类型"},
                   {"url", listUrl(base, ItemFilter{std::nullopt, filter.status, 1, 50}, 1)},
                   {"active", !filter.type}});
  for (const auto& c : counts_by_type) {
    types.push_back({{"label", itemTypeName(c.type) + "（" + std::to_string(c.count) + "）"},
                     {"url", listUrl(base, ItemFilter{c.type, filter.status, 1, 50}, 1)},
                     {"active", filter.type && *filter.type == c.type}});
  }
  json statuses = json::array();
  statuses.push_back({{"label", "全部状态"},
                      {"url", listUrl(base, ItemFilter{filter.type, std::nullopt, 1, 50}, 1)},
                      {"active", !filter.status}});
  for (ItemStatus s : {ItemStatus::InForce, ItemStatus::Cancelled, ItemStatus::Delegated}) {
    statuses.push_back({{"label", std::string(statusName(s))},
                        {"url", listUrl(base, ItemFilter{filter.type, s, 1, 50}, 1)},
                        {"active", filter.status && *filter.status == s}});
  }
  return json{{"type_filters", types}, {"status_filters", statuses}};
}

json departmentView(const DepartmentItems& result, const ItemFilter& filter,
                    const std::string& list) {
  const std::string base = "/departments/" + http::percentEncode(result.department.slug);
  json items = json::array();
  for (const auto& s : result.items.rows) items.push_back(itemSummaryJson(s));
  const auto& page = result.items;
  json view{{"department", departmentJson(result.department)},
            {"items", items},
            {"has_items", !items.empty()},
            {"filtered", filter.type.has_value() || filter.status.has_value()},
            {"total", page.total},
            {"page", page.page},
            {"page_count", page.pageCount()},
            {"past_end", page.total > 0 && items.empty()},
            {"show_power", list == "power"},
            {"show_responsibility", list == "responsibility"},
            {"power_url", base},
            {"responsibility_url", base + "?list=responsibility"},
            {"changes_url", base + "/changes"},
            {"officers_url", base + "/officers"}};
  view.update(itemFiltersJson(base, filter, result.counts_by_type));
  if (page.page > 1) view["prev_url"] = listUrl(base, filter, page.page - 1);
  if (page.page < page.pageCount()) view["next_url"] = listUrl(base, filter, page.page + 1);
  return view;
}

// The responsibility list: every in-force power with its duties and accountability.
json responsibilityJson(Context& ctx, const Department& department) {
  json duties = json::array();
  for (const auto& item : ctx.catalog.responsibilities(department.id)) {
    duties.push_back(itemJson(item, department));
    addNumberedLineFlags(duties.back(), item);
  }
  return json{{"responsibility_count", duties.size()},  // the table of contents above the list
              {"responsibility_toc", duties.size() > 1},
              {"responsibility_items", duties}};
}

}  // namespace

Response departmentPage(Context& ctx, const Request& req) {
  const ItemFilter filter = parseItemFilter(req);
  const std::string list = req.queryValue("list").value_or("power");
  if (list != "power" && list != "responsibility") {
    throw http::HttpError(400, "未知的清单类型。", "bad_list");
  }
  auto result = ctx.catalog.departmentItems(req.params.at("slug"), filter);
  if (!result) throw http::HttpError(404, "未找到该部门。", "not_found");
  json view = departmentView(*result, filter, list);
  if (list == "responsibility") view.update(responsibilityJson(ctx, result->department));
  return renderPage(ctx, "department",
                    withLayout(ctx, req, result->department.name, "departments", std::move(view)));
}

Response itemPage(Context& ctx, const Request& req) {
  auto found = ctx.catalog.item(req.params.at("slug"), req.params.at("code"));
  if (!found) throw http::HttpError(404, "未找到该事项，可能编码有误或已被删除。", "not_found");
  json view{{"item", publicItemJson(*found)}};
  addNumberedLineFlags(view["item"], found->item);
  return renderPage(ctx, "item",
                    withLayout(ctx, req, found->item.name, "departments", std::move(view)));
}

Response complaintChannelsPage(Context& ctx, const Request& req) {
  json list = json::array();
  for (const auto& d : ctx.catalog.departmentList()) list.push_back(departmentJson(d));
  json view{{"departments", list}};
  return renderPage(ctx, "complaint_channels",
                    withLayout(ctx, req, "投诉举报渠道", "channels", std::move(view)));
}

namespace {

// Back to the page the person came from (?return=), only a path on this site: no scheme, no
// "//host", no backslash or control characters; with the setting's cookie, kept a year.
Response settingRedirect(const Request& req, const std::string& cookie) {
  std::string back = req.queryValue("return").value_or("/");
  bool local = !back.empty() && back[0] == '/' && (back.size() == 1 || back[1] != '/');
  for (const char c : back) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '\\') local = false;
  }
  std::string location;
  for (const char c : local ? back : std::string("/")) {
    location += static_cast<unsigned char>(c) >= 0x80 ? http::percentEncode(std::string(1, c))
                                                      : std::string(1, c);
  }
  Response r = Response::redirect(location);
  r.headers.emplace_back("Set-Cookie",
                         cookie + "; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly");
  return r;
}

}  // namespace

Response setTextSize(Context&, const Request& req) {
  const std::string size = req.queryValue("size").value_or("");
  if (size != "large" && size != "normal") {
    throw http::HttpError(400, "字号设置无效。", "bad_size");
  }
  return settingRedirect(req, "text_size=" + size);
}

// High contrast (适老化), beside the large text: black on white, underlined links, strong focus.
Response setContrast(Context&, const Request& req) {
  const std::string mode = req.queryValue("mode").value_or("");
  if (mode != "high" && mode != "normal") {
    throw http::HttpError(400, "配色设置无效。", "bad_contrast");
  }
  return settingRedirect(req, "contrast=" + mode);
}

// 联系我们: the site owner's office from the configuration, the citizens' hotline, and where
// complaints about enforcement go.
Response contactPage(Context& ctx, const Request& req) {
  const auto& site = ctx.config.site;
  json view{{"contact_address", site.contact_address},
            {"contact_phone", site.contact_phone},
            {"contact_email", site.contact_email}};
  return renderPage(ctx, "contact", withLayout(ctx, req, "联系我们", "", std::move(view)));
}

// 网站地图: every public page, and each department's pages.
Response siteMapPage(Context& ctx, const Request& req) {
  json list = json::array();
  for (const auto& d : ctx.catalog.departmentList()) list.push_back(departmentJson(d));
  json view{{"departments", list}};
  return renderPage(ctx, "sitemap", withLayout(ctx, req, "网站地图", "", std::move(view)));
}

namespace {

Response embeddedFile(const std::string& name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".txt", "text/plain; charset=utf-8"},
      {".xml", "application/xml; charset=utf-8"},
  };
  for (const auto& [file, body] : portal::static_files::embeddedFiles()) {
    if (file != name) continue;
    for (const auto& [ext, type] : kTypes) {
      if (name.size() > ext.size() &&
          name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
        Response r = Response::text(std::string(body), 200, std::string(type));
        r.headers.emplace_back("Cache-Control", "public, max-age=3600");
        return r;
      }
    }
  }
  throw http::HttpError(404, "文件不存在。", "not_found");
}

}  // namespace

Response staticFile(Context&, const Request& req) { return embeddedFile(req.params.at("*")); }

// The two files clients look for at the root: crawlers' rules and the browser tab's icon.
Response rootFile(Context&, const Request& req) {
  return embeddedFile(req.path == "/favicon.ico" ? "favicon.svg" : req.path.substr(1));
}

Response errorResponse(Context& ctx, const Request& req, int status, const std::string& message) {
  static const std::map<int, std::string> kTitles = {
      {400, "请求有误"},       {404, "页面不存在"},     {405, "不支持的请求方法"},
      {408, "请求超时"},       {413, "提交的内容过大"}, {414, "请求地址过长"},
      {417, "请求有误"},       {431, "请求头过大"},   {422, "填写的内容有误"},
      {429, "操作过于频繁"},   {500, "服务器内部错误"}, {503, "服务暂时不可用"}};
  const auto t = kTitles.find(status);
  const std::string title = t != kTitles.end() ? t->second : "出错了";
  auto under = [&](const std::string& area) {
    return req.path == area || req.path.rfind(area + "/", 0) == 0;
  };
  Response r;
  if (under("/open311")) {
    // The address's limit comes long before the thousand service_request_id the list takes
    // (about 270 numbers fit): a client syncing its requests hears how to split the list.
    // Only when it sent such a list (a request line past the head limit arrives without its
    // query, so there it may have): a long service_code list was told to split its ids.
    const bool list = req.path.rfind("/open311/v2/requests.", 0) == 0;
    const auto query = req.raw_target.find('?');
    const bool ids = query == std::string::npos ||
                     req.raw_target.find("service_request_id=", query) != std::string::npos;
    std::string text = message;
    if (status == 414 && list) {
      text = "请求地址过长（不能超过" + std::to_string(ctx.config.server.max_target_bytes) +
             "字节）" +
             (ids ? "：service_request_id 请分批查询，每次不超过100个编号" : "，请减少查询参数");
    }
    r = open311ErrorResponse(req, status, text);
  } else if (under("/api") || req.path == "/healthz") {
    json body{{"error", {{"status", status}, {"message", message}, {"title", title}}}};
    r = Response::json(body.dump(), status);
  } else {
    json view{{"status", status}, {"title", title}, {"message", message}};
    view.update(layoutJson(ctx.config.site, req, title, ""));
    r = Response::html(ctx.renderer.render("error", view), status);
  }
  // An outage or overload: tell clients when to try again (RFC 9110, 10.2.3).
  if (status == 503) r.headers.emplace_back("Retry-After", "30");
  return r;
}

}  // namespace portal::web
