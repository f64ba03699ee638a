#include "hotline/sms_text.h"

#include <gtest/gtest.h>

#include <string>

#include "hotline/sms_dispatcher.h"
#include "hotline/sms_outbox.h"

namespace hotline {
namespace {

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(SmsSegments, SeventyCharactersInOneAndSixtySevenPerPartBeyond) {
  struct Case {
    std::string text;
    int segments;
  };
  const Case cases[] = {
      {"", 1},
      {repeat("a", 70), 1},
      {repeat("举", 70), 1},
      {repeat("举", 71), 2},
      {repeat("举", 134), 2},
      {repeat("举", 135), 3},
      {repeat("😀", 35), 1},  // outside the BMP: two UCS-2 units each
      {repeat("😀", 36), 2},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(smsSegments(c.text), c.segments) << c.text.size() << " bytes";
  }
}

TEST(SmsUcs2Hex, BigEndianUtf16ForJasmin) {
  EXPECT_EQ(ucs2HexText("Hi"), "00480069");
  EXPECT_EQ(ucs2HexText("【投诉】"), "301062958BC93011");
  EXPECT_EQ(ucs2HexText("\xF0\x9F\x98\x80"), "D83DDE00");  // outside the BMP: a surrogate pair
  EXPECT_EQ(ucs2HexText("a\xFF"
                        "b"),
            "0061FFFD0062");  // invalid UTF-8
  EXPECT_EQ(ucs2HexText(""), "");
}

TEST(SmsRecipient, MainlandMobilesOnly) {
  EXPECT_EQ(smsRecipient("13812345678"), "+8613812345678");
  EXPECT_EQ(smsRecipient("+86 138 1234 5678"), "+8613812345678");
  EXPECT_EQ(smsRecipient("0431-81912345"), std::nullopt);
  EXPECT_EQ(smsRecipient("0431-81912345转801"), std::nullopt) << "SMS only to mobiles";
  EXPECT_EQ(smsRecipient("8613800138000"), "+8613800138000");
  EXPECT_EQ(smsRecipient(""), std::nullopt);
}

TEST(SmsSubstitute, EscapesEachValueForWhereItGoes) {
  const std::map<std::string, std::string> values = {{"text", "他说\"停\"\\ 好&<b>"},
                                                     {"to", "+8613812345678"}};
  EXPECT_EQ(substitute(R"({"to":"{{to}}","text":"{{text}}"})", "{{", "}}", values, jsonEscape),
            R"({"to":"+8613812345678","text":"他说\"停\"\\ 好&<b>"})");
  EXPECT_EQ(substitute("to={{to}}&msg={{text}}", "{{", "}}", values, percentEncode),
            "to=%2B8613812345678&msg=%E4%BB%96%E8%AF%B4%22%E5%81%9C%22%5C%20%E5%A5%BD%26%3Cb%3E");
  EXPECT_EQ(substitute("<to>{{to}}</to><m>{{text}}</m>", "{{", "}}", values, xmlEscape),
            "<to>+8613812345678</to><m>他说&quot;停&quot;\\ 好&amp;&lt;b&gt;</m>");
  // Unknown names stay; values are not substituted again.
  EXPECT_EQ(substitute("{{x}} {{to}}", "{{", "}}", {{"to", "{{x}}"}}, nullptr), "{{x}} {{x}}");
  EXPECT_EQ(unknownPlaceholder("{{to}} {{txt}}", "{{", "}}", values), "txt");
  EXPECT_EQ(unknownPlaceholder("{{to}}", "{{", "}}", values), std::nullopt);
}

TEST(SmsText, EachEventHasItsChineseTemplateAndTheSignature) {
  SmsOptions o;
  o.signature = "新区综合执法";
  SmsEvent e;
  e.registration_no = "TS-2025-000001";
  e.tracking_code = "ABCD2345";
  e.kind = EventKind::Registered;
  EXPECT_EQ(renderSms(o, e),
            "【新区综合执法】您的投诉举报已登记，编号TS-2025-000001，查询码ABCD2345，"
            "请凭编号和查询码查询办理进度。");
  e.kind = EventKind::Rejected;
  e.reason = "未提供具体的违法事实或线索：缺少地址";
  EXPECT_EQ(renderSms(o, e),
            "【新区综合执法】您的投诉举报TS-2025-000001不予受理，理由：未提供具体的违法事实或线索："
            "缺少地址。");
  // A reason or result written as a sentence does not end the SMS with "。。".
  e.reason = "不属于本部门职责范围。";
  EXPECT_EQ(renderSms(o, e),
            "【新区综合执法】您的投诉举报TS-2025-000001不予受理，理由：不属于本部门职责范围。");
  e.kind = EventKind::Concluded;
  e.text = "已责令停止施工！";
  EXPECT_EQ(renderSms(o, e),
            "【新区综合执法】您的投诉举报TS-2025-000001已办结，办理结果：已责令停止施工！"
            "请凭编号和查询码对办理结果进行评价。");
  e.kind = EventKind::Note;
  e.text = "内部";
  e.is_public = false;
  EXPECT_EQ(renderSms(o, e), std::nullopt);
  e.is_public = true;
  e.text = repeat("很", 150);
  const auto long_note = renderSms(o, e);
  ASSERT_TRUE(long_note);
  EXPECT_NE(long_note->find(repeat("很", 100) + "…"), std::string::npos);
  e.kind = EventKind::PhoneRevealed;
  EXPECT_EQ(renderSms(o, e), std::nullopt);
}

TEST(SmsTidySentenceEnds, DropsOnlyTheDoubledFullStop) {
  EXPECT_EQ(tidySentenceEnds("理由：不属实。。"), "理由：不属实。");
  EXPECT_EQ(tidySentenceEnds("结果：已处理？。请评价。"), "结果：已处理？请评价。");
  EXPECT_EQ(tidySentenceEnds("第一句。第二句。"), "第一句。第二句。");
  EXPECT_EQ(tidySentenceEnds("理由：不属实…。"), "理由：不属实…。");
  EXPECT_EQ(tidySentenceEnds(""), "");
}

TEST(SmsBackoff, DoublesUpToTheCapWithJitterInTheUpperHalf) {
  SmsOptions o;
  o.backoff_base_ms = 1000;
  o.backoff_max_ms = 10000;
  EXPECT_EQ(SmsDispatcher::backoffMs(o, 1, 1.0), 1000);
  EXPECT_EQ(SmsDispatcher::backoffMs(o, 1, 0.0), 500);
  EXPECT_EQ(SmsDispatcher::backoffMs(o, 3, 1.0), 4000);
  EXPECT_EQ(SmsDispatcher::backoffMs(o, 10, 1.0), 10000);
  EXPECT_EQ(SmsDispatcher::backoffMs(o, 10, 0.0), 5000);
}

TEST(SmsPrintableExcerpt, NeverControlCharactersOrBrokenUtf8) {
  EXPECT_EQ(printableExcerpt(std::string("ERR\r\n\x01") + "bad"), "ERR   bad");
  const std::string cut = printableExcerpt(repeat("错", 100));  // 300 bytes, cut inside one
  EXPECT_EQ(cut, repeat("错", 66));
}

}  // namespace
}  // namespace hotline
