// The sheet picker of the import preview (issue 11): a workbook with several sheets is
// previewed with its first list; the person picks another sheet, the preview follows, the
// apply imports that sheet, and the department's remembered mapping keeps the sheet for the
// next upload. Real server, real MariaDB.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "portal/http/url.h"
#include "portal/publishing/csv_reader.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/docx_writer.h"
#include "tests/support/xlsx_writer.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

TEST(ImportSheetPicker, ThePersonPicksTheSheetAndTheChoiceIsRemembered) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.server.max_request_bytes = 1 << 20;
  e2e::RunningPortal portal(config);
  e2e::createStaff(portal, "editor_zhzf", "editor", "zhzf");
  e2e::StaffBrowser editor(portal);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);

  auto exported = portal.client().Get("/departments/zhzf/export.csv");
  ASSERT_TRUE(exported);
  const auto table =
      std::get<portal::publishing::CsvTable>(portal::publishing::CsvReader().read(exported->body));
  ASSERT_GE(table.records.size(), 3u);
  // Two editions of the list in one workbook, each renaming a different item.
  test_support::XlsxSheet old_sheet, new_sheet;
  old_sheet.name = "2025年版";
  new_sheet.name = "2026年版";
  for (const auto& r : table.records) {
    old_sheet.rows.push_back(r.fields);
    new_sheet.rows.push_back(r.fields);
  }
  const std::string old_code = old_sheet.rows[1][0];
  const std::string new_code = new_sheet.rows[2][0];
  old_sheet.rows[1][1] += "（旧版名称）";
  new_sheet.rows[2][1] += "（2026年调整）";
  const std::string renamed = new_sheet.rows[2][1];
  const std::string xlsx = test_support::writeXlsx({old_sheet, new_sheet});

  editor.get("/admin/departments/zhzf/import");
  httplib::MultipartFormDataItems upload = {
      {"file", xlsx, "清单.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"reason", "2026年清单调整", "", ""}};
  auto first = editor.postMultipart("/admin/departments/zhzf/import/preview", upload);
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_NE(first->body.find("工作表“2025年版”"), std::string::npos);
  EXPECT_NE(first->body.find("<option value=\"2026年版\">2026年版</option>"), std::string::npos)
      << first->body;
  EXPECT_NE(first->body.find("（旧版名称）"), std::string::npos);

  // Pick the other sheet.
  const std::string token = e2e::hiddenValue(first->body, "import_token");
  ASSERT_FALSE(token.empty());
  httplib::MultipartFormDataItems pick = {
      {"import_token", token, "", ""},
      {"choices_json", e2e::hiddenValue(first->body, "choices_json"), "", ""},
      {"previewed_sheet", "2025年版", "", ""},
      {"sheet", "2026年版", "", ""},
      {"reason", "2026年清单调整", "", ""}};
  auto second = editor.postMultipart("/admin/departments/zhzf/import/preview", pick);
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200) << second->body;
  EXPECT_NE(second->body.find("工作表“2026年版”"), std::string::npos);
  EXPECT_NE(second->body.find("<option value=\"2026年版\" selected>"), std::string::npos);
  EXPECT_NE(second->body.find("变更 1 项"), std::string::npos);
  EXPECT_NE(second->body.find(renamed), std::string::npos);
  EXPECT_EQ(second->body.find("（旧版名称）"), std::string::npos);

  // Apply: the picked sheet goes in, and the department remembers it.
  const std::string choices = e2e::hiddenValue(second->body, "choices_json");
  EXPECT_NE(choices.find("2026年版"), std::string::npos) << choices;
  auto applied = editor.post("/admin/departments/zhzf/import/apply",
                             "import_token=" + percentEncode(token) +
                                 "&choices_json=" + percentEncode(choices) +
                                 "&reason=" + percentEncode("2026年清单调整"));
  ASSERT_TRUE(applied);
  ASSERT_EQ(applied->status, 200) << applied->body;
  EXPECT_EQ(json::parse(portal.client().Get(("/api/v1/items/" + new_code).c_str())->body)["name"],
            renamed);
  EXPECT_EQ(json::parse(portal.client().Get(("/api/v1/items/" + old_code).c_str())->body)["name"],
            table.records[1].fields[1]);

  // The same workbook uploaded again: the remembered sheet, nothing to change.
  auto again = editor.postMultipart("/admin/departments/zhzf/import/preview", upload);
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find("工作表“2026年版”"), std::string::npos);
  EXPECT_NE(again->body.find("新增 0 项，变更 0 项，取消 0 项，下放 0 项"), std::string::npos);
}

// 克拉玛依市农业农村局's list (tests/data/real-lists/full/70_*): nine sheets, one per type. The
// preview reads them all and the picker says so; the person can still take one sheet alone.
TEST(ImportSheetPicker, AListSplitIntoSheetsPerTypeIsReadWholeOrOneSheetAsPicked) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.server.max_request_bytes = 4 << 20;
  e2e::RunningPortal portal(config);
  e2e::createStaff(portal, "editor_zhzf", "editor", "zhzf");
  e2e::StaffBrowser editor(portal);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  std::ifstream in(std::string(REAL_LISTS_DIR) + "/full/70_karamay-agriculture_both.xls",
                   std::ios::binary);
  std::stringstream xls;
  xls << in.rdbuf();

  editor.get("/admin/departments/zhzf/import");
  auto whole = editor.postMultipart(
      "/admin/departments/zhzf/import/preview",
      {{"file", xls.str(), "2024年市农业农村局权责清单.xls", "application/vnd.ms-excel"},
       {"reason", "2024年清单", "", ""}});
  ASSERT_TRUE(whole);
  ASSERT_EQ(whole->status, 200) << whole->body;
  EXPECT_NE(whole->body.find("全部 9 个工作表（按事项类型分表）；读出 310 行事项"),
            std::string::npos);
  EXPECT_NE(whole->body.find("<option value=\"*\" selected>全部工作表（按事项类型分表）</option>"),
            std::string::npos);

  httplib::MultipartFormDataItems pick = {
      {"import_token", e2e::hiddenValue(whole->body, "import_token"), "", ""},
      {"choices_json", e2e::hiddenValue(whole->body, "choices_json"), "", ""},
      {"previewed_sheet", e2e::hiddenValue(whole->body, "previewed_sheet"), "", ""},
      {"sheet", "行政奖励（2项）", "", ""},
      {"reason", "2024年清单", "", ""}};
  auto one = editor.postMultipart("/admin/departments/zhzf/import/preview", pick);
  ASSERT_TRUE(one);
  ASSERT_EQ(one->status, 200) << one->body;
  EXPECT_NE(one->body.find("工作表“行政奖励（2项）”；读出 2 行事项"), std::string::npos);
  EXPECT_NE(one->body.find("<option value=\"行政奖励（2项）\" selected>"), std::string::npos);
}

}  // namespace

namespace {

// A list published as a table in a Word document goes in through the staff upload as a
// spreadsheet would: the preview names the format and reads the items (实施主体 merged down
// over them, w:vMerge), the apply publishes them. The rows are 白城市市场监督管理局's, as
// published (tests/data/real-lists/tune/12_baicheng_power.csv).
TEST(ImportWordDocument, AListInAWordTableIsPreviewedAndImported) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  e2e::RunningPortal portal(config);
  e2e::createStaff(portal, "editor_zhzf", "editor", "zhzf");
  e2e::StaffBrowser editor(portal);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  using test_support::DocxCell;
  const auto restart = DocxCell::VMerge::Restart;
  const auto covered = DocxCell::VMerge::Continue;
  test_support::DocxBlock table;
  table.table = {
      {{"序号"}, {"实施主体"}, {"事项名称(主项)"}, {"事项类别"}, {"行使层级"}},
      {{"1"}, {"白城市市场监督管理局", 1, restart}, {"企业设立、变更、注销登记"}, {"行政许可"}, {"市级"}},
      {{"2"}, {"", 1, covered}, {"计量标准器具核准"}, {"行政许可"}, {"市级"}},
  };
  const std::string docx = test_support::writeDocx({table});

  editor.get("/admin/departments/zhzf/import");
  auto page = editor.postMultipart(
      "/admin/departments/zhzf/import/preview",
      {{"file", docx, "白城市市场监督管理局权力清单.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
       {"reason", "按公布的清单导入", "", ""},
       {"mode", "whole", "", ""}});
  ASSERT_TRUE(page);
  ASSERT_EQ(page->status, 200) << page->body;
  EXPECT_NE(page->body.find("Word 文档（.docx）"), std::string::npos);
  EXPECT_NE(page->body.find("读出 2 行事项"), std::string::npos);
  EXPECT_NE(page->body.find("表格的每一行、表格之外的每个段落各算一行"), std::string::npos);

  auto done = editor.post(
      "/admin/departments/zhzf/import/apply",
      "import_token=" + percentEncode(e2e::hiddenValue(page->body, "import_token")) +
          "&choices_json=" + percentEncode(e2e::hiddenValue(page->body, "choices_json")) +
          "&mode=whole&reason=" + percentEncode("按公布的清单导入"));
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("已导入"), std::string::npos);
  // The item is published under the code the result lists beside its name.
  const std::size_t named = done->body.find("计量标准器具核准");
  ASSERT_NE(named, std::string::npos);
  const std::size_t at = done->body.rfind("ZHZF-XK-", named);
  ASSERT_NE(at, std::string::npos);
  const std::string code = done->body.substr(at, done->body.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-", at) - at);
  auto item = portal.client().Get(("/api/v1/items/" + code).c_str());
  ASSERT_TRUE(item);
  ASSERT_EQ(item->status, 200) << code;
  EXPECT_EQ(json::parse(item->body)["name"], "计量标准器具核准");
}

}  // namespace
