#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/escape.h"
#include "base/percent_encoding.h"
#include "base/utf8.h"

namespace hotline {

// Pure helpers for SMS text and gateway requests. Thread safe.

// How many SMS a text takes: up to 70 UCS-2 characters in one, 67 per part beyond (the rest
// of each part carries the concatenation header). Characters outside the BMP count twice.
int smsSegments(std::string_view utf8_text);

// The recipient for a stored (normalised, see phone_number.h) number: "+8613812345678" for a
// mainland mobile; std::nullopt for a landline or anything else (they cannot receive SMS).
std::optional<std::string> smsRecipient(std::string_view stored_phone);

// The first `max_chars` characters of valid UTF-8 text, with "…" when cut.
std::string cutText(std::string_view utf8_text, std::size_t max_chars);

// Replaces every `open`name`close` in `tmpl` with `escape(value)` of values[name]. A name not
// in `values` is left as it was. No sections, no nesting, no recursion into values.
// Drops a "。" that directly follows sentence-ending punctuation, as when a template's
// "理由：{reason}。" meets a reason that ends with its own "。": "理由：不属于本部门职责。。" reads
// "理由：不属于本部门职责。".
std::string tidySentenceEnds(std::string_view utf8_text);

std::string substitute(std::string_view tmpl, std::string_view open, std::string_view close,
                       const std::map<std::string, std::string>& values,
                       const std::function<std::string(std::string_view)>& escape);
// The first placeholder name in `tmpl` that is not in `allowed`, if any.
std::optional<std::string> unknownPlaceholder(std::string_view tmpl, std::string_view open,
                                              std::string_view close,
                                              const std::map<std::string, std::string>& allowed);

// The text as UTF-16 big-endian (UCS-2 for the BMP; surrogate pairs beyond), in uppercase
// hex: Jasmin's hex-content for coding=8. An invalid UTF-8 byte becomes U+FFFD.
std::string ucs2HexText(std::string_view utf8_text);
// RFC 3986 percent-encoding of everything but unreserved characters ("+" becomes "%2B",
// a space "%20"); fit for query strings and form bodies.
using base::percentEncode;
// The content of a JSON string (without the quotes): quotes, backslashes, control characters.
using base::jsonEscape;
using base::xmlEscape;
// CR and LF removed, for a header value.
std::string headerSafe(std::string_view s);

// A gateway's answer cut to at most 200 bytes of printable text, for last_error: never
// invalid UTF-8 or control characters.
std::string printableExcerpt(std::string_view body);

}  // namespace hotline
