#include "hotline/phone_number.h"

#include <gtest/gtest.h>

#include "hotline/text.h"

namespace hotline {
namespace {

struct PhoneCase {
  const char* input;
  const char* normalized;  // nullptr: refused
};

class NormalizePhoneTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(NormalizePhoneTest, AcceptsMainlandNumbersInTheirUsualSpellings) {
  const PhoneCase& c = GetParam();
  const auto got = normalizePhone(c.input);
  if (c.normalized) {
    ASSERT_TRUE(got.has_value()) << c.input;
    EXPECT_EQ(*got, c.normalized) << c.input;
  } else {
    EXPECT_FALSE(got.has_value()) << c.input << " -> " << got.value_or("");
  }
}

INSTANTIATE_TEST_SUITE_P(
    Phones, NormalizePhoneTest,
    ::testing::Values(
        PhoneCase{"13812345678", "13812345678"}, PhoneCase{"138 1234 5678", "13812345678"},
        PhoneCase{"138-1234-5678", "13812345678"}, PhoneCase{"+86 138 1234 5678", "13812345678"},
        PhoneCase{"+8613812345678", "13812345678"}, PhoneCase{"0086-13812345678", "13812345678"},
        PhoneCase{"１３８１２３４５６７８", "13812345678"},  // full-width
        PhoneCase{"19912345678", "19912345678"}, PhoneCase{"0431-81912345", "0431-81912345"},
        PhoneCase{"(0431)81912345", "0431-81912345"}, PhoneCase{"043181912345", "0431-81912345"},
        PhoneCase{"+86 431 8191 2345", "0431-81912345"}, PhoneCase{"010-62345678", "010-62345678"},
        PhoneCase{"021 5234567", "021-5234567"},
        PhoneCase{"０４３１－８１９１２３４５", "0431-81912345"},
        // 86 without the plus, and extensions (an audit found these real numbers refused)
        PhoneCase{"8613800138000", "13800138000"}, PhoneCase{"86 138 0013 8000", "13800138000"},
        PhoneCase{"0431-81912345-801", "0431-81912345转801"},
        PhoneCase{"0431-81912345转801", "0431-81912345转801"},
        PhoneCase{"0431-81912345 分机 801", "0431-81912345转801"},
        PhoneCase{"(0431)81912345 ext. 801", "0431-81912345转801"},
        PhoneCase{"+86 431 8191 2345转８０１", "0431-81912345转801"},
        PhoneCase{"010-62345678-1", "010-62345678转1"},
        PhoneCase{"0431-81912345转1234567", nullptr},  // 7-digit extension
        PhoneCase{"13800138000转801", nullptr},         // a mobile has no extension
        PhoneCase{"0431-81912345转", nullptr}, PhoneCase{"0431-81912345转80a", nullptr},
        PhoneCase{"861380013800", nullptr},  // 86 and 10 digits
        // refused
        PhoneCase{"", nullptr}, PhoneCase{"12345", nullptr},
        PhoneCase{"138123456789", nullptr},    // 12 digits
        PhoneCase{"1381234567", nullptr},      // 10 digits
        PhoneCase{"12812345678", nullptr},     // 12x is not a mobile prefix
        PhoneCase{"81912345", nullptr},        // no area code
        PhoneCase{"0431-01912345", nullptr},   // local part starts with 0
        PhoneCase{"0431-819123456", nullptr},  // 9-digit local part
        PhoneCase{"+1 202 555 0123", nullptr}, PhoneCase{"138abc45678", nullptr},
        PhoneCase{"138+12345678", nullptr}, PhoneCase{"<script>13812345678</script>", nullptr}));

TEST(MaskPhoneTest, StaffSeeOnlyTheEnds) {
  EXPECT_EQ(maskPhone("13812345678"), "138****5678");
  EXPECT_EQ(maskPhone("0431-81912345"), "0431-****2345");
  EXPECT_EQ(maskPhone("010-62345678"), "010-****5678");
  EXPECT_EQ(maskPhone("0431-81912345转801"), "0431-****2345转801");
}

TEST(TextTest, LengthCountsCharactersNotBytes) {
  EXPECT_EQ(utf8Length("举报"), 2u);
  EXPECT_EQ(utf8Length("a举𠮷"), 3u);
  EXPECT_TRUE(isValidUtf8("噪声扰民 😀"));
  EXPECT_FALSE(isValidUtf8("\xC3"));
  EXPECT_FALSE(isValidUtf8("\xE4\xB8"));
  EXPECT_FALSE(isValidUtf8("\xED\xA0\x80"));  // a surrogate
  EXPECT_FALSE(isValidUtf8("\xC0\xAF"));      // overlong '/'
  EXPECT_EQ(base::trim("\xE3\x80\x80 内容 \n"), "内容");
}

}  // namespace
}  // namespace hotline
