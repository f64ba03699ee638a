#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "search/document.h"

namespace search {

// The only writer of one index directory (Xapian's write lock enforces it across threads and
// processes: a second IndexWriter on the same directory throws SearchError, Kind::Locked).
// Owns the writable database; not thread safe — one worker thread applies the change log.
// Readers (Searcher) see a batch after it is applied, once they reopen. Each apply() is one
// commit (an fsync). A commit can overwrite the revision before the current one, so apply()
// first waits (2 s at most) for the searches of this process still reading that revision
// (never for those on the current one, nor again for one it gave up on); a reader in another
// process retries instead when the writer gets two commits ahead of it. Hand apply() batches
// (everything pending, at most every few tens of ms) rather than one change at a time under
// load.
class IndexWriter {
 public:
  // Opens the index at `dir`, creating it if absent. Throws SearchError.
  explicit IndexWriter(const std::string& dir);
  ~IndexWriter();
  IndexWriter(const IndexWriter&) = delete;
  IndexWriter& operator=(const IndexWriter&) = delete;

  // Waits first, as long as a search of this process reads the revision before the current
  // one (see above). Applies the changes in order and records the highest seq in the same
  // commit, so after a crash the index holds either the whole batch or none of it. Changes
  // with seq <= lastAppliedSeq() are skipped (replaying the log is harmless). Throws
  // std::invalid_argument (before writing anything) for an empty or over-long id or an invalid
  // filter name, and SearchError when the index cannot be written; the index is then as before
  // the call.
  // `through_seq`, when higher than every change's seq, is recorded as applied instead: the
  // log's rows after the last change carried nothing to apply (a kind this binary skips).
  void apply(const std::vector<Change>& changes, std::uint64_t through_seq = 0);

  // 0 for a new index.
  std::uint64_t lastAppliedSeq() const;
  std::uint64_t documentCount() const;
  const std::string& dir() const;

  // Returns the next document, or nullopt when there are no more.
  using DocumentSource = std::function<std::optional<Document>()>;
  // Called with the number of documents written so far, every 1000 and at the end.
  using ProgressCallback = std::function<void(std::uint64_t documents)>;

  // Writes a fresh index into `new_dir` (which must not exist yet) from `next`, compacted (its
  // blocks full; written first into `new_dir` + ".build", removed after), and records
  // `snapshot_seq` — the change-log position the documents reflect — as its last applied seq. The caller then points readers and the writer at it (e.g. by replacing a
  // symlink; Searcher notices the swap). On failure `new_dir` is left incomplete and must be
  // discarded. Returns the number of documents written. Throws SearchError and
  // std::invalid_argument as apply() does.
  static std::uint64_t rebuild(const std::string& new_dir, std::uint64_t snapshot_seq,
                               const DocumentSource& next, const ProgressCallback& progress = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace search
