#pragma once

#include <stdexcept>
#include <string>

namespace hotline {

// Infrastructure failure inside the hotline module that is not a database error (the crypto
// library cannot initialise or runs out of memory hashing). Never shown to the public; the
// HTTP layer answers 500. Database failures stay db::DbError.
class HotlineError : public std::runtime_error {
 public:
  explicit HotlineError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace hotline
