#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "search/document.h"

// The part of a Document kept in the index's document data, for hits and snippets.
// Internal to the search module.

namespace search::detail {

struct StoredDocument {
  std::string id;
  std::string kind;
  std::string title;
  std::string url;
  std::string date;
  std::vector<std::pair<std::string, std::string>> fields;  // name, original text
};

std::string serialize(const Document& doc);
// Throws SearchError (Kind::Corrupt) on malformed data.
StoredDocument deserialize(std::string_view data);

}  // namespace search::detail
