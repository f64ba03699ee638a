#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "db/connection.h"

namespace portal::indexing {

struct SynonymEntry {
  std::string plain;
  std::string formal;  // '|'-separated, as stored
  std::string updated_by;
  std::string updated_at;
};

// SQL for the administrators' synonyms. Works on the caller's connection; save() and remove()
// belong inside the caller's transaction and bump the version. Throws db::DbError.
class SynonymStore {
 public:
  explicit SynonymStore(db::Connection& conn) : conn_(conn) {}

  std::uint64_t version();
  std::vector<SynonymEntry> all();
  void save(const std::string& plain, const std::string& formal, const std::string& by);
  bool remove(const std::string& plain);

 private:
  void bump();
  db::Connection& conn_;
};

}  // namespace portal::indexing
