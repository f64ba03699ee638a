// The import keeps the uploaded list on the server between preview and confirmation (audit
// H3): the confirmation form carries a token, not the file base64-encoded again, so a published
// list of a megabyte or more goes through; a token opens the file only for the department and
// the account it was uploaded for, and only once. Real server (default test limits: 64 KB for
// ordinary requests), real MariaDB.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "db/connection.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

// A department's whole list as a CSV of `rows` items with long legal bases, as published lists
// quote them: about 1 KB per row.
std::string generatedList(int rows) {
  std::string csv = "事项编码,事项名称,事项类型,实施主体,设定依据\r\n";
  for (int i = 1; i <= rows; ++i) {
    const std::string n = std::to_string(i);
    std::string basis = "《中华人民共和国城乡规划法》第" + n + "条：";
    for (int k = 0; k < 12; ++k)
      basis +=
          "未取得建设工程规划许可证进行建设的，由县级以上地方人民政府城乡规划主管部门责令停止建设"
          "；";
    csv += "BIG-" + n + ",对第" + n + "类违法建设行为的行政处罚,行政处罚,区综合行政执法局,\"" +
           basis + "\"\r\n";
  }
  return csv;
}

class ImportStaging : public ::testing::Test {
 protected:
  void SetUp() override {
    portal_ = std::make_unique<e2e::RunningPortal>(e2e::testConfig(database_.options()));
    e2e::createStaff(*portal_, "editor_zhzf", "editor", "zhzf");
    e2e::createStaff(*portal_, "editor_sthj", "editor", "sthj");
    e2e::createStaff(*portal_, "admin", "admin");
  }

  std::int64_t count(const std::string& sql, const std::string& arg) {
    db::Connection conn(database_.options());
    auto r = conn.query(sql, arg);
    return r.next() ? r.i64("n") : -1;
  }

  httplib::Result preview(e2e::StaffBrowser& b, const std::string& slug, const std::string& file) {
    b.get("/admin/departments/" + slug + "/import");
    return b.postMultipart(
        "/admin/departments/" + slug + "/import/preview",
        {{"file", file, "权责清单.csv", "text/csv"}, {"reason", "2026年权责清单调整", "", ""}});
  }

  httplib::Result confirm(e2e::StaffBrowser& b, const std::string& slug, const std::string& token,
                          const std::string& choices = "") {
    return b.post("/admin/departments/" + slug + "/import/apply",
                  "import_token=" + percentEncode(token) + "&choices_json=" +
                      percentEncode(choices) + "&reason=" + percentEncode("2026年权责清单调整"));
  }

  test_support::TestDatabase database_;
  std::unique_ptr<e2e::RunningPortal> portal_;
};

TEST_F(ImportStaging, AListOfOverAMegabyteIsPreviewedAndConfirmed) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  const std::string file = generatedList(1100);
  ASSERT_GT(file.size(), 1000u * 1000u);

  auto previewed = preview(editor, "zhzf", file);
  ASSERT_TRUE(previewed);
  ASSERT_EQ(previewed->status, 200) << previewed->body.substr(0, 2000);
  EXPECT_NE(previewed->body.find("读出 1100 行事项"), std::string::npos);
  EXPECT_NE(previewed->body.find("新增 1100 项"), std::string::npos);
  const std::string token = e2e::hiddenValue(previewed->body, "import_token");
  ASSERT_EQ(token.size(), 43u);
  EXPECT_LT(previewed->body.size(), file.size()) << "the page no longer carries the file";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items WHERE code LIKE ?", "BIG-%"), 0)
      << "a preview writes nothing";

  auto done = confirm(editor, "zhzf", token, e2e::hiddenValue(previewed->body, "choices_json"));
  ASSERT_TRUE(done);
  ASSERT_EQ(done->status, 200) << done->body.substr(0, 2000);
  EXPECT_NE(done->body.find("已导入"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items i JOIN departments d ON "
                  "d.id = i.department_id WHERE i.code LIKE 'BIG-%' AND d.slug = ?",
                  "zhzf"),
            1100);
  auto item = portal_->client().Get("/api/v1/items/BIG-1100");
  ASSERT_TRUE(item);
  ASSERT_EQ(item->status, 200);
  EXPECT_EQ(json::parse(item->body)["name"], "对第1100类违法建设行为的行政处罚");

  // Confirmed once: the staged file is gone, a second confirmation imports nothing twice.
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM import_staging WHERE department_id = "
                  "(SELECT id FROM departments WHERE slug = ?)",
                  "zhzf"),
            0);
  auto again = confirm(editor, "zhzf", token);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 404);
  EXPECT_NE(again->body.find("请重新上传文件"), std::string::npos);
}

TEST_F(ImportStaging, AStagedFileOpensOnlyForItsDepartmentAndItsUploader) {
  e2e::StaffBrowser zhzf(*portal_);
  ASSERT_EQ(zhzf.login("editor_zhzf"), 303);
  auto previewed = preview(zhzf, "zhzf", generatedList(3));
  ASSERT_TRUE(previewed);
  ASSERT_EQ(previewed->status, 200) << previewed->body;
  const std::string token = e2e::hiddenValue(previewed->body, "import_token");
  ASSERT_EQ(token.size(), 43u);

  e2e::StaffBrowser sthj(*portal_);
  ASSERT_EQ(sthj.login("editor_sthj"), 303);
  // Another department's editor with the token, on its own department's form: nothing found.
  sthj.get("/admin/departments/sthj/import");
  auto own_form = confirm(sthj, "sthj", token);
  ASSERT_TRUE(own_form);
  EXPECT_EQ(own_form->status, 404);
  EXPECT_NE(own_form->body.find("不是您为本部门上传的"), std::string::npos);
  auto own_preview = sthj.postMultipart("/admin/departments/sthj/import/preview",
                                        {{"import_token", token, "", ""}});
  ASSERT_TRUE(own_preview);
  EXPECT_EQ(own_preview->status, 404);
  // On the token's department's form: not its department.
  auto other_form = confirm(sthj, "zhzf", token);
  ASSERT_TRUE(other_form);
  EXPECT_EQ(other_form->status, 403);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items WHERE code LIKE ?", "BIG-%"), 0);

  // An administrator may import into zhzf, but the file is the uploader's: nothing found.
  e2e::StaffBrowser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  admin.get("/admin/departments/zhzf/import");
  auto by_admin = confirm(admin, "zhzf", token);
  ASSERT_TRUE(by_admin);
  EXPECT_EQ(by_admin->status, 404);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items WHERE code LIKE ?", "BIG-%"), 0);

  // The uploader still confirms it.
  auto done = confirm(zhzf, "zhzf", token);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items WHERE code LIKE ?", "BIG-%"), 3);
}

TEST_F(ImportStaging, AFileOverTenMegabytesIsRefusedWithAPageSayingTheLimit) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  std::string file = generatedList(11000);
  ASSERT_GT(file.size(), 10u << 20);
  auto refused = preview(editor, "zhzf", file);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_NE(refused->body.find("清单文件不能超过 10 MB"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM import_staging WHERE account_id > ?", "0"), 0);
}

// Review: every preview kept its file (up to 10 MB) until it expired. A new upload by the same
// person for the same department replaces the last one.
TEST_F(ImportStaging, ANewUploadReplacesTheUploadersLastOne) {
  e2e::StaffBrowser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto first = preview(editor, "zhzf", generatedList(2));
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 200);
  const std::string first_token = e2e::hiddenValue(first->body, "import_token");
  auto second = preview(editor, "zhzf", generatedList(3));
  ASSERT_TRUE(second);
  ASSERT_EQ(second->status, 200);
  const std::string second_token = e2e::hiddenValue(second->body, "import_token");
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM import_staging WHERE account_id > ?", "0"), 1);
  auto old = confirm(editor, "zhzf", first_token);
  ASSERT_TRUE(old);
  EXPECT_EQ(old->status, 404);
  auto done = confirm(editor, "zhzf", second_token);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->status, 200) << done->body;
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items WHERE code LIKE ?", "BIG-%"), 3);
}

}  // namespace
