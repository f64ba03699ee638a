#pragma once

#include <string>
#include <string_view>

namespace base {

// Escapes text for XML element content and attribute values (Atom feeds, Open311 XML, SMS
// gateway bodies): & < > " ' become entities; everything else is copied unchanged.
std::string xmlEscape(std::string_view s);

}  // namespace base
