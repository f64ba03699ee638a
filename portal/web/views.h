#pragma once

#include <nlohmann/json.hpp>

#include "portal/config.h"
#include "portal/http/request.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/catalog_service.h"

namespace portal::web {

// View models: plain JSON shared by the HTML templates and the JSON API, so a page and its
// API answer never disagree. Only public fields go in.
nlohmann::json departmentJson(const publishing::Department& d);
nlohmann::json overviewJson(const publishing::DepartmentOverview& o);
nlohmann::json typeCountsJson(const std::vector<publishing::TypeCount>& counts);
nlohmann::json itemSummaryJson(const publishing::ItemSummary& s);
nlohmann::json itemJson(const publishing::ListItem& item, const publishing::Department& d);
// The public item with the legal office's flags showing on it ("basis_flags": notice
// 依据已修订，待更新, the law, what happened to it, the articles cited, the date flagged).
nlohmann::json publicItemJson(const publishing::ItemWithDepartment& found);
// For the HTML pages, beside the fields: "responsibilities_numbered" and
// "accountability_numbered", true when a line of the field carries the list's own number
// ("1.规范完善审查标准…", "（一）…"): the page shows those lines as written, not numbered again.
void addNumberedLineFlags(nlohmann::json& item_json, const publishing::ListItem& item);
nlohmann::json pageInfoJson(std::int64_t total, int page, int page_size, int page_count);

// What every HTML page needs: site name, navigation state, text size.
nlohmann::json layoutJson(const SiteOptions& site, const http::Request& req,
                          const std::string& page_title, const std::string& nav);

struct Paging {
  int page = 1;
  int page_size = 50;
};
// page (1-based) and page_size (1..100). Throws HttpError 400 with a Chinese message.
Paging parsePaging(const http::Request& req, int default_page_size);

// Paging and filter parameters shared by pages and API. Throws HttpError 400 with a Chinese
// message for an unknown type or status, or a page that is not a positive whole number.
publishing::ItemFilter parseItemFilter(const http::Request& req);

}  // namespace portal::web
