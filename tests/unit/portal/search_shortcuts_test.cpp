#include "portal/web/search_shortcuts.h"

#include <gtest/gtest.h>

namespace portal::web {
namespace {

std::vector<std::string> urls(std::string_view query,
                              const std::string& pattern = "{source}-{year}-{seq:6}") {
  const hotline::RegistrationNumberFormat numbers(pattern);
  std::vector<std::string> out;
  for (const auto& s : searchShortcuts(query, numbers)) out.push_back(s.url);
  return out;
}

using Urls = std::vector<std::string>;

TEST(SearchShortcuts, AServiceNamedInTheSearchBoxLeadsToItsPage) {
  EXPECT_EQ(urls("执法证查询"), Urls{"/certificates/check"});
  EXPECT_EQ(urls("怎么查询执法人员的证件是否有效？"), Urls{"/certificates/check"});
  EXPECT_EQ(urls("投诉进度查询"), Urls{"/track"});
  EXPECT_EQ(urls("举报 处理结果"), Urls{"/track"});
  EXPECT_EQ(urls("投诉电话"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("投诉电话是多少"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("举报电话号码是什么"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("12345"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("处罚决定书查询"), Urls{"/decisions"});
  EXPECT_EQ(urls("权责清单"), Urls{"/#departments"});
  EXPECT_EQ(urls("清单变更记录"), Urls{"/changes"});
  EXPECT_EQ(urls("行政执法公示"), Urls{"/disclosures"});
  EXPECT_EQ(urls("多久回复"), Urls{"/track"});
  EXPECT_EQ(urls("投诉了多长时间能有结果"), Urls{"/track"});
  // Full-width question marks and spaces are punctuation, as typed on a phone.
  EXPECT_EQ(urls("在哪里查投诉进度？　"), Urls{"/track"});
}

TEST(SearchShortcuts, ADepartmentsNationalHotlineNumberLeadsToTheChannels) {
  EXPECT_EQ(urls("12315"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("１２３６９"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("12333电话"), Urls{"/complaint-channels"});
  EXPECT_EQ(urls("怎么打12319"), Urls{"/complaint-channels"});
  // Another number of five digits is no hotline: a search only.
  EXPECT_TRUE(urls("12316").empty());
}

TEST(SearchShortcuts, HowToComplainOffersTheFormAndTheTelephones) {
  EXPECT_EQ(urls("我要投诉"), (Urls{"/complaints/new", "/complaint-channels"}));
  EXPECT_EQ(urls("网上举报入口"), (Urls{"/complaints/new", "/complaint-channels"}));
  EXPECT_EQ(urls("匿名举报"), (Urls{"/complaints/new", "/complaint-channels"}));
  EXPECT_EQ(urls("可以匿名投诉吗"), (Urls{"/complaints/new", "/complaint-channels"}));
}

TEST(SearchShortcuts, AQueryWithAnyOtherWordIsASearchOnly) {
  EXPECT_TRUE(urls("饭店油烟扰民的投诉").empty());
  EXPECT_TRUE(urls("噪音扰民").empty());
  EXPECT_TRUE(urls("对未取得排污许可证排放污染物的行政处罚").empty());
  EXPECT_TRUE(urls("执法人员态度恶劣").empty());
  EXPECT_TRUE(urls("").empty());
  EXPECT_TRUE(urls("？？").empty());
}

TEST(SearchShortcuts, ARegistrationNumberOpensItsTrackingPage) {
  EXPECT_EQ(urls("TS-2026-000123"), Urls{"/track?no=TS-2026-000123"});
  // As typed: lower case, full width, spaces.
  EXPECT_EQ(urls(" ｔｓ－２０２６－０００１２３ "), Urls{"/track?no=TS-2026-000123"});
  // Another configured pattern, without separators.
  EXPECT_EQ(urls("XC2026001234", "{source}{year}{seq:6}"), Urls{"/track?no=XC2026001234"});
  // Not this shape: a source that does not exist, too few digits, something after it.
  EXPECT_TRUE(urls("AB-2026-000123").empty());
  EXPECT_TRUE(urls("TS-26-000123").empty());
  EXPECT_TRUE(urls("TS-2026-000123 噪音").empty());
}

TEST(SearchShortcuts, ACertificateNumberOpensItsCheck) {
  EXPECT_EQ(urls("吉22010020001"),
            Urls{"/certificates/check?number=%E5%90%8922010020001"});
  EXPECT_EQ(urls("2201002000123"), Urls{"/certificates/check?number=2201002000123"});
  // Eight bare digits read as a date, not a certificate.
  EXPECT_TRUE(urls("20260301").empty());
}

TEST(SearchShortcuts, EveryLabelSaysWhereItLeads) {
  const hotline::RegistrationNumberFormat numbers("{source}-{year}-{seq:6}");
  for (const char* q : {"执法证", "进度", "投诉", "电话", "处罚决定", "公示", "统计", "清单", "变更"}) {
    const auto found = searchShortcuts(q, numbers);
    ASSERT_FALSE(found.empty()) << q;
    for (const auto& s : found) {
      EXPECT_FALSE(s.label.empty()) << q;
      EXPECT_EQ(s.url.rfind('/', 0), 0u) << q << " " << s.url;
    }
  }
}

}  // namespace
}  // namespace portal::web
