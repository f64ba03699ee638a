#pragma once

#include <string>

// Translation of Xapian exceptions into SearchError. Internal to the search module.

namespace Xapian {
class Error;
}

namespace search::detail {

// Throws the SearchError matching `e`; `context` says what was being done and on which
// directory, e.g. "opening index /var/lib/portal/index".
[[noreturn]] void throwSearchError(const Xapian::Error& e, const std::string& context);

}  // namespace search::detail
