#include "search/detail/xapian_error.h"

#include <xapian.h>

#include "search/search_error.h"

namespace search::detail {

void throwSearchError(const Xapian::Error& e, const std::string& context) {
  using Kind = SearchError::Kind;
  Kind kind = Kind::Internal;
  std::string hint;
  // Xapian::Error has no virtual functions in 1.4, so dynamic_cast cannot tell the
  // subclasses apart; get_type() names the class.
  const std::string type = e.get_type();
  if (type == "DatabaseLockError") {
    kind = Kind::Locked;
    hint = " (another IndexWriter holds the write lock; there must be one writer per index)";
  } else if (type == "DatabaseCorruptError") {
    kind = Kind::Corrupt;
    hint = " (rebuild the index)";
  } else if (type == "DatabaseNotFoundError" || type == "DatabaseOpeningError") {
    kind = Kind::NotFound;
  }
  throw SearchError(kind, "search: " + context + ": " + e.get_type() + ": " + e.get_msg() + hint);
}

}  // namespace search::detail
