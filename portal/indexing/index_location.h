#pragma once

#include <string>

namespace portal::indexing {

// The index lives at a path (configuration `search.index_dir`) that is a symlink to one
// build directory under "<path>.d/". A rebuild writes a new directory there and swaps the
// symlink atomically (rename), so readers and the writer move over without a restart.

// Creates an empty index and the symlink when `path` does not exist yet. Throws
// std::runtime_error / search::SearchError.
void ensureIndex(const std::string& path);
// The directory `path` currently names (symlinks resolved); "" if it does not exist.
std::string currentIndexDir(const std::string& path);
// A fresh, not yet existing directory beside the current one for a rebuild.
std::string newIndexDir(const std::string& path);
// Points `path` at `dir` atomically; removes build directories older than the previous one.
void swapIndex(const std::string& path, const std::string& dir);

}  // namespace portal::indexing
