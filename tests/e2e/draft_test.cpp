// Drafts and the optional legal-office review (issue 3, item 2): a draft changes nothing
// public; publishing one appends the next public version; in a department that requires review
// (the demo's 市场监管局, scjg) nothing is public until a reviewer other than the author approves;
// a returned draft carries the reviewer's comment; a stale draft is refused. Real server, real
// MariaDB.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "db/connection.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "portal/publishing/catalog_service.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::accounts::Actor;
using portal::http::percentEncode;

constexpr const char* kPassword = e2e::kStaffPassword;

using Browser = e2e::StaffBrowser;

// The item form as a person fills it in; op is "draft" (保存草稿) or "publish" (发布/提交审核).
std::string itemForm(const std::string& name, const std::string& reason, const std::string& op,
                     int expected_version = 1, const std::string& code = "") {
  return "code=" + percentEncode(code) + "&name=" + percentEncode(name) +
         "&type=cf&implementing_body=" + percentEncode("新区市场监督管理局") +
         "&level=" + percentEncode("区级") + "&legal_bases=" +
         percentEncode(
             "《中华人民共和国食品安全法》第一百二十二条：未取得食品生产经营许可从事"
             "食品生产经营活动的，由县级以上人民政府食品安全监督管理部门没收违法所得。") +
         "&responsibilities=" + percentEncode("立案责任：发现违法行为，予以审查。") +
         "&accountability=" + percentEncode("对应当立案而不予立案的。") +
         "&supervision_phone=12315&remarks=&effective_date=2026-12-01&change_kind=amend" +
         "&expected_version=" + std::to_string(expected_version) +
         "&change_reason=" + percentEncode(reason) + "&legal_trigger=&op=" + op;
}

// The draft id a draft action redirected to, or 0.
std::int64_t draftIdOf(const httplib::Result& r) {
  static const std::regex kDraft("^/admin/drafts/([0-9]+)$");
  std::smatch m;
  const std::string location = r ? r->get_header_value("Location") : "";
  return std::regex_match(location, m, kDraft) ? std::stoll(m[1]) : 0;
}

std::string draftPath(std::int64_t id, const std::string& action = "") {
  return "/admin/drafts/" + std::to_string(id) + (action.empty() ? "" : "/" + action);
}

class DraftFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config config = e2e::testConfig(database_->options());
    config.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    portal_ = new e2e::RunningPortal(config);
    portal::accounts::AccountService accounts(portal_->app().pool(), config.accounts);
    portal::publishing::CatalogService catalog(portal_->app().pool());
    const auto zhzf = catalog.department("zhzf")->id;
    const auto scjg = catalog.department("scjg")->id;
    for (const auto& [user, role, dept] :
         std::vector<std::tuple<std::string, std::string, std::optional<std::int64_t>>>{
             {"editor_zhzf", "editor", zhzf},
             {"editor_scjg", "editor", scjg},
             {"reviewer", "reviewer", std::nullopt},
             {"admin", "admin", std::nullopt}}) {
      const auto r =
          accounts.createAccount(Actor::console(), {user, "测试", kPassword, role, dept});
      ASSERT_TRUE(r.ok()) << user;
    }
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }

  static int publicVersion(const std::string& code) {
    auto r = portal_->client().Get(("/api/v1/items/" + code).c_str());
    if (!r || r->status != 200) return 0;
    return json::parse(r->body)["version"].get<int>();
  }
  static std::string publicName(const std::string& code) {
    auto r = portal_->client().Get(("/api/v1/items/" + code).c_str());
    return r && r->status == 200 ? json::parse(r->body)["name"].get<std::string>() : "";
  }
  static std::int64_t auditCount(const std::string& action, std::int64_t draft_id) {
    db::Connection conn(database_->options());
    db::Rows r = conn.query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND object_type = 'draft' "
        "AND object_id = ?",
        action, std::to_string(draft_id));
    r.next();
    return r.i64("n");
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* DraftFlow::database_ = nullptr;
e2e::RunningPortal* DraftFlow::portal_ = nullptr;

TEST_F(DraftFlow, SavingADraftChangesNothingPublicAndPublishingItMakesVersionTwo) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  auto form = editor.get("/admin/items/zhzf/CF-ZHZF-0001/edit");
  ASSERT_EQ(form->status, 200);
  EXPECT_NE(form->body.find("保存草稿"), std::string::npos);
  EXPECT_NE(form->body.find(">发布</button>"), std::string::npos) << "no review in zhzf";
  const std::string changes_before = portal_->client().Get("/changes")->body;

  auto saved =
      editor.post("/admin/items/zhzf/CF-ZHZF-0001",
                  itemForm("对擅自设置户外广告的行政处罚（草稿名）", "草稿测试理由", "draft"));
  ASSERT_TRUE(saved);
  ASSERT_EQ(saved->status, 303) << saved->body;
  const std::int64_t id = draftIdOf(saved);
  ASSERT_GT(id, 0);

  EXPECT_EQ(publicVersion("CF-ZHZF-0001"), 1);
  EXPECT_EQ(publicName("CF-ZHZF-0001"), "对擅自设置大型户外广告的行政处罚");
  auto versions = json::parse(portal_->client().Get("/api/v1/items/CF-ZHZF-0001/versions")->body);
  EXPECT_EQ(versions["versions"].size(), 1u);
  EXPECT_EQ(portal_->client().Get("/changes")->body, changes_before);

  auto page = editor.get(draftPath(id));
  ASSERT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("草稿不公开"), std::string::npos);
  EXPECT_NE(page->body.find("<tr class=\"changed\">"), std::string::npos) << "diff vs version 1";
  EXPECT_NE(page->body.find("（草稿名）"), std::string::npos);
  auto home = editor.get("/admin");
  EXPECT_NE(home->body.find("我的草稿"), std::string::npos);
  EXPECT_NE(home->body.find(draftPath(id)), std::string::npos);

  auto published = editor.post(draftPath(id, "submit"), "");
  ASSERT_EQ(published->status, 303) << published->body;
  EXPECT_EQ(publicVersion("CF-ZHZF-0001"), 2);
  EXPECT_EQ(publicName("CF-ZHZF-0001"), "对擅自设置户外广告的行政处罚（草稿名）");
  EXPECT_NE(portal_->client().Get("/changes")->body.find("草稿测试理由"), std::string::npos);
  EXPECT_NE(editor.get(draftPath(id))->body.find("已发布为第 2 版"), std::string::npos);
  EXPECT_EQ(editor.post(draftPath(id, "submit"), "")->status, 403) << "published is final";
  EXPECT_EQ(auditCount("draft.save", id), 1);
  EXPECT_EQ(auditCount("draft.publish", id), 1);
}

TEST_F(DraftFlow, ReviewDepartmentPublishesOnlyAfterAnotherPersonApproves) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  auto form = editor.get("/admin/items/scjg/CF-SCJG-0001/edit");
  EXPECT_NE(form->body.find(">提交审核</button>"), std::string::npos);

  // The ordinary publish route of a review department saves and submits instead.
  auto submitted = editor.post("/admin/items/scjg/CF-SCJG-0001",
                               itemForm("经审核的新名称", "审核流程测试", "publish"));
  ASSERT_EQ(submitted->status, 303) << submitted->body;
  const std::int64_t id = draftIdOf(submitted);
  ASSERT_GT(id, 0);
  EXPECT_EQ(publicVersion("CF-SCJG-0001"), 1);
  EXPECT_NE(editor.get(draftPath(id))->body.find("待审核"), std::string::npos);

  // Neither the author nor anyone else but a reviewer may approve.
  EXPECT_EQ(editor.post(draftPath(id, "approve"), "")->status, 403);
  Browser other(*portal_);
  ASSERT_EQ(other.login("editor_zhzf"), 303);
  EXPECT_EQ(other.get(draftPath(id))->status, 403);
  EXPECT_EQ(publicVersion("CF-SCJG-0001"), 1);

  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  auto home = reviewer.get("/admin");
  EXPECT_NE(home->body.find("待审核"), std::string::npos);
  EXPECT_NE(home->body.find(draftPath(id)), std::string::npos);
  auto page = reviewer.get(draftPath(id));
  EXPECT_NE(page->body.find("审核通过并发布"), std::string::npos);
  auto approved = reviewer.post(draftPath(id, "approve"), "");
  ASSERT_EQ(approved->status, 303) << approved->body;
  EXPECT_EQ(publicVersion("CF-SCJG-0001"), 2);
  EXPECT_EQ(publicName("CF-SCJG-0001"), "经审核的新名称");
  EXPECT_EQ(reviewer.post(draftPath(id, "approve"), "")->status, 409) << "only once";
  EXPECT_EQ(publicVersion("CF-SCJG-0001"), 2);
  EXPECT_EQ(auditCount("draft.save", id), 1);
  EXPECT_EQ(auditCount("draft.submit", id), 1);
  EXPECT_EQ(auditCount("draft.approve", id), 1);
}

TEST_F(DraftFlow, ReturnedDraftCarriesTheCommentAndPublishesNothing) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  editor.get("/admin/departments/scjg/items/new");
  auto submitted =
      editor.post("/admin/departments/scjg/items",
                  itemForm("对新设事项的行政处罚", "新增测试", "publish", 0, "CF-SCJG-0900"));
  ASSERT_EQ(submitted->status, 303) << submitted->body;
  const std::int64_t id = draftIdOf(submitted);
  EXPECT_EQ(publicVersion("CF-SCJG-0900"), 0) << "a new item is not public before approval";

  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  reviewer.get(draftPath(id));
  auto empty = reviewer.post(draftPath(id, "return"), "comment=");
  EXPECT_EQ(empty->status, 422);
  EXPECT_NE(empty->body.find("退回时请填写审核意见"), std::string::npos);
  auto returned = reviewer.post(draftPath(id, "return"),
                                "comment=" + percentEncode("请补充追责情形的具体条款"));
  ASSERT_EQ(returned->status, 303) << returned->body;
  EXPECT_EQ(publicVersion("CF-SCJG-0900"), 0);

  auto page = editor.get(draftPath(id));
  EXPECT_NE(page->body.find("已退回"), std::string::npos);
  EXPECT_NE(page->body.find("请补充追责情形的具体条款"), std::string::npos);
  EXPECT_NE(editor.get("/admin")->body.find("请补充追责情形的具体条款"), std::string::npos);
  auto edit = editor.get(draftPath(id, "edit"));
  ASSERT_EQ(edit->status, 200);
  EXPECT_NE(edit->body.find("请补充追责情形的具体条款"), std::string::npos);

  // The author fixes it and submits again; the reviewer approves: version 1 of a new item.
  auto resubmitted = editor.post(
      draftPath(id), itemForm("对新设事项的行政处罚", "新增测试", "publish", 0, "CF-SCJG-0900"));
  ASSERT_EQ(resubmitted->status, 303) << resubmitted->body;
  reviewer.get(draftPath(id));
  ASSERT_EQ(reviewer.post(draftPath(id, "approve"), "")->status, 303);
  EXPECT_EQ(publicVersion("CF-SCJG-0900"), 1);
  EXPECT_EQ(auditCount("draft.return", id), 1);
  EXPECT_EQ(auditCount("draft.submit", id), 2);
  EXPECT_EQ(auditCount("draft.approve", id), 1);
}

// The author recalls (撤回) a draft still waiting for review (outside audit): it is an editable
// draft again and leaves the reviewer's queue; once the reviewer has acted it cannot be recalled.
TEST_F(DraftFlow, AuthorRecallsADraftWaitingForReview) {
  ASSERT_EQ(publicVersion("CF-SCJG-0005"), 1);
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  editor.get("/admin/items/scjg/CF-SCJG-0005/edit");
  auto submitted = editor.post("/admin/items/scjg/CF-SCJG-0005",
                               itemForm("撤回测试的新名称", "撤回测试", "publish"));
  ASSERT_EQ(submitted->status, 303) << submitted->body;
  const std::int64_t id = draftIdOf(submitted);
  ASSERT_GT(id, 0);
  auto waiting = editor.get(draftPath(id));
  EXPECT_NE(waiting->body.find("待审核"), std::string::npos);
  EXPECT_NE(waiting->body.find("action=\"" + draftPath(id, "recall") + "\""), std::string::npos);
  EXPECT_NE(waiting->body.find("撤回提交"), std::string::npos);
  EXPECT_EQ(waiting->body.find("继续修改草稿"), std::string::npos) << "not editable while waiting";

  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  EXPECT_NE(reviewer.get("/admin")->body.find(draftPath(id)), std::string::npos);
  EXPECT_EQ(reviewer.get(draftPath(id))->body.find("撤回提交"), std::string::npos);
  EXPECT_EQ(reviewer.post(draftPath(id, "recall"), "")->status, 403) << "the author's only";
  EXPECT_EQ(editor.post(draftPath(id, "recall"), "", false)->status, 403) << "no CSRF token";
  EXPECT_NE(editor.get(draftPath(id))->body.find("待审核"), std::string::npos);

  auto recalled = editor.post(draftPath(id, "recall"), "");
  ASSERT_EQ(recalled->status, 303) << recalled->body;
  auto page = editor.get(draftPath(id));
  EXPECT_NE(page->body.find("状态：<strong>草稿</strong>"), std::string::npos);
  EXPECT_NE(page->body.find("继续修改草稿"), std::string::npos);
  EXPECT_EQ(page->body.find("撤回提交"), std::string::npos);
  EXPECT_EQ(editor.get(draftPath(id, "edit"))->status, 200);
  EXPECT_EQ(reviewer.get("/admin")->body.find(draftPath(id)), std::string::npos)
      << "gone from the review queue";
  reviewer.get(draftPath(id));
  EXPECT_EQ(reviewer.post(draftPath(id, "approve"), "")->status, 409);
  EXPECT_EQ(publicVersion("CF-SCJG-0005"), 1);
  EXPECT_EQ(auditCount("draft.recall", id), 1);

  // Submitted again and returned by the reviewer: too late to recall.
  ASSERT_EQ(editor.post(draftPath(id, "submit"), "")->status, 303);
  reviewer.get(draftPath(id));
  ASSERT_EQ(
      reviewer.post(draftPath(id, "return"), "comment=" + percentEncode("请补充理由"))->status,
      303);
  editor.get(draftPath(id));
  auto late = editor.post(draftPath(id, "recall"), "");
  EXPECT_EQ(late->status, 409);
  EXPECT_NE(late->body.find("该草稿已被法制审核退回，不能撤回"), std::string::npos);
  EXPECT_EQ(auditCount("draft.recall", id), 1);
}

TEST_F(DraftFlow, NobodyApprovesTheirOwnDraft) {
  Browser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  admin.get("/admin/items/scjg/CF-SCJG-0003/edit");
  auto submitted = admin.post("/admin/items/scjg/CF-SCJG-0003",
                              itemForm("管理员的修改", "四眼原则测试", "publish"));
  ASSERT_EQ(submitted->status, 303) << "an administrator is also held to review";
  const std::int64_t id = draftIdOf(submitted);
  auto own = admin.post(draftPath(id, "approve"), "");
  EXPECT_EQ(own->status, 403);
  EXPECT_NE(own->body.find("不能审核自己编写的草稿"), std::string::npos);
  EXPECT_EQ(publicVersion("CF-SCJG-0003"), 1);
  EXPECT_EQ(auditCount("draft.approve", id), 0);
}

TEST_F(DraftFlow, IncompleteDraftIsSavedButCannotBeSubmitted) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  editor.get("/admin/items/zhzf/CF-ZHZF-0004/edit");
  const std::string incomplete = "name=" + percentEncode("只有名称的草稿") +
                                 "&type=cf&change_kind=amend&expected_version=1&op=draft";
  auto saved = editor.post("/admin/items/zhzf/CF-ZHZF-0004", incomplete);
  ASSERT_EQ(saved->status, 303) << saved->body;
  const std::int64_t id = draftIdOf(saved);
  auto submit = editor.post(draftPath(id, "submit"), "");
  EXPECT_EQ(submit->status, 422);
  EXPECT_NE(submit->body.find("请填写变更理由"), std::string::npos);
  EXPECT_EQ(publicVersion("CF-ZHZF-0004"), 1);
  auto nameless = editor.post("/admin/items/zhzf/CF-ZHZF-0004",
                              "name=&type=cf&change_kind=amend&expected_version=1&op=draft");
  EXPECT_EQ(nameless->status, 422);
  EXPECT_NE(nameless->body.find("保存草稿至少需要填写事项名称"), std::string::npos);
}

TEST_F(DraftFlow, StaleDraftIsRefusedOnApproveAndReturned) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_scjg"), 303);
  Browser admin(*portal_);
  ASSERT_EQ(admin.login("admin"), 303);
  // Two people start from version 1 of the same item.
  auto first =
      editor.post("/admin/items/scjg/CF-SCJG-0002", itemForm("编辑的修改", "先提交", "publish"));
  auto second =
      admin.post("/admin/items/scjg/CF-SCJG-0002", itemForm("管理员的修改", "后提交", "publish"));
  const std::int64_t first_id = draftIdOf(first);
  const std::int64_t second_id = draftIdOf(second);
  ASSERT_GT(first_id, 0);
  ASSERT_GT(second_id, 0);

  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  ASSERT_EQ(reviewer.post(draftPath(first_id, "approve"), "")->status, 303);
  EXPECT_EQ(publicVersion("CF-SCJG-0002"), 2);

  auto stale = reviewer.post(draftPath(second_id, "approve"), "");
  EXPECT_EQ(stale->status, 409);
  EXPECT_NE(stale->body.find("该事项已被他人更新为第 2 版，本草稿基于第 1 版，不能发布"),
            std::string::npos)
      << stale->body;
  EXPECT_EQ(publicVersion("CF-SCJG-0002"), 2);
  EXPECT_EQ(publicName("CF-SCJG-0002"), "编辑的修改") << "the first change is not lost";
  auto page = admin.get(draftPath(second_id));
  EXPECT_NE(page->body.find("已退回"), std::string::npos);
  EXPECT_NE(page->body.find("不能再发布"), std::string::npos);
  EXPECT_EQ(auditCount("draft.return", second_id), 1);
}

TEST_F(DraftFlow, StaleDraftIsRefusedOnDirectPublish) {
  Browser editor(*portal_);
  ASSERT_EQ(editor.login("editor_zhzf"), 303);
  const std::int64_t id = draftIdOf(
      editor.post("/admin/items/zhzf/CF-ZHZF-0002", itemForm("草稿中的名称", "稍后发布", "draft")));
  ASSERT_GT(id, 0);
  ASSERT_EQ(
      editor
          .post("/admin/items/zhzf/CF-ZHZF-0002", itemForm("直接发布的名称", "直接发布", "publish"))
          ->status,
      303);
  auto stale = editor.post(draftPath(id, "submit"), "");
  EXPECT_EQ(stale->status, 409);
  EXPECT_NE(stale->body.find("不能发布"), std::string::npos);
  EXPECT_EQ(publicVersion("CF-ZHZF-0002"), 2);
  EXPECT_EQ(publicName("CF-ZHZF-0002"), "直接发布的名称");
}

TEST_F(DraftFlow, ReviewersAndOtherDepartmentsCannotWriteDrafts) {
  Browser reviewer(*portal_);
  ASSERT_EQ(reviewer.login("reviewer"), 303);
  EXPECT_EQ(reviewer.post("/admin/items/scjg/CF-SCJG-0004", itemForm("审核员改", "越权", "draft"))
                ->status,
            403);
  Browser other(*portal_);
  ASSERT_EQ(other.login("editor_zhzf"), 303);
  EXPECT_EQ(
      other.post("/admin/items/scjg/CF-SCJG-0004", itemForm("他部门改", "越权", "draft"))->status,
      403);
  db::Connection conn(database_->options());
  db::Rows r = conn.query("SELECT COUNT(*) AS n FROM list_item_drafts WHERE change_reason = ?",
                          std::string("越权"));
  r.next();
  EXPECT_EQ(r.i64("n"), 0);
}

}  // namespace
