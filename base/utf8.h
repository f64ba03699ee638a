#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

// The portal's one UTF-8 toolkit: decoding, validating, counting and trimming. Every module
// that looks at text a code point at a time uses these, so that "valid", "one character" and
// "blank" mean the same on every page, import and message.

namespace base {

// What decodeUtf8 returns for a byte that starts no well-formed sequence.
inline constexpr char32_t kInvalidCodePoint = 0xFFFFFFFF;

// Decodes the code point at s[i] (REQUIRES: i < s.size()) and advances i past it. A stray
// continuation byte, a truncated sequence, an overlong form, a surrogate (U+D800-U+DFFF) or a
// value above U+10FFFF yields kInvalidCodePoint and advances exactly one byte, so a caller that
// maps it to U+FFFD keeps byte offsets exact and never skips valid text after a bad byte.
char32_t decodeUtf8(std::string_view s, std::size_t& i);

// Appends the UTF-8 form of `cp` (REQUIRES: a Unicode scalar value).
void appendUtf8(std::string& out, char32_t cp);

// The length in bytes of the sequence that starts with `lead` in well-formed text: 1 for ASCII
// (and for a byte that starts no sequence), else 2, 3 or 4. For cutting and stepping through
// text already validated; use decodeUtf8 for text from outside.
std::size_t utf8SequenceLength(unsigned char lead);

// True when `s` is well-formed UTF-8: no stray continuation bytes, no truncated sequence, no
// overlong form, no surrogate, nothing above U+10FFFF. The empty string is valid.
bool isValidUtf8(std::string_view s);

// The offset of the first byte that is not well-formed UTF-8 (by the rules of isValidUtf8),
// std::string_view::npos when all of `s` is: where an import tells the user the text breaks.
std::size_t firstInvalidUtf8(std::string_view s);

// Unicode code points in well-formed UTF-8 text: "举报" is 2, not 6. This is what every length
// limit counts.
std::size_t utf8Length(std::string_view s);

// The longest prefix of `s` of at most `max_bytes` bytes that ends on a character boundary
// (well-formed text assumed): a cut never splits a character.
std::string_view utf8BytePrefix(std::string_view s, std::size_t max_bytes);

// The longest prefix of `s` of at most `max_chars` code points that ends on a character
// boundary (well-formed text assumed).
std::string_view utf8Prefix(std::string_view s, std::size_t max_chars);

// A control character: C0 controls other than tab, line feed and carriage return, DEL, and the
// C1 controls U+0080-U+009F. Nothing a person types; they could hide text on a page or upset
// terminals and exports.
bool isControlCharacter(char32_t cp);
// Whether `s` holds one. Bytes that are not well-formed UTF-8 are not control characters.
bool hasControlCharacters(std::string_view s);
// `s` without them.
std::string stripControlCharacters(std::string_view s);

// The one rule of what is blank, for every form, import, message and configuration value that
// is trimmed and every required text that must not be empty:
//   Unicode white space: ASCII white space (space, tab, line feed, vertical tab, form feed,
//   carriage return), U+0085, the space separators (Zs: U+00A0 no-break space, U+1680,
//   U+2000-U+200A such as the em space, U+202F, U+205F, U+3000 ideographic space) and U+2028,
//   U+2029;
//   format characters (Cf: U+00AD soft hyphen, U+200B-U+200F zero-width space, joiners and
//   marks, U+202A-U+202E and U+2066-U+206F bidi controls, U+2060-U+2064 word joiner and
//   invisible operators, U+FEFF byte-order mark, ...): invisible, so a description of nothing
//   else looks empty, and a name ending in one looks the same as one without.
// Nothing else: full-width punctuation is text.
bool isBlank(char32_t cp);

// `s` without blank code points (isBlank) at either end; inner text is untouched. Bytes that
// are not well-formed UTF-8 are never blank, so trimming never breaks a sequence.
std::string_view trimView(std::string_view s);
std::string trim(std::string_view s);

// True when `s` holds nothing but blank code points (or nothing at all).
inline bool isBlankText(std::string_view s) { return trimView(s).empty(); }

// `s` with the ASCII letters A-Z in lower case and every other byte as it is: for what is
// compared without case by ASCII rules (media types, header parameter names, URL schemes).
std::string asciiLower(std::string_view s);

// The code points of `s`; bytes that start no well-formed sequence are left out.
std::vector<char32_t> codePoints(std::string_view s);

}  // namespace base
