#include "portal/indexing/index_location.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <vector>

#include "search/index_writer.h"

namespace portal::indexing {

namespace fs = std::filesystem;

std::string currentIndexDir(const std::string& path) {
  std::error_code ec;
  const auto target = fs::canonical(path, ec);
  return ec ? "" : target.string();
}

std::string newIndexDir(const std::string& path) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
  return fs::absolute(path).string() + ".d/" + std::to_string(ms) + "-" + std::to_string(getpid());
}

void ensureIndex(const std::string& path) {
  if (fs::exists(path)) return;
  const std::string dir = newIndexDir(path);
  fs::create_directories(fs::path(dir).parent_path());
  { search::IndexWriter create(dir); }
  swapIndex(path, dir);
}

void swapIndex(const std::string& path, const std::string& dir) {
  const fs::path link = fs::absolute(path);
  const std::string previous = currentIndexDir(path);
  const fs::path tmp = link.string() + ".swap-" + std::to_string(getpid());
  fs::remove(tmp);
  fs::create_symlink(dir, tmp);
  fs::rename(tmp, link);  // atomic replacement of the old symlink
  // Keep the new and the previous build (a node may still be finishing with it).
  std::vector<fs::path> builds;
  for (const auto& e : fs::directory_iterator(fs::path(dir).parent_path())) {
    const std::string p = fs::canonical(e.path()).string();
    if (p != dir && p != previous) builds.push_back(e.path());
  }
  for (const auto& b : builds) {
    std::error_code ec;
    fs::remove_all(b, ec);
  }
}

}  // namespace portal::indexing
