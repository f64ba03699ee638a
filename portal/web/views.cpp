#include "portal/web/views.h"

#include <string>
#include <vector>

#include "portal/http/url.h"
#include "portal/publishing/item_fields.h"
#include "portal/publishing/legal_basis.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

json departmentJson(const Department& d) {
  return json{{"id", d.id},
              {"slug", d.slug},
              {"name", d.name},
              {"short_name", d.short_name},
              {"description", d.description},
              {"main_duties", d.main_duties},
              {"complaint_channels",
               {{"scope", d.complaint_scope},
                {"hotline", d.hotline_phone},
                {"email", d.complaint_email},
                {"postal_address", d.postal_address},
                {"office_hours", d.office_hours}}},
              {"url", "/departments/" + http::percentEncode(d.slug)}};
}

json typeCountsJson(const std::vector<TypeCount>& counts) {
  json out = json::array();
  for (const auto& c : counts) {
    out.push_back({{"type", c.type}, {"type_name", itemTypeName(c.type)}, {"count", c.count}});
  }
  return out;
}

json overviewJson(const DepartmentOverview& o) {
  json j = departmentJson(o.department);
  j["items_in_force"] = o.items_in_force;
  j["items_total"] = o.items_total;
  j["in_force_by_type"] = typeCountsJson(o.in_force_by_type);
  return j;
}

json itemSummaryJson(const ItemSummary& s) {
  return json{{"code", s.code},
              {"name", s.name},
              {"type", s.type},
              {"type_name", itemTypeName(s.type)},
              {"status", std::string(statusCode(s.status))},
              {"status_name", std::string(statusName(s.status))},
              {"in_force", s.status == ItemStatus::InForce},
              {"version", s.version},
              {"updated_at", s.updated_at},
              {"url", itemPath(s.department_slug, s.code)}};
}

json itemJson(const ListItem& item, const Department& d) {
  json j = itemFieldsJson(item, kUseApi);
  j["type_name"] = itemTypeName(item.type);
  j["has_sub_items"] = !item.sub_items.empty();
  j["status_name"] = std::string(statusName(item.status));
  j["in_force"] = item.status == ItemStatus::InForce;
  j["version"] = item.version;
  j["change_kind_name"] = std::string(changeKindName(item.change_kind));
  j["department"] = {{"id", d.id},
                     {"slug", d.slug},
                     {"name", d.name},
                     {"url", "/departments/" + http::percentEncode(d.slug)}};
  j["url"] = itemPath(d.slug, item.code);
  j["api_url"] = "/api/v1/departments/" + http::percentEncode(d.slug) + "/items/" +
                 http::percentEncode(item.code);
  return j;
}

json publicItemJson(const ItemWithDepartment& found) {
  json j = itemJson(found.item, found.department);
  json flags = json::array();
  for (const auto& f : found.basis_flags) {
    flags.push_back({{"notice", flagNotice(f.kind)},
                     {"law", normaliseLawTitle(f.title)},
                     {"change", std::string(amendmentKindName(f.kind))},
                     {"articles", f.articles},
                     {"flagged_at", f.flagged_at}});
  }
  j["basis_flags"] = flags;
  j["basis_amended"] = !flags.empty();
  return j;
}

namespace {

// Does any line begin with its own list number (the list numbered it itself)?
bool anyNumbered(const std::vector<std::string>& lines) {
  for (const auto& l : lines) {
    if (publishing::startsWithListNumber(l)) return true;
  }
  return false;
}

}  // namespace

void addNumberedLineFlags(json& item_json, const ListItem& item) {
  item_json["responsibilities_numbered"] = anyNumbered(item.responsibilities);
  item_json["accountability_numbered"] = anyNumbered(item.accountability);
}

json pageInfoJson(std::int64_t total, int page, int page_size, int page_count) {
  return json{{"page", page}, {"page_size", page_size}, {"total", total}, {"pages", page_count}};
}

json layoutJson(const SiteOptions& site, const http::Request& req, const std::string& page_title,
                const std::string& nav) {
  // 适老化: large text and high contrast, each remembered in a cookie (the page cache keys on
  // both: portal/http/server.cpp).
  const bool large = req.cookie("text_size").value_or("") == "large";
  const bool high_contrast = req.cookie("contrast").value_or("") == "high";
  std::string body_class = large ? "large-text" : "";
  if (high_contrast) body_class += body_class.empty() ? "high-contrast" : " high-contrast";
  json j{{"site_name", site.name},
         {"site_owner", site.owner},
         {"site_code", site.site_code},
         {"icp_record", site.icp_record},
         {"police_record", site.police_record},
         {"citizen_hotline", site.citizen_hotline},
         {"page_title", page_title},
         {"body_class", body_class},
         {"large_text", large},
         {"text_size_toggle", large ? "normal" : "large"},
         {"text_size_label", large ? "标准字号" : "大字版"},
         {"contrast_toggle", high_contrast ? "normal" : "high"},
         {"contrast_label", high_contrast ? "标准配色" : "高对比度"},
         {"return_to", http::percentEncode(req.path)},
         {"nav_" + nav, true},
         {"search_q", ""}};
  return j;
}

Paging parsePaging(const http::Request& req, int default_page_size) {
  // A number of digits (leading zeros allowed) at most `max`; `too_large` when it has more.
  auto positive = [](const std::string& v, int max, bool* too_large) -> std::optional<int> {
    if (v.empty() || v.size() > 64) return std::nullopt;
    for (char c : v) {
      if (c < '0' || c > '9') return std::nullopt;
    }
    const auto digits = v.find_first_not_of('0');
    if (digits == std::string::npos) return std::nullopt;  // 0
    if (v.size() - digits > 9 || std::stoi(v.substr(digits)) > max) {
      if (too_large) *too_large = true;
      return std::nullopt;
    }
    return std::stoi(v.substr(digits));
  };
  Paging p{1, default_page_size};
  if (auto v = req.queryValue("page"); v && !v->empty()) {
    bool too_large = false;
    auto n = positive(*v, 100000, &too_large);
    if (too_large) throw http::HttpError(400, "页码过大。", "bad_page");
    if (!n) throw http::HttpError(400, "页码应为正整数。", "bad_page");
    p.page = *n;
  }
  if (auto v = req.queryValue("page_size"); v && !v->empty()) {
    auto n = positive(*v, 100, nullptr);
    if (!n) throw http::HttpError(400, "每页条数应为1到100之间的整数。", "bad_page_size");
    p.page_size = *n;
  }
  return p;
}

ItemFilter parseItemFilter(const http::Request& req) {
  ItemFilter f;
  if (auto t = req.queryValue("type"); t && !t->empty()) {
    f.type = itemTypeCode(*t);
    if (!f.type) throw http::HttpError(400, "未知的事项类型：" + *t + "。", "bad_type");
  }
  // "all", as search takes it, is what no status means here: every status.
  if (auto s = req.queryValue("status"); s && !s->empty() && *s != "all") {
    f.status = parseStatus(*s);
    if (!f.status) throw http::HttpError(400, "未知的事项状态：" + *s + "。", "bad_status");
  }
  const Paging paging = parsePaging(req, f.page_size);
  f.page = paging.page;
  f.page_size = paging.page_size;
  return f;
}

}  // namespace portal::web
