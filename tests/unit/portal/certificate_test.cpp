#include "portal/disclosure/certificate.h"

#include <gtest/gtest.h>

namespace {

using hotline::CivilDate;
using namespace portal::disclosure;

CivilDate day(const char* text) { return *CivilDate::parse(text); }

TEST(CertificateNumber, NormalisationTrimsFoldsWidthAndUpperCases) {
  EXPECT_EQ(normaliseCertificateNumber("  吉a0123456789 \t"), "吉A0123456789");
  EXPECT_EQ(normaliseCertificateNumber("吉ＡＢ１２３４５６７８"), "吉AB12345678");
  EXPECT_EQ(normaliseCertificateNumber("\xE3\x80\x80"
                                       "22010121003１\xE3\x80\x80"),
            "220101210031");
  EXPECT_EQ(normaliseCertificateNumber("ｚｆ 123456"), "ZF 123456") << "inner spaces stay";
  EXPECT_EQ(normaliseCertificateNumber(""), "");
}

TEST(CertificateNumber, ShapeTable) {
  struct Case {
    const char* number;
    bool ok;
    const char* reason_part;  // for the wrong ones
  };
  const Case cases[] = {
      {"吉220101210031", true, ""},
      {"22010121", true, ""},              // 8 characters, the shortest
      {"12345678901234567890", true, ""},  // 20, the longest
      {"京AB123456", true, ""},            // letters allowed, 6 digits
      {"ZF2024000123", true, ""},
      {"", false, "请输入"},
      {"2201012", false, "8至20位"},                // 7 characters
      {"123456789012345678901", false, "8至20位"},  // 21
      {"吉1234567", false, "8至20位"},
      {"ABCDE12345", false, "至少应有6位数字"},
      {"AB12345XYZ", false, "至少应有6位数字"},
      {"吉A 12345678", false, "只能由数字和英文字母"},
      {"2201-0121-0031", false, "只能由数字和英文字母"},
      {"吉吉22010121", false, "只能由数字和英文字母"},
      {"张22010121", false, "省份简称"},
      {"22010121吉", false, "只能由数字和英文字母"},
      {"Ａ22010121", false, "省份简称"},  // not normalised: full-width is refused as is
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.number);
    const auto problem = certificateShapeProblem(c.number);
    EXPECT_EQ(!problem.has_value(), c.ok) << problem.value_or("");
    if (problem) {
      EXPECT_NE(problem->find(c.reason_part), std::string::npos) << *problem;
    }
  }
  EXPECT_TRUE(certificateShapeProblem(std::string(300, '1')).has_value());
  EXPECT_FALSE(certificateShapeProblem(normaliseCertificateNumber(" 吉ａ２２０１０１２１ ")));
}

TEST(CertificateValidity, ValidThroughIsThreeYearsAfterTheLastInspectionOrTheIssue) {
  EXPECT_EQ(validThrough(day("2021-04-12"), std::nullopt), day("2024-04-12"));
  EXPECT_EQ(validThrough(day("2021-04-12"), day("2024-03-30")), day("2027-03-30"));
  // 29 February plus three years is 28 February of a common year.
  EXPECT_EQ(validThrough(day("2024-02-29"), std::nullopt), day("2027-02-28"));
  EXPECT_EQ(validThrough(day("2020-01-01"), day("2024-02-29")), day("2027-02-28"));
  EXPECT_EQ(addYears(day("2024-02-29"), 4), day("2028-02-29"));
}

TEST(CertificateValidity, TheDayBeforeOnAndAfterTheExpiry) {
  const auto issued = day("2021-01-05");
  const auto inspected = day("2023-06-30");  // valid through 2026-06-30
  auto at = [&](const char* today) {
    return assessCertificate(CertificateState::Active, issued, inspected, day(today), 90);
  };
  EXPECT_EQ(at("2026-06-29").standing, CertificateStanding::ExpiringSoon);
  EXPECT_EQ(at("2026-06-29").days_left, 1);
  EXPECT_EQ(at("2026-06-30").standing, CertificateStanding::ExpiringSoon) << "valid on the day";
  EXPECT_EQ(at("2026-06-30").days_left, 0);
  EXPECT_EQ(at("2026-07-01").standing, CertificateStanding::Expired);
  EXPECT_EQ(at("2026-07-01").days_left, -1);
  EXPECT_EQ(at("2026-07-01").valid_through, day("2026-06-30"));
  EXPECT_FALSE(isValidStanding(at("2026-07-01").standing));
  EXPECT_TRUE(isValidStanding(at("2026-06-30").standing));
}

TEST(CertificateValidity, LeapDayInspectionExpiresAfterTheTwentyEighth) {
  const auto inspected = day("2024-02-29");
  auto at = [&](const char* today) {
    return assessCertificate(CertificateState::Active, day("2023-01-01"), inspected, day(today));
  };
  EXPECT_EQ(at("2027-02-27").standing, CertificateStanding::ExpiringSoon);
  EXPECT_EQ(at("2027-02-28").standing, CertificateStanding::ExpiringSoon);
  EXPECT_EQ(at("2027-03-01").standing, CertificateStanding::Expired);
}

TEST(CertificateValidity, TheWarningWindowIsConfigurable) {
  const auto issued = day("2024-01-15");  // valid through 2027-01-15
  auto at = [&](const char* today, int window) {
    return assessCertificate(CertificateState::Active, issued, std::nullopt, day(today), window)
        .standing;
  };
  EXPECT_EQ(at("2026-10-17", 90), CertificateStanding::ExpiringSoon);  // 90 days left
  EXPECT_EQ(at("2026-10-16", 90), CertificateStanding::Valid);         // 91 days left
  EXPECT_EQ(at("2026-10-17", 30), CertificateStanding::Valid);
  EXPECT_EQ(at("2027-01-15", 0), CertificateStanding::ExpiringSoon);
  EXPECT_EQ(at("2027-01-14", 0), CertificateStanding::Valid);
}

TEST(CertificateValidity, ReplacedAndRevokedStaySoWhateverTheDates) {
  const auto today = day("2026-11-26");
  const auto replaced =
      assessCertificate(CertificateState::Replaced, day("2026-01-01"), std::nullopt, today);
  EXPECT_EQ(replaced.standing, CertificateStanding::Replaced);
  EXPECT_FALSE(isValidStanding(replaced.standing));
  const auto revoked =
      assessCertificate(CertificateState::Revoked, day("2026-01-01"), std::nullopt, today);
  EXPECT_EQ(revoked.standing, CertificateStanding::Revoked);
  EXPECT_STREQ(standingLabel(CertificateStanding::Valid), "有效");
  EXPECT_STREQ(standingLabel(CertificateStanding::ExpiringSoon), "有效（即将到期，需检验）");
  EXPECT_STREQ(standingLabel(CertificateStanding::Expired), "已过期（未按期检验）");
  EXPECT_STREQ(standingLabel(CertificateStanding::Replaced), "已换发");
  EXPECT_STREQ(standingLabel(CertificateStanding::Revoked), "已注销");
  for (auto s :
       {CertificateStanding::Valid, CertificateStanding::ExpiringSoon, CertificateStanding::Expired,
        CertificateStanding::Replaced, CertificateStanding::Revoked}) {
    EXPECT_EQ(parseStanding(standingCode(s)), s);
  }
  EXPECT_FALSE(parseStanding("bogus"));
}

}  // namespace
