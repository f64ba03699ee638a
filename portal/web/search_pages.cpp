#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "portal/http/url.h"
#include "portal/web/handlers.h"
#include "portal/web/search_shortcuts.h"
#include "portal/web/views.h"
#include "search/search_error.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

// What a citizen asked for, validated: the search request plus what is needed to build links.
struct SearchForm {
  std::string q;
  std::map<std::string, std::vector<std::string>> selected;  // department/type/status codes
  bool all_statuses = false;
  bool by_date = false;
  int page = 1;
  search::SearchRequest request;
};

std::vector<std::string> splitCommas(const std::string& v) {
  std::vector<std::string> out;
  std::stringstream ss(v);
  std::string part;
  while (std::getline(ss, part, ',')) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

SearchForm parseSearchForm(const Request& req, const std::map<std::string, std::string>& depts) {
  SearchForm f;
  f.q = req.queryValue("q").value_or("");
  for (const auto& v : splitCommas(req.queryValue("department").value_or(""))) {
    if (!depts.count(v)) throw http::HttpError(400, "未知的部门：" + v + "。", "bad_department");
    f.selected["department"].push_back(v);
  }
  for (const auto& v : splitCommas(req.queryValue("type").value_or(""))) {
    auto code = itemTypeCode(v);
    if (!code) throw http::HttpError(400, "未知的事项类型：" + v + "。", "bad_type");
    f.selected["type"].push_back(*code);
  }
  for (const auto& v : splitCommas(req.queryValue("status").value_or(""))) {
    if (v == "all") {
      f.all_statuses = true;
      continue;
    }
    auto s = parseStatus(v);
    if (!s) throw http::HttpError(400, "未知的事项状态：" + v + "。", "bad_status");
    f.selected["status"].push_back(std::string(statusCode(*s)));
  }
  std::string sort = req.queryValue("sort").value_or("");
  if (sort.empty()) sort = "relevance";  // as an empty page= or type= is the default
  if (sort != "relevance" && sort != "date") {
    throw http::HttpError(400, "排序方式只能是相关度或日期。", "bad_sort");
  }
  f.by_date = sort == "date";
  const Paging paging = parsePaging(req, 20);
  if (paging.page > 500) throw http::HttpError(400, "页码过大。", "bad_page");
  f.page = paging.page;
  f.request.q = f.q;
  f.request.filters = f.selected;
  // By default what a citizen can still turn to: items in force, and items delegated to the
  // sub-districts (their page says who exercises them now). Cancelled ones only on request.
  // Asked as "not cancelled" (every document has one of the three statuses): filtering on the
  // other two read the postings of nearly every document for each query the search runs.
  if (!f.all_statuses && !f.selected.count("status")) {
    f.request.excluded["status"] = {std::string(statusCode(ItemStatus::Cancelled))};
  }
  f.request.sort =
      f.by_date ? search::SearchRequest::Sort::Date : search::SearchRequest::Sort::Relevance;
  f.request.page = f.page;
  f.request.page_size = paging.page_size;
  return f;
}

std::string searchUrl(const SearchForm& f,
                      const std::map<std::string, std::vector<std::string>>& sel, bool all_statuses,
                      int page) {
  std::string url = "/search?q=" + http::percentEncode(f.q);
  for (const char* name : {"department", "type", "status"}) {
    auto it = sel.find(name);
    std::string joined;
    if (it != sel.end()) {
      for (const auto& v : it->second) joined += (joined.empty() ? "" : ",") + v;
    }
    if (std::string(name) == "status" && all_statuses) joined = "all";
    if (!joined.empty()) url += std::string("&") + name + "=" + http::percentEncode(joined);
  }
  if (f.by_date) url += "&sort=date";
  if (page > 1) url += "&page=" + std::to_string(page);
  return url;
}

// Departments by slug: names for facets, and where a hit's complaint goes.
struct Departments {
  std::map<std::string, std::string> names;
  std::map<std::string, Department> by_slug;
};

// What search pages read from MariaDB is read at most every kReadTtl per worker thread (each
// thread its own copy, so no lock): a search then costs no database round trip (it had one per
// search for the basis notices, 0.8 ms of MariaDB's CPU a search under bench/search.sh's load),
// and a renamed department, a new hotline or a legal-office flag shows in search results on
// every node within that time. `load` is called with the context when the copy is older; each
// caller's lambda is a type of its own, so each has its own copy.
constexpr auto kReadTtl = std::chrono::seconds(2);

template <typename T, typename Load>
const T& readEvery(Context& ctx, Load load) {
  struct Cached {
    const void* catalog = nullptr;  // tests run several portals in one process
    std::chrono::steady_clock::time_point read_at;
    T value;
  };
  thread_local Cached cached;
  const auto now = std::chrono::steady_clock::now();
  if (cached.catalog != &ctx.catalog || now - cached.read_at >= kReadTtl) {
    cached.value = load(ctx);
    cached.catalog = &ctx.catalog;
    cached.read_at = now;
  }
  return cached.value;
}

const Departments& departments(Context& ctx) {
  return readEvery<Departments>(ctx, [](Context& c) {
    Departments fresh;
    for (auto& d : c.catalog.departmentList()) {
      fresh.names[d.slug] = d.name;
      fresh.by_slug.emplace(d.slug, std::move(d));
    }
    return fresh;
  });
}

// The legal office's notices on items whose legal basis changed, by item key (see
// CatalogService::basisNotices).
const std::map<std::string, std::string>& basisNotices(Context& ctx) {
  return readEvery<std::map<std::string, std::string>>(ctx, [](Context& c) { return c.catalog.basisNotices(); });
}

// Fewer hits than this, and the page offers the complaint form and channels as well.
constexpr std::size_t kFewHits = 5;

std::string kindLabel(const std::string& kind) {
  static const std::map<std::string, std::string> kLabels = {
      {"item", "权责事项"},   {"department", "部门"},     {"decision", "执法决定"},
      {"officer", "执法人员"}, {"disclosure", "执法公示"}};
  auto it = kLabels.find(kind);
  return it == kLabels.end() ? kind : it->second;
}

std::string fieldLabel(const std::string& field) {
  static const std::map<std::string, std::string> kLabels = {
      {"certificate", "执法证件"},  // an officer's department, category, region
      {"title", "名称"},    {"basis", "设定依据"},       {"sub_items", "子项"},
      {"body", "实施主体"}, {"duties", "责任事项"},      {"accountability", "追责情形"},
      {"remarks", "备注"},  {"description", "部门介绍"}, {"complaint_scope", "投诉受理范围"},
      {"facts", "主要事实"}, {"outcome", "处理结果"}, {"disclosure", "执法公示内容"}};
  auto it = kLabels.find(field);
  return it == kLabels.end() ? "" : it->second;
}

std::string facetLabel(const std::string& facet, const std::string& value,
                       const std::map<std::string, std::string>& depts) {
  if (facet == "department") {
    auto it = depts.find(value);
    return it == depts.end() ? value : it->second;
  }
  if (facet == "type") return itemTypeName(value);
  if (facet == "kind") return kindLabel(value);
  if (facet == "status") {
    auto s = parseStatus(value);
    return s ? std::string(statusName(*s)) : value;
  }
  return value;
}

search::SearchResult runSearch(Context& ctx, const SearchForm& form) {
  // A query naming only services of the site (怎么投诉) describes no situation: no act is guessed.
  search::SearchRequest request = form.request;
  const hotline::RegistrationNumberFormat numbers(ctx.config.hotline.registration_format);
  request.infer_acts = searchShortcuts(form.q, numbers).empty();
  try {
    return ctx.search.search(request);
  } catch (const search::SearchError& e) {
    std::fprintf(stderr, "search failed: %s\n", e.what());
    throw http::HttpError(503, "搜索服务暂时不可用，请稍后再试。", "search_unavailable");
  }
}

std::string totalLabel(const search::SearchResult& r) {
  return (r.total_is_exact ? "共 " : "约 ") + std::to_string(r.estimated_total) + " 条";
}

json facetsJson(const SearchForm& form, const search::SearchResult& result,
                const std::map<std::string, std::string>& depts, bool with_urls) {
  json out = json::array();
  static const std::pair<const char*, const char*> kFacets[] = {
      {"department", "部门"}, {"type", "事项类型"}, {"status", "状态"}};
  for (const auto& [name, label] : kFacets) {
    auto it = result.facets.find(name);
    if (it == result.facets.end() || it->second.empty()) continue;
    json values = json::array();
    const auto& chosen =
        form.selected.count(name) ? form.selected.at(name) : std::vector<std::string>{};
    for (const auto& [value, count] : it->second) {
      const bool selected = std::find(chosen.begin(), chosen.end(), value) != chosen.end();
      json v{{"value", value},
             {"label", facetLabel(name, value, depts)},
             {"count", count},
             {"selected", selected}};
      if (with_urls) {
        auto sel = form.selected;
        auto& list = sel[name];
        if (selected) {
          list.erase(std::find(list.begin(), list.end(), value));
        } else {
          list.push_back(value);
        }
        v["url"] = searchUrl(form, sel, form.all_statuses && std::string(name) != "status", 1);
      }
      values.push_back(std::move(v));
    }
    out.push_back({{"name", name}, {"label", label}, {"values", values}});
  }
  return out;
}

const char* tierCode(search::MatchTier tier) {
  switch (tier) {
    case search::MatchTier::Exact: return "exact";
    case search::MatchTier::Strict: return "strict";
    case search::MatchTier::Relaxed: return "relaxed";
    case search::MatchTier::Related: return "related";
    case search::MatchTier::Nearby: return "nearby";
    case search::MatchTier::Partial: return "partial";
    case search::MatchTier::Browse: return "browse";
  }
  return "";
}

// What the page says about a weaker match; empty for a match of the query's words.
std::string tierLabel(search::MatchTier tier) {
  if (tier == search::MatchTier::Related) return "可能相关";
  if (tier == search::MatchTier::Nearby) return "字词相近";
  if (tier == search::MatchTier::Partial) return "部分匹配";
  return "";
}

// The department that handles a hit and how to complain to it; null when the hit names none.
json handlerJson(const search::Hit& h, const Departments& depts) {
  const auto it = depts.by_slug.find(h.department);
  if (it == depts.by_slug.end()) return nullptr;
  const Department& d = it->second;
  return {{"slug", d.slug},
          {"name", d.name},
          {"url", "/departments/" + http::percentEncode(d.slug)},
          {"hotline", d.hotline_phone},
          {"complaint_url", "/complaints/new?department_id=" + std::to_string(d.id)}};
}

json hitsJson(const search::SearchResult& result, const Departments& depts) {
  json hits = json::array();
  for (const auto& h : result.hits) {
    hits.push_back({{"id", h.id},
                    {"kind", h.kind},
                    {"kind_label", kindLabel(h.kind)},
                    {"title", h.title},
                    {"title_html", h.title_html},
                    {"url", h.url},
                    {"date", h.date},
                    {"snippet_html", h.snippet_html},
                    {"matched_field", h.matched_field},
                    {"matched_field_label", fieldLabel(h.matched_field)},
                    {"tier", tierCode(h.tier)},
                    {"tier_label", tierLabel(h.tier)},
                    {"handler", handlerJson(h, depts)}});
  }
  return hits;
}

// The legal office's flag (依据已修订，待更新) on each item hit that carries one, read from
// MariaDB (every kReadTtl, basisNotices above), so it comes and goes with the item page within
// that time, not with the index.
void addBasisNotices(Context& ctx, json& hits) {
  const auto& notices = basisNotices(ctx);  // item:<department id>/<code>, see indexing/documents.h
  if (notices.empty()) return;
  for (auto& h : hits) {
    const std::string id = h.value("id", "");
    const auto it = id.size() > 5 ? notices.find(id.substr(5)) : notices.end();
    if (h.value("kind", "") == "item" && it != notices.end()) h["basis_notice"] = it->second;
  }
}

}  // namespace

namespace {

// Whether a page of hits is "few": fewer than kFewHits match the query's own words, not just
// characters; and whether even the best hit matches only some of them.
void addHitQuality(const search::SearchResult& result, json& view) {
  std::size_t word_hits = 0;
  for (const auto& h : result.hits) word_hits += !search::weakerMatch(h.tier);
  view["few_hits"] = result.page == 1 && word_hits < kFewHits;
  view["only_partial"] = !result.hits.empty() && search::weakerMatch(result.hits.front().tier);
}

// What the page says the search added to the citizen's words: each word with the wordings it
// was widened to, leaving out the word itself (“油烟”→餐饮服务, not →油烟、餐饮服务) and a word
// widened to nothing else.
json expansionsJson(const search::SearchResult& result) {
  json expansions = json::array();
  for (const auto& e : result.expansions_used) {
    std::string formal;
    for (const auto& f : e.formal) {
      if (f != e.plain) formal += (formal.empty() ? "" : "、") + f;
    }
    if (!formal.empty()) expansions.push_back({{"plain", e.plain}, {"formal", formal}, {"last", false}});
  }
  if (!expansions.empty()) expansions.back()["last"] = true;
  return expansions;
}

// Paging and the links that change one thing of the search: page, inactive items, order.
void addSearchLinks(const SearchForm& form, const search::SearchResult& result, json& view) {
  const auto pages =
      result.page_size > 0
          ? static_cast<int>((result.estimated_total + result.page_size - 1) / result.page_size)
          : 1;
  view["page"] = result.page;
  if (result.page > 1)
    view["prev_url"] = searchUrl(form, form.selected, form.all_statuses, result.page - 1);
  if (result.page < pages)
    view["next_url"] = searchUrl(form, form.selected, form.all_statuses, result.page + 1);
  view["past_end"] = result.hits.empty() && result.estimated_total > 0;
  view["first_page_url"] = searchUrl(form, form.selected, form.all_statuses, 1);
  if (!form.all_statuses && !form.selected.count("status")) {
    view["include_inactive_url"] = searchUrl(form, form.selected, true, 1);
  }
  view["relevance_url"] =
      searchUrl(SearchForm{form.q, form.selected, form.all_statuses, false, 1, {}}, form.selected,
                form.all_statuses, 1);
  SearchForm dated = form;
  dated.by_date = true;
  view["date_url"] = searchUrl(dated, form.selected, form.all_statuses, 1);
}

void addResults(Context& ctx, const SearchForm& form, const search::SearchResult& result,
                const Departments& all_depts, json& view) {
  view["searched"] = true;
  view["problem_message"] = result.problem_message;
  view["has_problem"] = result.problem != search::QueryProblem::None;
  view["hits"] = hitsJson(result, all_depts);
  addBasisNotices(ctx, view["hits"]);
  view["has_hits"] = !result.hits.empty();
  addHitQuality(result, view);
  view["total_label"] = totalLabel(result);
  view["facets"] = facetsJson(form, result, all_depts.names, true);
  view["has_facets"] = !view["facets"].empty();
  view["simplified_query"] = result.simplified_query;
  view["has_simplified"] = !result.simplified_query.empty();
  view["expansions"] = expansionsJson(result);
  view["has_expansions"] = !view["expansions"].empty();
  addSearchLinks(form, result, view);
}

// The wordings the citizen's words were widened to, as the API gives them.
json apiExpansionsJson(const search::SearchResult& result) {
  json out = json::array();
  for (const auto& e : result.expansions_used) out.push_back({{"plain", e.plain}, {"formal", e.formal}});
  return out;
}

// The site's pages the query names (search_shortcuts.h), read in simplified script.
json shortcutsJson(Context& ctx, const SearchForm& form, const search::SearchResult& result) {
  const hotline::RegistrationNumberFormat numbers(ctx.config.hotline.registration_format);
  const std::string& text = result.simplified_query.empty() ? form.q : result.simplified_query;
  json out = json::array();
  for (const SearchShortcut& s : searchShortcuts(text, numbers)) {
    out.push_back({{"label", s.label}, {"url", s.url}});
  }
  return out;
}

}  // namespace

Response searchPage(Context& ctx, const Request& req) {
  const Departments& all_depts = departments(ctx);
  const SearchForm form = parseSearchForm(req, all_depts.names);
  json view{{"q", form.q}, {"by_date", form.by_date}};
  const bool browsing = form.q.empty() && form.selected.empty();
  if (!browsing) {
    const auto result = runSearch(ctx, form);
    addResults(ctx, form, result, all_depts, view);
    view["shortcuts"] = shortcutsJson(ctx, form, result);
    view["has_shortcuts"] = !view["shortcuts"].empty();
  }
  const std::string title = form.q.empty() ? "搜索" : form.q + " - 搜索";
  view.update(layoutJson(ctx.config.site, req, title, "search"));
  view["search_q"] = form.q;
  return Response::html(ctx.renderer.render("search", view));
}

Response apiSearch(Context& ctx, const Request& req) {
  const Departments& all_depts = departments(ctx);
  const auto& depts = all_depts.names;
  const SearchForm form = parseSearchForm(req, depts);
  if (form.q.empty() && form.selected.empty()) {
    throw http::HttpError(400, "请输入搜索词，或选择筛选条件。", "empty_query");
  }
  const auto result = runSearch(ctx, form);
  if (result.problem != search::QueryProblem::None) {
    throw http::HttpError(400, result.problem_message, "bad_query");
  }
  json body{{"query", form.q},
            {"normalized_query", result.normalized_query},
            {"simplified_query", result.simplified_query.empty() ? json(nullptr)
                                                                 : json(result.simplified_query)},
            {"expansions", apiExpansionsJson(result)},
            {"total", result.estimated_total},
            {"total_is_exact", result.total_is_exact},
            {"total_label", totalLabel(result)},
            {"page", result.page},
            {"page_size", result.page_size},
            {"shortcuts", shortcutsJson(ctx, form, result)},
            {"hits", hitsJson(result, all_depts)},
            {"facets", facetsJson(form, result, depts, false)}};
  addBasisNotices(ctx, body["hits"]);
  return Response::json(body.dump());
}

Response openSearchDescription(Context& ctx, const Request&) {
  const std::string base = ctx.config.site.base_url;
  json view{{"site_name", ctx.config.site.name}, {"base_url", base}};
  return Response::text(ctx.renderer.render("opensearch", view), 200,
                        "application/opensearchdescription+xml; charset=utf-8");
}

}  // namespace portal::web
