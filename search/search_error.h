#pragma once

#include <stdexcept>
#include <string>

namespace search {

// Infrastructure failure of the search index: the directory is missing or locked, a file is
// corrupt, the disk is full, a shipped configuration file cannot be read. Never shown to the
// public; the message names the index directory for the log. Bad user input is never a
// SearchError (see SearchResult::problem).
class SearchError : public std::runtime_error {
 public:
  enum class Kind {
    Locked,    // another IndexWriter (in this or another process) holds the write lock
    NotFound,  // no index at the given directory
    Corrupt,   // index files or stored document data are damaged: rebuild
    Config,    // a synonym table cannot be read or parsed
    Internal,  // anything else (I/O, Xapian internal error)
  };

  SearchError(Kind kind, const std::string& what) : std::runtime_error(what), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

}  // namespace search
