// DraftService against a real MariaDB: the author's recall (撤回) of a draft waiting for the
// legal office's review, in the demo's review department (市场监管局, scjg).
#include "portal/publishing/draft_service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "db/pool.h"
#include "portal/accounts/account_service.h"
#include "portal/demo/demo_data.h"
#include "portal/publishing/catalog_service.h"
#include "tests/support/test_database.h"

namespace {

using portal::accounts::Actor;
using portal::accounts::Principal;
using portal::accounts::Role;
using namespace portal::publishing;

class DraftServiceDb : public ::testing::Test {
 protected:
  DraftServiceDb() : pool_(tdb_.options()) {
    portal::demo::loadDemoData(pool_);
    scjg_ = CatalogService(pool_).department("scjg")->id;
    author_ = staff("editor_scjg", Role::Editor, "editor", scjg_);
    colleague_ = staff("editor_scjg2", Role::Editor, "editor", scjg_);
    reviewer_ = staff("reviewer", Role::Reviewer, "reviewer", std::nullopt);
  }

  Principal staff(const std::string& username, Role role, const std::string& role_code,
                  std::optional<std::int64_t> department) {
    portal::accounts::AccountOptions options;
    options.hash_cost = portal::accounts::HashCost::Minimum;
    const auto r = portal::accounts::AccountService(pool_, options)
                       .createAccount(Actor::console(), {username, "测试", "correct-horse-42",
                                                         role_code, department});
    EXPECT_TRUE(r.ok()) << username;
    Principal p;
    p.account_id = r.account_id;
    p.username = username;
    p.role = role;
    p.department_id = department;
    return p;
  }

  static Actor as(const Principal& p) { return Actor::staff(p, "10.0.0.7"); }

  // A change of CF-SCJG-0001's name by the author, submitted for review.
  std::int64_t submitted() {
    auto current = CatalogService(pool_).item(std::to_string(scjg_), "CF-SCJG-0001");
    EXPECT_TRUE(current.has_value());
    ListItem item = current->item;
    item.name += "（撤回测试）";
    item.change_kind = ChangeKind::Amend;
    item.change_reason = "撤回测试";
    const auto r =
        service_.create(as(author_), scjg_, item, current->item.version, AfterSave::Submit);
    EXPECT_TRUE(std::holds_alternative<DraftOutcome>(r)) << std::get<Refused>(r).errors.front();
    if (!std::holds_alternative<DraftOutcome>(r)) return 0;
    EXPECT_EQ(std::get<DraftOutcome>(r).state, DraftState::Submitted);
    return std::get<DraftOutcome>(r).draft_id;
  }

  static int statusOf(const DraftResult& r) {
    return std::holds_alternative<Refused>(r) ? std::get<Refused>(r).status : 200;
  }
  static std::string messageOf(const DraftResult& r) {
    return std::holds_alternative<Refused>(r) ? std::get<Refused>(r).errors.front() : "";
  }

  bool inReviewQueue(std::int64_t id) {
    const auto queue = service_.awaitingReview();
    return std::any_of(queue.begin(), queue.end(), [id](const ItemDraft& d) { return d.id == id; });
  }

  std::int64_t audited(const std::string& action, std::int64_t id) {
    auto conn = pool_.acquire();
    db::Rows r = conn->query(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = ? AND object_type = 'draft' AND "
        "object_id = ?",
        action, std::to_string(id));
    r.next();
    return r.i64("n");
  }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  DraftService service_{pool_, portal::accounts::systemClock()};
  std::int64_t scjg_ = 0;
  Principal author_;
  Principal colleague_;
  Principal reviewer_;
};

TEST_F(DraftServiceDb, AuthorRecallsADraftWaitingForReviewAndMayChangeItAgain) {
  const auto id = submitted();
  ASSERT_TRUE(inReviewQueue(id));
  EXPECT_FALSE(canRecallDraft(colleague_, *service_.find(id)));
  EXPECT_EQ(statusOf(service_.recall(as(colleague_), id)), 403) << "only its author";
  EXPECT_EQ(statusOf(service_.recall(as(reviewer_), id)), 403);
  EXPECT_EQ(statusOf(service_.recall(Actor::console(), id)), 403);
  EXPECT_EQ(statusOf(service_.recall(as(author_), id + 1000)), 404);

  ASSERT_TRUE(canRecallDraft(author_, *service_.find(id)));
  const auto recalled = service_.recall(as(author_), id);
  ASSERT_EQ(statusOf(recalled), 200) << messageOf(recalled);
  EXPECT_EQ(std::get<DraftOutcome>(recalled).state, DraftState::Draft);
  const auto d = service_.find(id);
  EXPECT_EQ(d->state, DraftState::Draft);
  EXPECT_TRUE(canChangeDraft(author_, *d)) << "editable again, as before it was submitted";
  EXPECT_FALSE(canRecallDraft(author_, *d));
  EXPECT_FALSE(inReviewQueue(id)) << "the reviewer no longer sees it";
  EXPECT_EQ(audited("draft.recall", id), 1);

  EXPECT_EQ(statusOf(service_.approve(as(reviewer_), id)), 409) << "nothing left to review";
  EXPECT_EQ(statusOf(service_.recall(as(author_), id)), 409) << "recalled once";
  EXPECT_NE(messageOf(service_.recall(as(author_), id)).find("尚未提交审核"), std::string::npos);

  // Submitted again, it waits for review once more.
  ASSERT_EQ(statusOf(service_.submit(as(author_), id)), 200);
  EXPECT_TRUE(inReviewQueue(id));
  EXPECT_EQ(audited("draft.submit", id), 2);
}

TEST_F(DraftServiceDb, OnceTheReviewerHasActedTheAuthorCannotRecall) {
  const auto returned = submitted();
  ASSERT_EQ(statusOf(service_.returnToAuthor(as(reviewer_), returned, "请补充依据")), 200);
  const auto after_return = service_.recall(as(author_), returned);
  EXPECT_EQ(statusOf(after_return), 409);
  EXPECT_NE(messageOf(after_return).find("已被法制审核退回"), std::string::npos);
  EXPECT_EQ(service_.find(returned)->state, DraftState::Returned) << "the comment stays with it";
  EXPECT_EQ(service_.find(returned)->review_comment, "请补充依据");

  // Resubmitted and approved: published, and no recall takes that back.
  ASSERT_EQ(statusOf(service_.submit(as(author_), returned)), 200);
  ASSERT_EQ(statusOf(service_.approve(as(reviewer_), returned)), 200);
  const auto after_approval = service_.recall(as(author_), returned);
  EXPECT_EQ(statusOf(after_approval), 409);
  EXPECT_NE(messageOf(after_approval).find("已审核通过并发布"), std::string::npos);
  EXPECT_EQ(service_.find(returned)->state, DraftState::Published);
  EXPECT_EQ(audited("draft.recall", returned), 0);
}

}  // namespace
