// Every published list in tests/data/real-lists/tune/ (real tables, see the README there)
// imported as its department would upload it: the share of rows imported without editing,
// the names and types against items.tsv, and a second import that changes nothing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "db/pool.h"
#include "portal/publishing/catalog.h"
#include "portal/publishing/department_list_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/list_import.h"
#include "tests/support/test_database.h"

namespace {

using namespace portal::publishing;
namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// PORTAL_REAL_LISTS_HALF=blind runs the same on the files set aside (see the README there).
std::string half() {
  const char* h = std::getenv("PORTAL_REAL_LISTS_HALF");
  return h && *h ? h : "tune";
}

struct Expected {
  std::string name;
  std::string type;  // as written in the list (or from its title/section line)
};

// items.tsv lines of one file of the half: file, department, name, type, basis. A half gathered
// later keeps its lines in its own folder's items.tsv, out of the search test's corpus.
std::vector<Expected> expectedItems(const std::string& file) {
  std::vector<Expected> out;
  const fs::path own = fs::path(REAL_LISTS_DIR) / half() / "items.tsv";
  std::ifstream in(fs::exists(own) ? own : fs::path(REAL_LISTS_DIR) / "items.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(half() + "/" + file + "\t", 0) != 0) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    if (cols.size() >= 4) out.push_back(Expected{cols[2], cols[3]});
  }
  return out;
}

std::string compact(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != ' ' && c != '\n' && c != '/') out += c;
  }
  return out;
}

TEST(RealLists, TuneFilesImportAsPublished) {
  test_support::TestDatabase tdb;
  db::Pool pool(tdb.options());
  ImportOptions options;
  options.today = "2026-12-05";
  ImportService imports(pool, options);
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(REAL_LISTS_DIR) / half())) {
    if (e.path().extension() == ".csv") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  // The tune half holds 23 files; a later blind batch may hold only a few (blind4: 3).
  ASSERT_GE(files.size(), half() == "tune" ? 9u : 1u);
  int rows = 0;
  int refused = 0;
  int n = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.filename().string());
    Department d;
    d.slug = "rl" + std::to_string(++n);
    d.name = "真实清单部门" + std::to_string(n);
    d.short_name = d.name;
    std::int64_t id = 0;
    {
      auto conn = pool.acquire();
      id = DepartmentStore(*conn).insert(d);
    }
    const std::string bytes = readFile(path);
    const ImportReport preview = imports.preview(id, bytes);
    rows += preview.item_rows;
    refused += preview.rows_refused;
    std::cout << path.filename().string() << ": " << preview.item_rows << " rows, "
              << preview.rows_refused << " refused\n";
    for (const auto& e : preview.errors) std::cout << "  " << e.describe() << "\n";
    for (const auto& note : preview.notes) std::cout << "  注：" << note << "\n";

    const auto expected = expectedItems(path.filename().string());
    EXPECT_EQ(preview.item_rows, static_cast<int>(expected.size()));
    if (!preview.ok()) continue;
    ApplyRequest request;
    request.reason = "导入已公布的清单";
    ASSERT_TRUE(imports.apply(id, bytes, request).applied);
    std::vector<ListItem> items;
    {
      auto conn = pool.acquire();
      items = DepartmentListStore(*conn).currentItems(id, false);
    }
    ASSERT_EQ(items.size(), expected.size());
    std::multiset<std::string> want;
    std::multiset<std::string> got;
    for (const auto& e : expected) {
      // A list that states no type anywhere: the type the item's own name states, if any.
      const auto code = e.type.empty() ? typeFromItemName(e.name) : typeCodeFor(e.type);
      want.insert(compact(e.name) + "|" + (code ? *code : "qt"));
    }
    for (const auto& i : items) got.insert(compact(i.name) + "|" + i.type);
    std::string diff;
    for (const auto& w : want) {
      if (got.count(w) < want.count(w) && diff.find("- " + w + "\n") == std::string::npos) {
        diff += "- " + w + "\n";
      }
    }
    for (const auto& g : got) {
      if (want.count(g) < got.count(g) && diff.find("+ " + g + "\n") == std::string::npos) {
        diff += "+ " + g + "\n";
      }
    }
    EXPECT_TRUE(diff.empty()) << "items.tsv (-) against imported (+):\n" << diff;

    // The same file again: every row is matched (by code or by name), nothing changes.
    const ImportReport again = imports.preview(id, bytes);
    EXPECT_TRUE(again.ok());
    EXPECT_EQ(again.changeCount(), 0);
    EXPECT_EQ(again.unchanged, static_cast<int>(expected.size()));
  }
  const double rate = rows ? 1.0 - static_cast<double>(refused) / rows : 0;
  std::cout << half() << ": " << rows << " rows, " << refused << " refused, "
            << static_cast<int>(rate * 1000) / 10.0 << "% imported without editing\n";
  EXPECT_GE(rate, 0.98);
}

}  // namespace
