#include "portal/indexing/index_location.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace {

namespace fs = std::filesystem;
using portal::indexing::currentIndexDir;
using portal::indexing::newIndexDir;
using portal::indexing::swapIndex;

// A swap that has replaced the link has happened: tidying the builds beside it must not turn it
// into a reported failure. A dangling link among them (or an entry another rebuild removes at
// that instant, which fs::canonical cannot resolve either) is tidied away, and the new build and
// the previous one stay.
TEST(IndexLocation, ASwapIsNotFailedByABuildEntryThatCannotBeResolved) {
  const fs::path root = fs::temp_directory_path() / ("index-location-" + std::to_string(getpid()));
  fs::remove_all(root);
  const std::string link = (root / "index").string();
  const std::string first = newIndexDir(link);
  fs::create_directories(first);
  swapIndex(link, first);
  const std::string second = newIndexDir(link);
  fs::create_directories(second);
  fs::create_directory_symlink(root / "index.d" / "gone", root / "index.d" / "7-1.build");
  fs::create_directories(root / "index.d" / "0-1");  // an older build

  ASSERT_NO_THROW(swapIndex(link, second));
  EXPECT_EQ(currentIndexDir(link), fs::canonical(second).string());
  EXPECT_TRUE(fs::exists(first));  // the previous build stays
  EXPECT_FALSE(fs::exists(fs::symlink_status(root / "index.d" / "7-1.build")));
  EXPECT_FALSE(fs::exists(root / "index.d" / "0-1"));
  fs::remove_all(root);
}

}  // namespace
