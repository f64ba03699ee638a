#pragma once

#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "search/document.h"
#include "search/index_writer.h"

namespace search::test {

// A throwaway index of list items that have only a name: (id, title) pairs, each an "item"
// document of `department` (none when empty), in a fresh directory under /tmp removed with the
// object. For tests that search real item names and nothing else.
class TitleIndex {
 public:
  TitleIndex() {
    char tmpl[] = "/tmp/search_titles_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = tmpl;
  }
  ~TitleIndex() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }
  TitleIndex(const TitleIndex&) = delete;
  TitleIndex& operator=(const TitleIndex&) = delete;

  void add(const std::vector<std::pair<std::string, std::string>>& titles, const std::string& department = "") {
    IndexWriter writer(dir());
    std::vector<Change> changes;
    for (const auto& [id, title] : titles) {
      Document d;
      d.id = id;
      d.kind = "item";
      d.title = title;
      if (!department.empty()) d.filters["department"] = {department};
      changes.push_back(Change::upsert(++seq_, d));
    }
    writer.apply(changes);
  }

  std::string dir() const { return root_ + "/index"; }

 private:
  std::string root_;
  std::uint64_t seq_ = 0;
};

}  // namespace search::test
