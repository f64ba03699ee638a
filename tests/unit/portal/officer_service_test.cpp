#include "portal/disclosure/officer_service.h"

#include <gtest/gtest.h>

#include "db/pool.h"
#include "portal/accounts/audit_store.h"
#include "portal/demo/demo_data.h"
#include "portal/indexing/documents.h"
#include "portal/publishing/catalog_service.h"
#include "tests/support/test_database.h"

namespace {

using hotline::CivilDate;
using namespace portal::disclosure;

CivilDate day(const char* text) { return *CivilDate::parse(text); }

class OfficerServiceDb : public ::testing::Test {
 protected:
  OfficerServiceDb() : pool_(tdb_.options()) {
    portal::demo::loadDemoData(pool_);
    portal::publishing::CatalogService catalog(pool_);
    zhzf_ = catalog.department("zhzf")->id;
    scjg_ = catalog.department("scjg")->id;
  }

  std::int64_t count(const std::string& sql) {
    auto conn = pool_.acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }

  portal::accounts::AuditEntry who() {
    portal::accounts::AuditEntry e;
    e.username = "editor.zhzf";
    e.remote_addr = "10.0.0.7";
    return e;
  }

  NewOfficer officer(const std::string& number) {
    NewOfficer o;
    o.department_id = zhzf_;
    o.name = "陈晓东";
    o.number = number;
    o.category = "城市管理综合执法";
    o.region = "新区全域";
    o.post = "执法三中队队员";
    o.issued_on = "2025-02-10";
    return o;
  }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  // The portal's clock, fixed: 2026-11-26 10:30:15 Beijing time.
  const portal::accounts::TimePoint now_ = *portal::accounts::beijingDayStart("2026-11-26") +
                                           std::chrono::hours(10) + std::chrono::minutes(30) +
                                           std::chrono::seconds(15);
  OfficerService service_{pool_, [this] { return now_; }};
  std::int64_t zhzf_ = 0;
  std::int64_t scjg_ = 0;
  const CivilDate today_ = day("2026-11-26");
};

TEST_F(OfficerServiceDb, DemoRosterShowsEachStandingOnAFixedDay) {
  auto standing = [&](const char* number) {
    const auto c = service_.check(number, today_);
    EXPECT_EQ(c.outcome, CertificateCheck::Outcome::Found) << number;
    return c.found ? c.found->validity.standing : CertificateStanding::Valid;
  };
  EXPECT_EQ(standing("吉220101210031"), CertificateStanding::Valid);
  EXPECT_EQ(standing("吉220102180017"), CertificateStanding::ExpiringSoon);
  EXPECT_EQ(standing("吉220103190008"), CertificateStanding::Expired);
  EXPECT_EQ(standing("吉220101200015"), CertificateStanding::Replaced);
  EXPECT_EQ(standing("吉220105210004"), CertificateStanding::Revoked);
  EXPECT_EQ(*service_.check("吉220101200015", today_).found->record.replaced_by_number,
            "吉220101250042");
  // The roster lists the current certificate only: the replaced one is not a second person.
  const RosterPage page = service_.roster(zhzf_, {}, today_);
  ASSERT_EQ(page.total, 2);
  for (const auto& v : page.rows) EXPECT_NE(v.record.certificate.number, "吉220101200015");
}

TEST_F(OfficerServiceDb, CheckNormalisesAndTellsMalformedFromUnknown) {
  auto c = service_.check(" 吉２２０１０１２１００３１ ", today_);
  EXPECT_EQ(c.outcome, CertificateCheck::Outcome::Found);
  EXPECT_EQ(c.number, "吉220101210031");
  c = service_.check("吉220101999999", today_);
  EXPECT_EQ(c.outcome, CertificateCheck::Outcome::Unknown);
  c = service_.check("12-34", today_);
  EXPECT_EQ(c.outcome, CertificateCheck::Outcome::Malformed);
  EXPECT_FALSE(c.problem.empty());
}

TEST_F(OfficerServiceDb, AddInspectReissueRevokeAreAuditedAndLoggedForSearch) {
  const auto audits = count("SELECT COUNT(*) AS n FROM audit_log");
  const auto changes = count("SELECT COUNT(*) AS n FROM search_changes");
  auto added = service_.addOfficer(officer("吉ａ22010125009９"), today_, who());
  ASSERT_TRUE(std::holds_alternative<CertificateView>(added))
      << std::get<OfficerRefusal>(added).errors.front();
  EXPECT_EQ(std::get<CertificateView>(added).record.certificate.number, "吉A220101250099");

  auto inspected = service_.recordInspection(zhzf_, "吉A220101250099", "2026-11-20", today_, who());
  ASSERT_TRUE(std::holds_alternative<CertificateView>(inspected));
  EXPECT_EQ(std::get<CertificateView>(inspected).validity.valid_through, day("2029-11-20"));

  Reissue change{"吉A220101260001", "城市管理综合执法", "长青街道", "执法三中队队员", "2026-11-25"};
  auto reissued = service_.reissue(zhzf_, "吉A220101250099", change, today_, who());
  ASSERT_TRUE(std::holds_alternative<CertificateView>(reissued))
      << std::get<OfficerRefusal>(reissued).errors.front();
  const auto old = service_.check("吉A220101250099", today_);
  EXPECT_EQ(old.found->validity.standing, CertificateStanding::Replaced);
  EXPECT_EQ(*old.found->record.replaced_by_number, "吉A220101260001");
  EXPECT_EQ(*old.found->record.certificate.ended_on, "2026-11-25");

  auto revoked = service_.revoke(zhzf_, "吉A220101260001", "调离行政执法岗位", today_, who());
  ASSERT_TRUE(std::holds_alternative<CertificateView>(revoked));
  EXPECT_EQ(std::get<CertificateView>(revoked).validity.standing, CertificateStanding::Revoked);

  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log"), audits + 4);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'officer.reissue' AND "
                  "username = 'editor.zhzf' AND object_id = '吉A220101250099'"),
            1);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM search_changes WHERE doc_kind = 'officer'"), 5 + 4)
      << "five demo officers, then one row per write";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM search_changes"), changes + 4);

  // The search document finds the officer by every number they held.
  auto conn = pool_.acquire();
  db::Rows r = conn->query("SELECT officer_id FROM officer_certificates WHERE number = ?",
                           std::string("吉A220101260001"));
  ASSERT_TRUE(r.next());
  const auto doc =
      portal::indexing::loadDocument(*conn, portal::changes::DocKind::Officer, r.str("officer_id"));
  ASSERT_TRUE(doc);
  EXPECT_EQ(doc->kind, "officer");
  EXPECT_EQ(doc->exact_terms, (std::vector<std::string>{"吉A220101250099", "吉A220101260001"}));
  EXPECT_EQ(doc->filters.at("status"), std::vector<std::string>{"cancelled"});
  EXPECT_EQ(doc->title.find("执法三中队"), std::string::npos) << "the post is not public";
}

// Regression: the audit store stamped rows with the host's system clock, past the clock the
// portal injects, so a test (or a node) with its own clock saw audit times from elsewhere.
TEST_F(OfficerServiceDb, AuditTimeIsThePortalClocksTime) {
  auto added = service_.addOfficer(officer("吉A220101250077"), today_, who());
  ASSERT_TRUE(std::holds_alternative<CertificateView>(added));
  auto conn = pool_.acquire();
  portal::accounts::AuditFilter f;
  f.action = "officer.create";
  const auto page = portal::accounts::AuditStore::query(*conn, f);
  ASSERT_EQ(page.total, 1);
  EXPECT_EQ(portal::accounts::formatBeijing(page.rows[0].at, true), "2026-11-26 10:30:15");
  db::Rows r = conn->query(
      "SELECT CAST(at AS CHAR) AS at FROM audit_log WHERE action = 'officer.create'");
  ASSERT_TRUE(r.next());
  EXPECT_EQ(r.str("at"), "2026-11-26 10:30:15.000000") << "stored as Beijing time (docs/time.md)";
}

TEST_F(OfficerServiceDb, RefusalsChangeNothing) {
  const auto audits = count("SELECT COUNT(*) AS n FROM audit_log");
  const auto certificates = count("SELECT COUNT(*) AS n FROM officer_certificates");
  auto status = [](const std::variant<CertificateView, OfficerRefusal>& r) {
    return std::holds_alternative<OfficerRefusal>(r) ? std::get<OfficerRefusal>(r).status : 200;
  };
  auto first_error = [](const std::variant<CertificateView, OfficerRefusal>& r) {
    return std::get<OfficerRefusal>(r).errors.front();
  };
  // A number already registered, in another shape.
  auto dup = service_.addOfficer(officer(" 吉２２０１０１２１００３１"), today_, who());
  EXPECT_EQ(status(dup), 409);
  EXPECT_NE(first_error(dup).find("已经登记过"), std::string::npos);
  auto bad = service_.addOfficer(officer("吉12"), today_, who());
  EXPECT_EQ(status(bad), 422);
  NewOfficer future = officer("吉220101260077");
  future.issued_on = "2026-11-27";
  EXPECT_EQ(status(service_.addOfficer(future, today_, who())), 422);
  NewOfficer early = officer("吉220101260078");
  early.last_inspected_on = "2025-01-01";  // before the issue
  EXPECT_EQ(status(service_.addOfficer(early, today_, who())), 422);

  // Another department's certificate is not found from this one.
  EXPECT_EQ(status(service_.recordInspection(scjg_, "吉220101210031", "2026-11-01", today_, who())),
            404);
  EXPECT_EQ(status(service_.recordInspection(zhzf_, "吉220101210031", "2026-01-01", today_, who())),
            422)
      << "before the last inspection (2026-04-20)";
  // A re-issue without a change of post, category or region.
  Reissue same{"吉220101260079", "城市管理综合执法", "新区全域", "执法一中队队员", "2026-11-20"};
  auto unchanged = service_.reissue(zhzf_, "吉220101210031", same, today_, who());
  EXPECT_EQ(status(unchanged), 422);
  EXPECT_NE(first_error(unchanged).find("无需换发"), std::string::npos);
  // A re-issue onto a number someone else holds.
  Reissue taken{"吉220101250042", "城市管理综合执法", "长青街道", "执法一中队队员", "2026-11-20"};
  EXPECT_EQ(status(service_.reissue(zhzf_, "吉220101210031", taken, today_, who())), 409);
  // Already replaced; revoking without a reason.
  EXPECT_EQ(status(service_.revoke(zhzf_, "吉220101200015", "调离", today_, who())), 409);
  EXPECT_EQ(status(service_.revoke(zhzf_, "吉220101210031", "  ", today_, who())), 422);

  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log"), audits);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officer_certificates"), certificates);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM officers"), 5);
  EXPECT_EQ(service_.check("吉220101210031", today_).found->record.certificate.last_inspected_on,
            "2026-04-20");
}

// What the page asking before a revocation shows: the department's active certificate, or why
// there is nothing to revoke; reading it changes nothing.
TEST_F(OfficerServiceDb, ActiveCertificateForTheRevocationPage) {
  const auto audits = count("SELECT COUNT(*) AS n FROM audit_log");
  const auto active = service_.activeCertificate(zhzf_, " 吉220101210031", today_);
  ASSERT_TRUE(std::holds_alternative<CertificateView>(active));
  EXPECT_EQ(std::get<CertificateView>(active).record.officer_name, "王建国");
  EXPECT_EQ(std::get<CertificateView>(active).record.certificate.number, "吉220101210031");
  auto refusal = [&](std::int64_t department, const char* number) {
    const auto r = service_.activeCertificate(department, number, today_);
    return std::holds_alternative<OfficerRefusal>(r) ? std::get<OfficerRefusal>(r)
                                                     : OfficerRefusal{200, {}};
  };
  EXPECT_EQ(refusal(scjg_, "吉220101210031").status, 404) << "another department's";
  EXPECT_EQ(refusal(zhzf_, "吉220101269999").status, 404);
  EXPECT_EQ(refusal(zhzf_, "").status, 404);
  EXPECT_EQ(refusal(zhzf_, "吉220101200015").status, 409) << "replaced";
  const auto wjj = portal::publishing::CatalogService(pool_).department("wjj")->id;
  const auto revoked = refusal(wjj, "吉220105210004");
  EXPECT_EQ(revoked.status, 409);
  ASSERT_FALSE(revoked.errors.empty());
  EXPECT_NE(revoked.errors.front().find("已注销"), std::string::npos);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log"), audits);
}

TEST_F(OfficerServiceDb, RosterFiltersByStandingAndCategoryAndPages) {
  RosterFilter f;
  f.standing = CertificateStanding::Expired;
  EXPECT_EQ(service_.roster(scjg_, f, today_).total, 0);
  f.standing = CertificateStanding::ExpiringSoon;
  const auto expiring = service_.roster(scjg_, f, today_);
  ASSERT_EQ(expiring.total, 1);
  EXPECT_EQ(expiring.rows.front().record.officer_name, "李秀梅");
  RosterFilter by_category;
  by_category.category = "市场监督管理";
  EXPECT_EQ(service_.roster(scjg_, by_category, today_).total, 1);
  by_category.category = "城市管理综合执法";
  EXPECT_EQ(service_.roster(scjg_, by_category, today_).total, 0);
  RosterFilter paged;
  paged.page_size = 1;
  paged.page = 2;
  const auto second = service_.roster(zhzf_, paged, today_);
  EXPECT_EQ(second.total, 2);
  ASSERT_EQ(second.rows.size(), 1u);
  EXPECT_EQ(second.pageCount(), 2);
}

TEST_F(OfficerServiceDb, ExpiringCertificatesAcrossDepartments) {
  auto numbers = [](const std::vector<ExpiringCertificate>& list) {
    std::vector<std::string> out;
    for (const auto& e : list) out.push_back(e.number);
    return out;
  };
  // 李秀梅: valid through 2027-01-15, 50 days after 2026-11-26.
  EXPECT_EQ(numbers(service_.expiringCertificates(today_, 90)),
            std::vector<std::string>{"吉220102180017"});
  EXPECT_TRUE(service_.expiringCertificates(today_, 49).empty());
  EXPECT_EQ(service_.expiringCertificates(today_, 50).front().days_left, 50);
  // With the expired one (赵海涛, through 2023-05-11) first.
  EXPECT_EQ(numbers(service_.expiringCertificates(today_, 90, true)),
            (std::vector<std::string>{"吉220103190008", "吉220102180017"}));
  // Three years on, everything still active has run out or is about to.
  EXPECT_EQ(service_.expiringCertificates(day("2028-08-10"), 30).size(), 1u) << "孙立新's new one";
}

}  // namespace
