// The one UTF-8 toolkit: decoding, validating, counting, cutting and trimming, on the inputs
// that reach the portal (Chinese text, full-width spaces from input methods, BOMs from Excel,
// NBSP from web pages) and on the malformed ones an attacker or a broken file sends.
#include "base/utf8.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

std::vector<char32_t> decodeAll(std::string_view s) {
  std::vector<char32_t> out;
  for (std::size_t i = 0; i < s.size();) out.push_back(base::decodeUtf8(s, i));
  return out;
}

TEST(Utf8Decode, DecodesOneToFourByteCharacters) {
  // "A", "é" (2 bytes), "举" (3 bytes), "𠀀" U+20000 (4 bytes, CJK Extension B).
  EXPECT_EQ(decodeAll("A\xC3\xA9\xE4\xB8\xBE\xF0\xA0\x80\x80"),
            (std::vector<char32_t>{U'A', 0xE9, 0x4E3E, 0x20000}));
  EXPECT_EQ(decodeAll("\xF4\x8F\xBF\xBF"), (std::vector<char32_t>{0x10FFFF}));
}

TEST(Utf8Decode, AnInvalidByteIsOneInvalidCodePointAndTheNextCharacterSurvives) {
  const char32_t bad = base::kInvalidCodePoint;
  // A stray continuation byte, then 举.
  EXPECT_EQ(decodeAll("\x80\xE4\xB8\xBE"), (std::vector<char32_t>{bad, 0x4E3E}));
  // A truncated 3-byte sequence followed by ASCII: the lead byte alone is bad, "a" survives.
  EXPECT_EQ(decodeAll("\xE4\xB8" "a"), (std::vector<char32_t>{bad, bad, U'a'}));
  // Overlong forms of "/" (2 and 3 bytes) and of U+0000.
  EXPECT_EQ(decodeAll("\xC0\xAF"), (std::vector<char32_t>{bad, bad}));
  EXPECT_EQ(decodeAll("\xE0\x80\xAF"), (std::vector<char32_t>{bad, bad, bad}));
  EXPECT_EQ(decodeAll("\xC0\x80").front(), bad);
  // An overlong 4-byte form of U+FFFF.
  EXPECT_EQ(decodeAll("\xF0\x8F\xBF\xBF").front(), bad);
  // A UTF-16 surrogate encoded as UTF-8 (CESU-8 / WTF-8): U+D800 and U+DFFF.
  EXPECT_EQ(decodeAll("\xED\xA0\x80").front(), bad);
  EXPECT_EQ(decodeAll("\xED\xBF\xBF").front(), bad);
  // Above U+10FFFF, and bytes that start nothing (F8, FE, FF).
  EXPECT_EQ(decodeAll("\xF4\x90\x80\x80").front(), bad);
  EXPECT_EQ(decodeAll("\xF8\xFE\xFF"), (std::vector<char32_t>{bad, bad, bad}));
}

TEST(Utf8Encode, AppendsWhatDecodeReads) {
  std::string out;
  for (char32_t cp : {char32_t{U'A'}, char32_t{0xE9}, char32_t{0x4E3E}, char32_t{0x3000},
                      char32_t{0x20000}, char32_t{0x10FFFF}}) {
    base::appendUtf8(out, cp);
  }
  EXPECT_EQ(out, "A\xC3\xA9\xE4\xB8\xBE\xE3\x80\x80\xF0\xA0\x80\x80\xF4\x8F\xBF\xBF");
  EXPECT_EQ(decodeAll(out).size(), 6u);
}

TEST(Utf8Validate, RefusesEveryMalformedFormAndSaysWhere) {
  EXPECT_TRUE(base::isValidUtf8(""));
  EXPECT_TRUE(base::isValidUtf8("举报 户外广告 𠀀"));
  EXPECT_FALSE(base::isValidUtf8("\xC0\xAF"));          // overlong
  EXPECT_FALSE(base::isValidUtf8("\xED\xA0\x80"));      // surrogate
  EXPECT_FALSE(base::isValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(base::isValidUtf8("举报\xE4\xB8"));       // truncated at the end
  EXPECT_EQ(base::firstInvalidUtf8("举报"), std::string_view::npos);
  // GBK bytes of "举报" (BE D9 B1 A8) read as UTF-8: the very first byte is wrong.
  EXPECT_EQ(base::firstInvalidUtf8("\xBE\xD9\xB1\xA8"), 0u);
  EXPECT_EQ(base::firstInvalidUtf8("名称,\xE4\xB8"), 7u);
}

TEST(Utf8Count, CountsCodePointsNotBytes) {
  EXPECT_EQ(base::utf8Length(""), 0u);
  EXPECT_EQ(base::utf8Length("举报"), 2u);
  EXPECT_EQ(base::utf8Length("a𠀀b"), 3u);
  EXPECT_EQ(base::utf8SequenceLength(static_cast<unsigned char>('a')), 1u);
  EXPECT_EQ(base::utf8SequenceLength(0xE4), 3u);
  EXPECT_EQ(base::utf8SequenceLength(0xF0), 4u);
  EXPECT_EQ(base::utf8SequenceLength(0x80), 1u);  // a stray continuation byte steps by one
}

TEST(Utf8Cut, NeverSplitsACharacter) {
  EXPECT_EQ(base::utf8Prefix("城管执法局", 2), "城管");
  EXPECT_EQ(base::utf8Prefix("城管", 5), "城管");
  EXPECT_EQ(base::utf8Prefix("a𠀀b", 2), "a𠀀");
  EXPECT_EQ(base::utf8BytePrefix("城管执法局", 7), "城管");  // 7 bytes fall inside 执
  EXPECT_EQ(base::utf8BytePrefix("城管", 6), "城管");
  EXPECT_EQ(base::utf8BytePrefix("𠀀", 3), "");
}

TEST(Trim, StripsEveryBlankOfTheRuleAtBothEndsAndNothingInside) {
  // Full-width (ideographic) spaces from a Chinese input method.
  EXPECT_EQ(base::trim("\xE3\x80\x80\xE3\x80\x80户外广告\xE3\x80\x80"), "户外广告");
  // A BOM at the start of an Excel cell or file, NBSP from a web page, ASCII around them.
  EXPECT_EQ(base::trim("\xEF\xBB\xBF 城管执法局\xC2\xA0\r\n"), "城管执法局");
  // Zero-width space (invisible) and vertical tab / form feed.
  EXPECT_EQ(base::trim("\xE2\x80\x8B\v\f名称\xE2\x80\x8B"), "名称");
  // Inside the text everything stays: "城管 执法" keeps its full-width space.
  EXPECT_EQ(base::trim(" 城管\xE3\x80\x80执法 "), "城管\xE3\x80\x80执法");
  // Only blanks: empty.
  EXPECT_EQ(base::trim("\xE3\x80\x80\xC2\xA0\xEF\xBB\xBF \t"), "");
  EXPECT_TRUE(base::isBlankText("\xE3\x80\x80\n"));
  EXPECT_FALSE(base::isBlankText("\xE3\x80\x80" "a"));
}

TEST(Trim, LeavesOtherSpacesAndBrokenBytesAlone) {
  // Full-width punctuation and other Unicode spaces are text (U+2003 em space, U+FF0C ，).
  EXPECT_EQ(base::trim("\xE2\x80\x83名称，"), "名称，") << "U+2003 em space is a space";
  EXPECT_EQ(base::trim("名称，\xF3\xA0\x80\x81"), "名称，") << "U+E0001, four bytes, is Cf";
  // A truncated sequence at the end is not blank and is not cut in half.
  EXPECT_EQ(base::trim("名称\xE3\x80"), "名称\xE3\x80");
  // A lone A0 byte (NBSP's second byte without its lead) is not NBSP.
  EXPECT_EQ(base::trim("名称\xA0"), "名称\xA0");
  EXPECT_EQ(base::trimView("  a  "), "a");
}

TEST(Blank, IsExactlyTheDocumentedSet) {
  for (char32_t cp : {U' ', U'\t', U'\n', U'\v', U'\f', U'\r', char32_t{0x85}, char32_t{0xA0},
                      char32_t{0x1680}, char32_t{0x2003}, char32_t{0x200A}, char32_t{0x2028},
                      char32_t{0x2029}, char32_t{0x202F}, char32_t{0x205F}, char32_t{0x3000},
                      char32_t{0xAD}, char32_t{0x200B}, char32_t{0x200C}, char32_t{0x200D},
                      char32_t{0x200E}, char32_t{0x202E}, char32_t{0x2060}, char32_t{0x2064},
                      char32_t{0xFEFF}, char32_t{0xE0001}}) {
    EXPECT_TRUE(base::isBlank(cp)) << static_cast<unsigned>(cp);
  }
  for (char32_t cp : {U'a', U'0', char32_t{0xFF0C}, char32_t{0x3001}, char32_t{0x2065},
                      char32_t{0x1F600}, base::kInvalidCodePoint}) {
    EXPECT_FALSE(base::isBlank(cp)) << static_cast<unsigned>(cp);
  }
}

// An audit found a complaint of nothing but an em space, or of a zero-width joiner and a word
// joiner, registered as a description: invisible text is blank.
TEST(Blank, InvisibleTextIsBlank) {
  EXPECT_TRUE(base::isBlankText("\u2003"));
  EXPECT_TRUE(base::isBlankText("\u200D\u2060"));
  EXPECT_TRUE(base::isBlankText("\u2028\u00AD\uFEFF \u3000"));
  EXPECT_FALSE(base::isBlankText("\u200D噪声\u2060"));
  EXPECT_EQ(base::trim("\u2003\u200D噪声\u2060"), "噪声");
}

}  // namespace

namespace {

TEST(ControlCharacters, C0ButTabAndLineEndsDelAndC1) {
  EXPECT_FALSE(base::hasControlCharacters("第一行\n第二行\r\n\t缩进"));
  EXPECT_TRUE(base::hasControlCharacters(std::string("a\0b", 3)));
  EXPECT_TRUE(base::hasControlCharacters("a\x1B[31m"));      // ESC of a terminal colour
  EXPECT_TRUE(base::hasControlCharacters("a\x7F"));          // DEL
  EXPECT_TRUE(base::hasControlCharacters("a\xC2\x85" "b"));  // U+0085 NEL, a C1 control
  EXPECT_FALSE(base::hasControlCharacters("\xC2\xA0"));      // NBSP is no control
  EXPECT_EQ(base::stripControlCharacters("举\x1B报\xC2\x9B\x7F内容\n"), "举报内容\n");
}

}  // namespace
