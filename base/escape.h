#pragma once

#include <string>
#include <string_view>

namespace base {

// Escapes text for XML element content and attribute values (Atom feeds, Open311 XML, SVG
// charts, SMS gateway bodies): & < > " ' become entities; a C0 control character other than
// tab, newline and carriage return (never allowed in XML 1.0) becomes U+FFFD; everything else
// is copied unchanged.
std::string xmlEscape(std::string_view s);

// Escapes text for HTML element content and quoted attribute values (search hits, snippets):
// as xmlEscape, but ' becomes &#39; (&apos; is not an HTML 4 entity).
std::string htmlEscape(std::string_view s);

// Escapes text as the content of a JSON string (without the quotes): " and \ are escaped,
// line feed, carriage return and tab as \n \r \t, other control characters below U+0020 as
// \u00XX; UTF-8 is copied unchanged.
std::string jsonEscape(std::string_view s);

}  // namespace base
