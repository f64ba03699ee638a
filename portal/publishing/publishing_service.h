#pragma once

#include <string>
#include <variant>
#include <vector>

#include "db/pool.h"
#include "portal/publishing/catalog.h"

namespace portal::publishing {

struct Published {
  std::string code;
  int version = 0;
};

// Problems a person can fix, in Chinese; nothing was written.
struct Refused {
  int status = 422;  // 404 unknown item, 409 stale or duplicate, 422 invalid
  std::vector<std::string> errors;
};

using PublishResult = std::variant<Published, Refused>;

// The write side of the lists: every change is a new version with its change kind and reason,
// written in one transaction together with its search change-log row, so the index follows
// every published change and nothing is half-applied. Thread safe.
class PublishingService {
 public:
  explicit PublishingService(db::Pool& pool) : pool_(pool) {}

  // Publishes a new item (version 1, change kind 新增).
  PublishResult create(ListItem item);
  // Publishes a new version of an existing item. `expected_version` is the version the
  // editor started from: if someone published since, the change is refused as stale (409).
  PublishResult publishChange(const std::string& code, ListItem item, int expected_version);

 private:
  db::Pool& pool_;
};

}  // namespace portal::publishing
