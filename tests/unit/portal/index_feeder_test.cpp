#include "portal/indexing/index_feeder.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "db/pool.h"
#include "portal/changes/change_log_writer.h"
#include "portal/demo/demo_data.h"
#include "portal/indexing/change_log_store.h"
#include "portal/indexing/index_location.h"
#include "tests/support/test_database.h"

namespace {

namespace fs = std::filesystem;
using portal::changes::DocKind;

class IndexFeederDb : public ::testing::Test {
 protected:
  IndexFeederDb() : pool_(tdb_.options()) {
    portal::demo::loadDemoData(pool_);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    portal::indexing::ensureIndex(index_);
  }
  ~IndexFeederDb() override { fs::remove_all(dir_); }

  // A row as a newer node (or a hand-written statement) could leave: a kind this binary lacks.
  std::uint64_t logUnknownKind() {
    auto conn = pool_.acquire();
    conn->execute("UPDATE search_log_head SET last_seq = last_seq + 1 WHERE id = 1");
    const auto seq = portal::indexing::ChangeLogStore(*conn).lastSeq();
    conn->execute("INSERT INTO search_changes (seq, doc_kind, doc_key, op) VALUES (?, ?, ?, ?)",
                  seq, std::string("announcement"), std::string("2026/1"), std::string("upsert"));
    return seq;
  }

  std::uint64_t logDepartment(const std::string& slug) {
    auto conn = pool_.acquire();
    return portal::changes::ChangeLogWriter(*conn).record(DocKind::Department, slug, false);
  }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  const fs::path dir_ = fs::temp_directory_path() / ("feeder_test_" + std::to_string(::getpid()));
  const std::string index_ = (dir_ / "index").string();
};

TEST_F(IndexFeederDb, TheStoreParsesKindsAndLeavesOutUnknownOnes) {
  const auto before = [&] {
    auto conn = pool_.acquire();
    return portal::indexing::ChangeLogStore(*conn).lastSeq();
  }();
  const auto unknown = logUnknownKind();
  const auto known = logDepartment("zhzf");
  auto conn = pool_.acquire();
  const auto read = portal::indexing::ChangeLogStore(*conn).after(before, 10);
  EXPECT_EQ(read.rows, 2u);
  EXPECT_EQ(read.last_seq, known);
  ASSERT_EQ(read.changes.size(), 1u);
  EXPECT_EQ(read.changes[0].seq, known);
  EXPECT_EQ(read.changes[0].doc_kind, DocKind::Department);
  EXPECT_EQ(read.changes[0].doc_key, "zhzf");
  EXPECT_LT(unknown, known);
}

// An unknown kind in the log is logged and skipped: the feeder applies what follows, moves
// past it (also when it is the newest row), and keeps running.
TEST_F(IndexFeederDb, AnUnknownKindIsSkippedNotFatal) {
  {
    portal::indexing::IndexFeeder feeder(pool_, index_);
    EXPECT_GT(feeder.catchUp(), 0u) << "the demo data's changes";
    logUnknownKind();
    const auto known = logDepartment("zhzf");
    EXPECT_EQ(feeder.catchUp(), 1u);
    EXPECT_EQ(feeder.appliedSeq(), known);

    const auto last = logUnknownKind();
    EXPECT_EQ(feeder.catchUp(), 0u);
    EXPECT_EQ(feeder.appliedSeq(), last) << "the newest row, though skipped, is not read again";
  }
  // A fresh feeder over the same index (a restart) resumes after it.
  portal::indexing::IndexFeeder restarted(pool_, index_);
  const auto next = logDepartment("scjg");
  EXPECT_EQ(restarted.catchUp(), 1u);
  EXPECT_EQ(restarted.appliedSeq(), next);
}

}  // namespace
