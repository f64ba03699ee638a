// The public change log: item history and diffs, recent changes, Atom feeds, versions API.
#include <map>

#include "portal/http/url.h"
#include "portal/publishing/item_diff.h"
#include "portal/publishing/text_diff.h"
#include "portal/web/handlers.h"
#include "portal/web/views.h"
#include "portal/web/xml.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

constexpr int kRecentLimit = 50;

json versionJson(const VersionRecord& v, const std::map<std::int64_t, Department>& depts) {
  json j{{"code", v.code},
         {"name", v.name},
         {"version", v.version},
         {"status", std::string(statusCode(v.status))},
         {"status_name", std::string(statusName(v.status))},
         {"change_kind", std::string(changeKindCode(v.change_kind))},
         {"change_kind_name", std::string(changeKindName(v.change_kind))},
         {"change_reason", v.change_reason},
         {"legal_trigger", v.legal_trigger},
         {"published_at", v.published_at},
         {"url", ""},
         {"version_url", ""}};
  auto d = depts.find(v.department_id);
  if (d != depts.end()) {
    j["url"] = itemPath(d->second.slug, v.code);
    j["version_url"] =
        itemPath(d->second.slug, v.code) + "/history?to=" + std::to_string(v.version);
    j["department"] = {{"slug", d->second.slug},
                       {"name", d->second.name},
                       {"url", "/departments/" + http::percentEncode(d->second.slug)}};
  }
  return j;
}

std::map<std::int64_t, Department> departmentsById(const std::vector<Department>& list) {
  std::map<std::int64_t, Department> out;
  for (const auto& d : list) out[d.id] = d;
  return out;
}

std::map<std::int64_t, Department> departmentsById(Context& ctx) {
  return departmentsById(ctx.catalog.departmentList());
}

std::optional<int> versionParam(const Request& req, const char* name) {
  auto v = req.queryValue(name);
  if (!v || v->empty()) return std::nullopt;
  const auto n = http::parseWholeNumber(*v, 6);
  if (!n) throw http::HttpError(400, "版本号应为正整数。", "bad_version");
  return static_cast<int>(*n);
}

// The history page: every version, and two versions compared. Two versions: only the fields
// that changed, each with its removed and added characters marked (<del>/<ins>); the unchanged
// ones by name. One version: every field.
json itemHistoryJson(const ItemHistory& h) {
  const auto depts = departmentsById(h.history.departments);
  json versions = json::array();
  for (const auto& v : h.history.versions) {
    json j = versionJson(v, depts);
    j["selected_from"] = v.version == h.from;
    j["selected_to"] = v.version == h.to;
    versions.push_back(j);
  }
  json fields = json::array();
  json changed_fields = json::array();
  std::string unchanged;
  for (const auto& f : diffItems(*h.from_version, *h.to_version)) {
    fields.push_back({{"label", f.label}, {"value", f.after}});
    if (!f.changed) {
      unchanged += (unchanged.empty() ? "" : "、") + f.label;
      continue;
    }
    json before = json::array(), after = json::array();
    for (const auto& run : diffText(f.before, f.after)) {
      const bool same = run.kind == TextDiffRun::Kind::Same;
      if (same || run.kind == TextDiffRun::Kind::Removed) {
        before.push_back({{"text", run.text}, {"removed", !same}});
      }
      if (same || run.kind == TextDiffRun::Kind::Added) {
        after.push_back({{"text", run.text}, {"added", !same}});
      }
    }
    changed_fields.push_back({{"label", f.label}, {"before", before}, {"after", after}});
  }
  const ListItem& b = *h.to_version;
  return json{{"item", itemJson(h.current.item, h.current.department)},
              {"versions", versions},
              {"from", h.from},
              {"to", h.to},
              {"fields", fields},
              {"changed_fields", changed_fields},
              {"unchanged_labels", unchanged},
              {"same_version", h.from == h.to},
              {"changed_count", changed_fields.size()},
              {"to_version",
               versionJson(VersionRecord{b.code, b.name, b.department_id, b.version, b.status,
                                         b.change_kind, b.change_reason, b.legal_trigger,
                                         b.published_at},
                           depts)}};
}

// "2026-11-26 14:00:00" (Beijing) as RFC 3339.
std::string rfc3339(const std::string& beijing) {
  if (beijing.size() < 19) return "1970-01-01T00:00:00+08:00";
  return beijing.substr(0, 10) + "T" + beijing.substr(11, 8) + "+08:00";
}

Response atomFeed(Context& ctx, const std::string& title, const std::string& self_path,
                  const std::vector<VersionRecord>& changes) {
  const std::string base = ctx.config.site.base_url;
  const auto depts = departmentsById(ctx);
  std::string out =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
      "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n"
      "  <title>" +
      xmlEscape(title) +
      "</title>\n"
      "  <id>" +
      xmlEscape(base + self_path) +
      "</id>\n"
      "  <link rel=\"self\" href=\"" +
      xmlEscape(base + self_path) +
      "\"/>\n"
      "  <updated>" +
      rfc3339(changes.empty() ? "" : changes.front().published_at) +
      "</updated>\n  <author><name>" + xmlEscape(ctx.config.site.owner) + "</name></author>\n";
  for (const auto& v : changes) {
    auto d = depts.find(v.department_id);
    if (d == depts.end()) continue;
    const std::string url =
        base + itemPath(d->second.slug, v.code) + "/history?to=" + std::to_string(v.version);
    out +=
        "  <entry>\n    <title>【" + std::string(changeKindName(v.change_kind)) + "】" +
        xmlEscape(v.name) + "</title>\n    <id>" + xmlEscape(url) + "</id>\n    <link href=\"" +
        xmlEscape(url) + "\"/>\n    <updated>" + rfc3339(v.published_at) +
        "</updated>\n    <summary>" +
        xmlEscape((d != depts.end() ? d->second.name + "，" : std::string()) + "事项编码 " +
                  v.code + "，第 " + std::to_string(v.version) + " 版。理由：" + v.change_reason) +
        "</summary>\n  </entry>\n";
  }
  out += "</feed>\n";
  return Response::text(out, 200, "application/atom+xml; charset=utf-8");
}

}  // namespace

Response itemHistoryPage(Context& ctx, const Request& req) {
  const auto to = versionParam(req, "to");
  const auto from = versionParam(req, "from");
  const auto h = ctx.catalog.itemHistory(req.params.at("slug"), req.params.at("code"), from, to);
  if (!h) throw http::HttpError(404, "未找到该事项。", "not_found");
  if (!h->from_version || !h->to_version) {
    throw http::HttpError(404, "该事项没有这个版本。", "no_version");
  }
  json view = itemHistoryJson(*h);
  view.update(layoutJson(ctx.config.site, req, h->current.item.name + " - 变更记录", "changes"));
  return Response::html(ctx.renderer.render("item_history", view));
}

Response changesPage(Context& ctx, const Request& req) {
  // One page of the latest changes; paging parameters are still checked like every list's.
  parsePaging(req, kRecentLimit);
  std::int64_t department_id = 0;
  std::string title = "最近变更";
  json view = json::object();
  if (auto slug = req.params.find("slug"); slug != req.params.end()) {
    auto d = ctx.catalog.department(slug->second);
    if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
    department_id = d->id;
    title = d->name + " 权责清单变更";
    view["department"] = departmentJson(*d);
    view["feed_url"] = "/feeds/departments/" + http::percentEncode(d->slug) + ".atom";
  } else {
    view["feed_url"] = "/feeds/changes.atom";
  }
  const auto depts = departmentsById(ctx);
  json changes = json::array();
  for (const auto& v : ctx.catalog.recentChanges(department_id, kRecentLimit)) {
    changes.push_back(versionJson(v, depts));
  }
  view["changes"] = changes;
  view["heading"] = title;
  view.update(layoutJson(ctx.config.site, req, title, "changes"));
  return Response::html(ctx.renderer.render("changes", view));
}

Response changesFeed(Context& ctx, const Request&) {
  return atomFeed(ctx, ctx.config.site.name + " 权责清单变更", "/feeds/changes.atom",
                  ctx.catalog.recentChanges(0, kRecentLimit));
}

Response departmentChangesFeed(Context& ctx, const Request& req) {
  std::string slug = req.params.at("file");
  const std::string suffix = ".atom";
  if (slug.size() <= suffix.size() ||
      slug.compare(slug.size() - suffix.size(), suffix.size(), suffix) != 0) {
    throw http::HttpError(404, "未找到该订阅源。", "not_found");
  }
  slug.resize(slug.size() - suffix.size());
  auto d = ctx.catalog.department(slug);
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  return atomFeed(ctx, d->name + " 权责清单变更",
                  "/feeds/departments/" + http::percentEncode(d->slug) + ".atom",
                  ctx.catalog.recentChanges(d->id, kRecentLimit));
}

Response apiItemVersions(Context& ctx, const Request& req) {
  parsePaging(req, 100);  // the whole history in one answer; bad paging is still refused
  const auto h = ctx.catalog.itemVersions(req.params.at("id"), req.params.at("code"));
  if (!h) throw http::HttpError(404, "未找到该事项。", "not_found");
  const auto depts = departmentsById(h->departments);
  json versions = json::array();
  for (const auto& v : h->versions) versions.push_back(versionJson(v, depts));
  return Response::json(json{{"code", req.params.at("code")}, {"versions", versions}}.dump());
}

Response apiItemVersion(Context& ctx, const Request& req) {
  const auto n = http::parseWholeNumber(req.params.at("n"), 6);
  if (!n) throw http::HttpError(400, "版本号应为正整数。", "bad_version");
  const auto v = ctx.catalog.itemVersion(req.params.at("id"), req.params.at("code"),
                                         static_cast<int>(*n));
  if (!v) throw http::HttpError(404, "未找到该事项的这个版本。", "not_found");
  return Response::json(itemJson(v->item, v->department).dump());
}

}  // namespace portal::web
