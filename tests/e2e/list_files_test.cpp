// Lists as departments hand them over (issue 11): a real published .xls (BIFF8, read by
// FreeXL) through the staff upload, and a power list and a responsibility list delivered as two
// files for the same items (supplement import). Both files of the second test are the columns
// of that same real list, cells unchanged. Real server, real MariaDB.
#include <gtest/gtest.h>
#include <iconv.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/list_import.h"
#include "portal/publishing/workbook.h"
#include "tests/e2e/e2e_support.h"
#include "tests/support/xlsx_writer.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

const std::string kXls = std::string(REAL_LISTS_DIR) + "/xls/33_karamay-medical-security_both.xls";

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class ListFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    portal::Config config = e2e::testConfig(database_.options());
    config.server.max_request_bytes = 4 << 20;
    portal_ = std::make_unique<e2e::RunningPortal>(config);
    db::Connection conn(database_.options());
    conn.execute(
        "INSERT INTO departments (slug, name, short_name, description, main_duties, "
        "complaint_scope, hotline_phone, complaint_email, postal_address, office_hours) VALUES "
        "('klmyyb', '克拉玛依市医疗保障局', '医保局', '', '', '', '', '', '', '')");
    e2e::createStaff(*portal_, "editor_yb", "editor", "klmyyb");
    editor_ = std::make_unique<e2e::StaffBrowser>(*portal_);
    ASSERT_EQ(editor_->login("editor_yb"), 303);
    editor_->get("/admin/departments/klmyyb/import");
  }

  httplib::Result preview(const std::string& file, const std::string& filename,
                          const std::string& mode = "whole") {
    return editor_->postMultipart("/admin/departments/klmyyb/import/preview",
                                  {{"file", file, filename, "application/octet-stream"},
                                   {"reason", "2024年权责清单", "", ""},
                                   {"mode", mode, "", ""}});
  }
  // Applies what the preview page offers, as its form would.
  httplib::Result apply(const std::string& page) {
    return editor_->post(
        "/admin/departments/klmyyb/import/apply",
        "import_token=" + percentEncode(e2e::hiddenValue(page, "import_token")) +
            "&choices_json=" + percentEncode(e2e::hiddenValue(page, "choices_json")) +
            "&mode=" + percentEncode(e2e::hiddenValue(page, "mode")) +
            "&reason=" + percentEncode("2024年权责清单"));
  }
  json items() {
    auto r = portal_->client().Get("/api/v1/departments/klmyyb/items?page_size=100");
    return r && r->status == 200 ? json::parse(r->body)["items"] : json::array();
  }
  json item(const std::string& code) {
    auto r = portal_->client().Get(("/api/v1/items/" + percentEncode(code)).c_str());
    return r && r->status == 200 ? json::parse(r->body) : json::object();
  }

  test_support::TestDatabase database_;
  std::unique_ptr<e2e::RunningPortal> portal_;
  std::unique_ptr<e2e::StaffBrowser> editor_;
};

TEST_F(ListFiles, ARealXlsGoesInThroughTheStaffUploadAndComesBackUnchanged) {
  const std::string xls = readFile(kXls);
  ASSERT_EQ(xls.substr(0, 4), "\xD0\xCF\x11\xE0") << "the fixture is an OLE2 (BIFF) workbook";
  auto first = preview(xls, "克拉玛依市医疗保障局2024年权责清单.xls");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200) << first->body;
  EXPECT_NE(first->body.find("Excel 97-2003 工作簿（.xls）"), std::string::npos);
  EXPECT_NE(first->body.find("读出 17 行事项"), std::string::npos) << first->body;
  EXPECT_NE(first->body.find("新增 17 项，变更 0 项，取消 0 项"), std::string::npos);
  auto done = apply(first->body);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_NE(done->body.find("已导入"), std::string::npos);

  const json listed = items();
  ASSERT_EQ(listed.size(), 17u);
  bool found = false;
  for (const auto& i : listed) {
    if (i["name"] != "医疗保险稽核") continue;
    found = true;
    const json full = item(i["code"].get<std::string>());
    EXPECT_EQ(full["type"], "jc");  // 行政检查
    EXPECT_EQ(full["implementing_body"], "克拉玛依市医疗保障局");
    ASSERT_FALSE(full["legal_bases"].empty());
    EXPECT_FALSE(full["responsibilities"].empty());
    EXPECT_FALSE(full["accountability"].empty());
  }
  EXPECT_TRUE(found) << listed.dump();

  // The same .xls again, and the portal's own export of it: nothing to change.
  auto again = preview(xls, "克拉玛依市医疗保障局2024年权责清单.xls");
  EXPECT_NE(again->body.find("新增 0 项，变更 0 项，取消 0 项，下放 0 项，无变化 17 项"),
            std::string::npos);
  auto exported = portal_->client().Get("/departments/klmyyb/export.csv");
  ASSERT_TRUE(exported);
  auto round = preview(exported->body, "klmyyb.csv");
  EXPECT_NE(round->body.find("新增 0 项，变更 0 项，取消 0 项，下放 0 项，无变化 17 项"),
            std::string::npos)
      << round->body;
}

// The power columns and the responsibility columns of the real list, as two workbooks: the
// power list first (all but its last item), then the responsibility list as a supplement.
TEST_F(ListFiles, AResponsibilityListSupplementsThePowerListItDoesNotReplaceIt) {
  const auto read = portal::publishing::readWorkbook(readFile(kXls), {});
  ASSERT_TRUE(std::holds_alternative<portal::publishing::Workbook>(read));
  const auto& rows = std::get<portal::publishing::Workbook>(read).sheets.at(0).rows;
  ASSERT_EQ(rows.size(), 19u);
  const auto cell = [&](std::size_t r, std::size_t c) {
    return c < rows[r].cells.size() ? rows[r].cells[c] : std::string();
  };
  test_support::XlsxSheet power, duties;
  power.name = "权力清单";
  duties.name = "责任清单";
  power.rows.push_back({cell(0, 0)});
  duties.rows.push_back({cell(0, 0)});
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (r + 1 < rows.size()) {  // the power list lacks the last item
      power.rows.push_back(
          {cell(r, 0), cell(r, 1), cell(r, 2), cell(r, 3), cell(r, 4), cell(r, 5), cell(r, 6)});
    }
    duties.rows.push_back(
        {cell(r, 0), cell(r, 1), cell(r, 7), cell(r, 8), cell(r, 9), cell(r, 10)});
  }
  const std::string last_name = cell(rows.size() - 1, 1);

  auto p = preview(test_support::writeXlsx({power}), "权力清单.xlsx");
  ASSERT_EQ(p->status, 200) << p->body;
  ASSERT_EQ(apply(p->body)->status, 200);
  ASSERT_EQ(items().size(), 16u);
  const std::string code = items()[0]["code"].get<std::string>();
  EXPECT_TRUE(item(code)["responsibilities"].empty());

  const std::string duties_file = test_support::writeXlsx({duties});
  auto s = preview(duties_file, "责任清单.xlsx", "supplement");
  ASSERT_TRUE(s);
  ASSERT_EQ(s->status, 200) << s->body;
  EXPECT_NE(s->body.find("补充导入"), std::string::npos);
  EXPECT_NE(s->body.find("新增 0 项，变更 16 项，取消 0 项，下放 0 项，无变化 0 项"),
            std::string::npos)
      << s->body;
  EXPECT_NE(s->body.find("以下 1 行在本部门的清单中找不到对应的事项"), std::string::npos);
  EXPECT_NE(s->body.find("第 19 行（“" + last_name + "”）：本部门没有同名事项，本行未导入"),
            std::string::npos)
      << s->body;
  auto done = apply(s->body);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(items().size(), 16u) << "nothing created, nothing cancelled";
  for (const auto& i : items()) EXPECT_EQ(i["status"], "in_force") << i.dump();
  const json filled = item(code);
  EXPECT_FALSE(filled["responsibilities"].empty());
  EXPECT_FALSE(filled["accountability"].empty());
  EXPECT_FALSE(filled["legal_bases"].empty()) << "the power list's fields stay";
  EXPECT_EQ(filled["version"], 2);
  EXPECT_EQ(filled["change_kind"], "amend");

  // The same responsibility list again changes nothing; the power list's mapping is still
  // the department's (the supplement only added its columns).
  auto again = preview(duties_file, "责任清单.xlsx", "supplement");
  EXPECT_NE(again->body.find("变更 0 项"), std::string::npos);
  EXPECT_NE(again->body.find("无变化 16 项"), std::string::npos);
  // Next year's power list (no responsibility columns) leaves what the supplement filled in.
  auto power_again = preview(test_support::writeXlsx({power}), "权力清单.xlsx");
  EXPECT_NE(power_again->body.find("新增 0 项，变更 0 项，取消 0 项，下放 0 项，无变化 16 项"),
            std::string::npos)
      << power_again->body;
  portal::publishing::ImportService imports(portal_->app().pool());
  const auto dept = portal::publishing::CatalogService(portal_->app().pool()).department("klmyyb");
  EXPECT_EQ(imports.rememberedChoices(dept->id).sheet, "") << "a one-sheet workbook";
  EXPECT_GT(imports.rememberedChoices(dept->id).columns.count("实施依据"), 0u);
  EXPECT_GT(imports.rememberedChoices(dept->id).columns.count("责任事项内容"), 0u);
}

// The same short list as Excel saves it on a Chinese Windows: "CSV" (GBK), "CSV UTF-8" and
// "Unicode 文本" (UTF-16, tab-separated). The preview says which encoding it read (audit L3),
// and warns of an item name written on two rows without refusing the file.
std::string convert(const std::string& utf8, const char* to) {
  iconv_t cd = iconv_open(to, "UTF-8");
  std::string in = utf8;
  std::string out(in.size() * 4, '\0');
  char* ip = in.data();
  char* op = out.data();
  std::size_t il = in.size();
  std::size_t ol = out.size();
  const std::size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) ADD_FAILURE() << "not convertible to " << to;
  out.resize(out.size() - ol);
  return out;
}

TEST_F(ListFiles, ThePreviewSaysTheEncodingItReadAndWarnsOfANameOnTwoRows) {
  const std::string list =
      "事项编码\t事项名称\t事项类型\t实施主体\r\n"
      "YB-1\t对医疗机构骗取医保基金的行政处罚\t行政处罚\t克拉玛依市医疗保障局\r\n"
      "YB-2\t医疗保障基金使用监督检查\t行政检查\t克拉玛依市医疗保障局\r\n"
      "YB-3\t对医疗机构骗取医保基金的行政处罚\t行政处罚\t克拉玛依市医疗保障局\r\n";
  std::string csv = list;
  for (char& c : csv) c = c == '\t' ? ',' : c;
  const struct {
    std::string file;
    const char* says;
  } cases[] = {
      {"\xFF\xFE" + convert(list, "UTF-16LE"), "CSV（字符编码 UTF-16）"},
      {convert(csv, "GBK"), "CSV（字符编码 GBK）"},
      {csv, "CSV（字符编码 UTF-8）"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.says);
    auto page = preview(c.file, "权责清单.csv");
    ASSERT_TRUE(page);
    ASSERT_EQ(page->status, 200) << page->body;
    const std::string body = e2e::unescapeHtml(page->body);
    EXPECT_NE(body.find(c.says), std::string::npos);
    EXPECT_NE(body.find("读出 3 行事项。新增 3 项"), std::string::npos);
    EXPECT_NE(body.find("请注意（不影响导入）"), std::string::npos);
    EXPECT_NE(body.find("事项名称“对医疗机构骗取医保基金的行政处罚”在第 2 行、第 4 行出现了 2 次"),
              std::string::npos);
    EXPECT_NE(body.find("确认导入"), std::string::npos) << "a warning does not stop the import";
  }
  auto page = preview(cases[0].file, "权责清单.txt");
  ASSERT_TRUE(page);
  EXPECT_NE(e2e::unescapeHtml(page->body).find("制表符分隔"), std::string::npos);
  auto done = apply(page->body);
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(items().size(), 3u);
}

}  // namespace
