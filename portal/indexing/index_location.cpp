#include "portal/indexing/index_location.h"

#include <unistd.h>

#include <algorithm>
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

// Builds are numbered one past the highest number under "<path>.d/" (so they sort in the order
// they were made, without reading the time of day), with the process id against two processes
// rebuilding at once.
std::string newIndexDir(const std::string& path) {
  const fs::path builds = fs::absolute(path).string() + ".d";
  unsigned long long highest = 0;
  std::error_code ec;
  for (fs::directory_iterator it(builds, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::size_t digits = name.find_first_not_of("0123456789");
    if (digits == 0 || digits > 18) continue;
    highest = std::max(highest, std::stoull(name.substr(0, digits)));
  }
  return (builds / (std::to_string(highest + 1) + "-" + std::to_string(getpid()))).string();
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
  // Keep the new and the previous build (a node may still be finishing with it). The swap is
  // done: tidying must not fail it, so an entry that vanishes meanwhile (another rebuild's
  // .build removed) or cannot be resolved (a dangling link) is skipped or removed, never thrown.
  std::vector<fs::path> builds;
  std::error_code ec;
  for (fs::directory_iterator it(fs::path(dir).parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code resolve;
    const std::string p = fs::canonical(it->path(), resolve).string();
    if (resolve || (p != dir && p != previous)) builds.push_back(it->path());
  }
  for (const auto& b : builds) {
    std::error_code ec;
    fs::remove_all(b, ec);
  }
}

}  // namespace portal::indexing
