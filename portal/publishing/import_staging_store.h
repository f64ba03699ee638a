#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.h"
#include "portal/accounts/clock.h"

namespace portal::publishing {

// A list file kept between the import's preview and its confirmation (table import_staging).
struct StagedFile {
  std::string id;  // accounts::tokenDigest(token), never the token
  std::int64_t department_id = 0;
  std::int64_t account_id = 0;
  std::string content;  // the bytes as uploaded
  accounts::TimePoint created_at;
  accounts::TimePoint expires_at;
};

// SQL for staged import files. Works on the caller's connection and transaction; throws
// db::DbError on infrastructure failure.
class ImportStagingStore {
 public:
  explicit ImportStagingStore(db::Connection& conn) : conn_(conn) {}

  void insert(const StagedFile& f);
  // The content of the file staged under `id` for this department by this account, unless it
  // has expired by `now`. nullopt for any other file, department or account: a token of
  // another department opens nothing.
  std::optional<std::string> find(std::string_view id, std::int64_t department_id,
                                  std::int64_t account_id, accounts::TimePoint now);
  // Returns 1 when the file was there (and is gone), 0 when another request took it first.
  std::uint64_t remove(std::string_view id);
  // Every file this account staged for this department (a new upload replaces the last one,
  // so abandoned previews do not pile up). Returns how many went.
  std::uint64_t removeOf(std::int64_t department_id, std::int64_t account_id);
  // Files whose expiry is at or before `now`. Returns how many went.
  std::uint64_t removeExpired(accounts::TimePoint now);

 private:
  db::Connection& conn_;
};

}  // namespace portal::publishing
