#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace search {

// One block of searchable text. `weight` is the within-document frequency increment per
// occurrence (1 = body text; 0 = its words find the document but add nothing to its weight
// or length). The document title is always indexed with kTitleWeight, so a field should stay
// below that.
struct Field {
  std::string name;  // shown back as Hit::matched_field, e.g. "basis", "description"
  std::string text;
  unsigned weight = 1;
};

inline constexpr unsigned kTitleWeight = 5;

// What the index knows about one public record. Plain value type.
struct Document {
  std::string id;     // unique across the index, e.g. "item:CF-ZHZF-0001"; at most 200 bytes
  std::string kind;   // item, department, disclosure, officer; also filterable as "kind"
  std::string title;  // weighted highest; returned with every hit
  std::string url;    // returned with every hit, not indexed
  std::vector<Field> fields;
  // Boolean filters: name ([a-z][a-z0-9_]*) -> values, matched whole (Chinese values are
  // fine, they are never n-grammed). Values longer than 200 bytes are not indexed.
  // The names kind, department, type, status, level and year also feed facet counts; a
  // facet counts only the first value of a document. "year" defaults to the year of `date`.
  std::map<std::string, std::vector<std::string>> filters;
  // Whole identifiers found by exact lookup (item code, certificate or case number); matched
  // after width and case folding, whitespace ignored: "ＣＦ-zhzf-0001" finds "CF-ZHZF-0001".
  std::vector<std::string> exact_terms;
  std::string date;  // YYYY-MM-DD for date sort and ranges; empty or malformed = no date
};

// One entry of the change log, applied in `seq` order.
struct Change {
  enum class Op { Upsert, Remove };

  std::uint64_t seq = 0;
  Op op = Op::Upsert;
  Document doc;  // Upsert: the whole document, replacing any with the same id. Remove: only id.

  static Change upsert(std::uint64_t seq, Document doc) {
    return Change{seq, Op::Upsert, std::move(doc)};
  }
  static Change remove(std::uint64_t seq, std::string id) {
    Change c{seq, Op::Remove, {}};
    c.doc.id = std::move(id);
    return c;
  }
};

}  // namespace search
