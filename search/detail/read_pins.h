#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

// Which revision of which index each search of this process is reading, so that the writer of
// this process never overwrites a revision while a search still reads it. Internal to the
// search module.
//
// Xapian keeps a revision readable until the writer has committed twice more (the second
// commit reuses blocks the first one freed); a search that spans those two commits fails with
// DatabaseModifiedError and has to start again. Under load a search of many passes takes a
// second or more and edits are committed every half second, so the same search failed again
// and again (bench/search.sh while editing: five attempts, 8.6 s for one request). With the
// pins, IndexWriter::apply() waits before writing until no search reads a revision its commit
// may overwrite; a search never waits for the writer. Readers in other processes are not
// covered: they still retry (Searcher::search).

namespace search::detail {

class ReadPins {
 public:
  // The one registry of the process.
  static ReadPins& instance();

  // Held by a search for as long as it reads the database. Until set() names the revision it
  // holds back every writer (the revision reopen() is about to choose is not known yet).
  // Not copyable; one thread.
  class Pin {
   public:
    explicit Pin(ReadPins& pins);
    ~Pin();
    Pin(const Pin&) = delete;
    Pin& operator=(const Pin&) = delete;
    // The index (its Xapian UUID) and revision now being read.
    void set(const std::string& uuid, std::uint64_t revision);

   private:
    ReadPins& pins_;
    std::uint64_t id_;
  };

  // Blocks until no search reads the revision of the index `uuid` just below `revision`, and
  // none is still opening one, or for kMaxWait at most. The writer calls it with its own
  // revision before writing the next: a reader of that revision survives the next commit, one
  // of the revision before would not. The bound keeps a search that never ends (a bug, a
  // stopped thread) from holding back every edit: past it the writer commits, and such a
  // search retries as before. Its revision is then two commits back, lost already, and later
  // commits do not wait for it again (a stuck search held back every edit by the bound).
  void waitUntilNoneBelow(const std::string& uuid, std::uint64_t revision);
  static constexpr std::chrono::milliseconds kMaxWait{2000};

  // For tests: how many writers wait in waitUntilNoneBelow() now, and a function run on the
  // searching thread right after each Pin::set() (empty: none).
  int writersWaiting() const;
  void setPinnedHookForTesting(std::function<void()> hook);
  void setMaxWaitForTesting(std::chrono::milliseconds max_wait);

 private:
  struct Entry {
    bool opening = true;
    std::string uuid;
    std::uint64_t revision = 0;
  };
  mutable std::mutex mu_;
  std::condition_variable released_;
  std::map<std::uint64_t, Entry> pins_;
  std::uint64_t next_id_ = 1;
  int writers_waiting_ = 0;
  std::chrono::milliseconds max_wait_ = kMaxWait;
  std::shared_ptr<const std::function<void()>> hook_;
};

}  // namespace search::detail
