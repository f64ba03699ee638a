// The staff edit form gives back what it showed (issue 11): opening an item's edit form and
// publishing it without touching a field publishes nothing (无变化, no new version, no field
// changed), for the demo items and for items imported from real published lists, whose legal
// bases, multi-line cells and names come in every shape. Real server, real MariaDB.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/list_import.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

std::string attribute(const std::string& tag, const std::string& name) {
  const std::regex re("\\s" + name + "=\"([^\"]*)\"");
  std::smatch m;
  return std::regex_search(tag, m, re) ? e2e::unescapeHtml(m[1].str()) : std::string();
}

// What a browser submits for the item form in `page` when the person changes nothing: every
// input's value (a text input loses line breaks, as browsers sanitise it), every textarea's
// text (the HTML parser drops one line break right after the start tag), every select's
// selected option (else its first), and the publish button.
std::vector<std::pair<std::string, std::string>> submittedForm(const std::string& page) {
  const auto start = page.find("<form method=\"post\" action=\"/admin/items/");
  const auto end = page.find("</form>", start);
  const std::string form = page.substr(start, end - start);
  std::vector<std::pair<std::string, std::string>> out;
  const std::regex input("<input [^>]*>");
  for (std::sregex_iterator it(form.begin(), form.end(), input), e; it != e; ++it) {
    const std::string tag = it->str();
    std::string value = attribute(tag, "value");
    value.erase(std::remove(value.begin(), value.end(), '\n'), value.end());
    value.erase(std::remove(value.begin(), value.end(), '\r'), value.end());
    out.emplace_back(attribute(tag, "name"), value);
  }
  const std::regex textarea("(<textarea [^>]*>)([\\s\\S]*?)</textarea>");
  for (std::sregex_iterator it(form.begin(), form.end(), textarea), e; it != e; ++it) {
    std::string text = (*it)[2].str();
    if (!text.empty() && text[0] == '\n') text.erase(0, 1);
    out.emplace_back(attribute((*it)[1].str(), "name"), e2e::unescapeHtml(text));
  }
  const std::regex select("(<select [^>]*>)([\\s\\S]*?)</select>");
  for (std::sregex_iterator it(form.begin(), form.end(), select), e; it != e; ++it) {
    const std::string options = (*it)[2].str();
    std::smatch chosen;
    if (!std::regex_search(options, chosen, std::regex("<option value=\"([^\"]*)\" selected>"))) {
      std::regex_search(options, chosen, std::regex("<option value=\"([^\"]*)\""));
    }
    out.emplace_back(attribute((*it)[1].str(), "name"), e2e::unescapeHtml(chosen[1].str()));
  }
  out.emplace_back("op", "publish");
  return out;
}

std::string urlEncoded(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [k, v] : fields) {
    if (k == "csrf_token") continue;  // StaffBrowser adds the current one
    body += (body.empty() ? "" : "&") + percentEncode(k) + "=" + percentEncode(v);
  }
  return body;
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The labels of the fields the item page's comparison of its last two versions shows.
std::vector<std::string> changedFields(e2e::RunningPortal& portal, const std::string& item_url) {
  auto page = portal.client().Get((item_url + "/history").c_str());
  std::vector<std::string> out;
  if (!page) return out;
  const std::regex heading("<section class=\"change\"[^>]*>\\s*<h3>([^<]*)</h3>");
  for (std::sregex_iterator it(page->body.begin(), page->body.end(), heading), e; it != e; ++it) {
    out.push_back((*it)[1].str());
  }
  return out;
}

TEST(ItemFormRoundTrip, SavingTheEditFormUntouchedPublishesNothing) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.server.max_request_bytes = 1 << 20;
  e2e::RunningPortal portal(config);
  e2e::createStaff(portal, "admin_rt", "admin");

  // Real published lists (the tuning set, several shapes) replace three demo departments' lists.
  portal::publishing::CatalogService catalog(portal.app().pool());
  portal::publishing::ImportService imports(portal.app().pool());
  const std::vector<std::pair<std::string, std::string>> lists = {
      {"scjg", "tune/04_mingguang_both.csv"},
      {"wjj", "tune/11_panjin_both.csv"},
      {"sthj", "tune/31_benxi_power.csv"}};
  for (const auto& [slug, file] : lists) {
    portal::publishing::ApplyRequest request;
    request.reason = "导入已公布的清单";
    const auto report = imports.apply(catalog.department(slug)->id,
                                      readFile(std::string(REAL_LISTS_DIR) + "/" + file), request);
    ASSERT_TRUE(report.applied) << file << ": "
                                << (report.errors.empty() ? "" : report.errors[0].message);
  }

  std::vector<std::string> codes;
  std::vector<std::string> urls;  // /items/{slug}/{code}
  for (const auto& d : catalog.departments()) {
    for (int page = 1;; ++page) {
      auto r = portal.client().Get(("/api/v1/departments/" + d.department.slug +
                                    "/items?page_size=100&page=" + std::to_string(page))
                                       .c_str());
      ASSERT_TRUE(r);
      const json j = json::parse(r->body);
      for (const auto& item : j["items"]) {
        codes.push_back(item["code"].get<std::string>());
        urls.push_back(item["url"].get<std::string>());
      }
      if (j["items"].size() < 100) break;
    }
  }
  ASSERT_GT(codes.size(), 40u);
  ASSERT_NE(std::find(codes.begin(), codes.end(), "CF-ZHZF-0001"), codes.end());

  e2e::StaffBrowser staff(portal);
  ASSERT_EQ(staff.login("admin_rt"), 303);
  db::Connection conn(database.options());
  const auto versions = [&conn] {
    db::Rows r = conn.query("SELECT COUNT(*) AS n FROM list_item_versions");
    r.next();
    return r.i64("n");
  };
  const std::int64_t before = versions();
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const std::string& code = codes[i];
    const std::string& url = urls[i];
    const std::string api = "/api/v1/departments" + url.substr(std::string("/items").size());
    const auto item_before = portal.client().Get(api.c_str());
    auto page = staff.get("/admin" + url + "/edit");
    ASSERT_TRUE(page && item_before);
    ASSERT_EQ(page->status, 200) << code;
    auto fields = submittedForm(page->body);
    for (auto& [k, v] : fields) {
      if (k == "change_reason") v = "核对后未作修改";
    }
    auto saved = staff.post("/admin" + url, urlEncoded(fields));
    ASSERT_TRUE(saved);
    // Every department refuses: 无变化. One whose changes the legal office reviews (scjg)
    // refuses too, rather than making a draft that could only be refused when approved.
    EXPECT_EQ(saved->status, 422) << code << " was saved again without a change: " << saved->status
                                  << " " << saved->get_header_value("Location") << " "
                                  << changedFields(portal, url).size();
    EXPECT_NE(saved->body.find("无变化"), std::string::npos) << code;
    const auto item_after = portal.client().Get(api.c_str());
    EXPECT_EQ(json::parse(item_after->body), json::parse(item_before->body)) << code;
  }
  EXPECT_EQ(versions(), before) << "no version was written";
  db::Rows drafts = conn.query("SELECT COUNT(*) AS n FROM list_item_drafts");
  drafts.next();
  EXPECT_EQ(drafts.i64("n"), 0) << "no draft was saved for review";

  // In the department whose changes are reviewed, 保存草稿 of the untouched form is refused
  // too; a real change still becomes a draft submitted for review.
  std::string scjg_url;
  for (const auto& u : urls) {
    if (u.rfind("/items/scjg/", 0) == 0) {
      scjg_url = u;
      break;
    }
  }
  ASSERT_FALSE(scjg_url.empty());
  auto form = submittedForm(staff.get("/admin" + scjg_url + "/edit")->body);
  for (auto& [k, v] : form) {
    if (k == "change_reason") v = "核对后未作修改";
    if (k == "op") v = "draft";
  }
  auto kept = staff.post("/admin" + scjg_url, urlEncoded(form));
  ASSERT_TRUE(kept);
  EXPECT_EQ(kept->status, 422) << kept->get_header_value("Location");
  EXPECT_NE(kept->body.find("无变化"), std::string::npos);
  for (auto& [k, v] : form) {
    if (k == "remarks") v += "（经核对补充）";
    if (k == "op") v = "publish";
  }
  auto submitted = staff.post("/admin" + scjg_url, urlEncoded(form));
  ASSERT_TRUE(submitted);
  EXPECT_EQ(submitted->status, 303);
  EXPECT_EQ(submitted->get_header_value("Location").rfind("/admin/drafts/", 0), 0u)
      << "a real change in a reviewed department is a draft for review";

  // A real change through the same form still publishes, and only the touched field differs.
  auto page = staff.get("/admin/items/zhzf/CF-ZHZF-0001/edit");
  auto fields = submittedForm(page->body);
  for (auto& [k, v] : fields) {
    if (k == "change_reason") v = "补充备注";
    if (k == "remarks") v = "第一行\r\n第二行";
  }
  auto saved = staff.post("/admin/items/zhzf/CF-ZHZF-0001", urlEncoded(fields));
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 303) << saved->body;
  EXPECT_EQ(changedFields(portal, "/items/zhzf/CF-ZHZF-0001"), std::vector<std::string>{"备注"});
}

}  // namespace
