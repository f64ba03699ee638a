#include "db/sql_script.h"

#include <gtest/gtest.h>

#include "db/migrator.h"

namespace {

TEST(SplitSqlScript, SplitsAtSemicolonsOutsideQuotesAndComments) {
  const auto parts = db::splitSqlScript(
      "-- a comment; not a statement\n"
      "CREATE TABLE a (x TEXT DEFAULT 'a;b');\n"
      "/* block; comment */ INSERT INTO a VALUES (\"c;d\");\n"
      "INSERT INTO a VALUES ('it''s; fine');\n"
      "   \n");
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[0], "CREATE TABLE a (x TEXT DEFAULT 'a;b')");
  EXPECT_EQ(parts[1], "INSERT INTO a VALUES (\"c;d\")");
  EXPECT_EQ(parts[2], "INSERT INTO a VALUES ('it''s; fine')");
}

TEST(SplitSqlScript, KeepsLastStatementWithoutSemicolon) {
  const auto parts = db::splitSqlScript("SELECT 1;\nSELECT 2");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "SELECT 2");
}

TEST(SplitSqlScript, BackslashEscapedQuoteStaysInsideString) {
  const auto parts = db::splitSqlScript("INSERT INTO a VALUES ('x\\';y');SELECT 1;");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0], "INSERT INTO a VALUES ('x\\';y')");
}

TEST(Migrations, EveryShippedMigrationIsNumberedAndOrdered) {
  const auto& all = db::knownMigrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.front().version, 1);
  for (std::size_t i = 0; i < all.size(); ++i) {
    // Strictly increasing; numbers reserved for work on other branches may leave gaps.
    if (i > 0) {
      EXPECT_GT(all[i].version, all[i - 1].version) << all[i].name;
    }
    EXPECT_FALSE(db::splitSqlScript(all[i].sql).empty()) << all[i].name;
  }
}

}  // namespace
