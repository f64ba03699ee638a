#include "portal/changes/change_log_writer.h"

namespace portal::changes {

std::uint64_t ChangeLogWriter::record(DocKind kind, const std::string& key, bool remove) {
  conn_.execute("UPDATE search_log_head SET last_seq = last_seq + 1 WHERE id = 1");
  db::Rows r = conn_.query("SELECT last_seq FROM search_log_head WHERE id = 1");
  r.next();
  const auto seq = static_cast<std::uint64_t>(r.i64("last_seq"));
  conn_.execute("INSERT INTO search_changes (seq, doc_kind, doc_key, op) VALUES (?, ?, ?, ?)", seq,
                std::string(docKindName(kind)), key, remove ? "remove" : "upsert");
  return seq;
}

}  // namespace portal::changes
