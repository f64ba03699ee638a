#include "search/detail/stored_document.h"

#include <cstdint>

#include "search/detail/schema.h"
#include "search/search_error.h"

namespace search::detail {

namespace {

// Version byte, then length-prefixed strings (LEB128 lengths).
constexpr char kFormatVersion = '\x01';

void putNumber(std::string& out, std::uint64_t n) {
  do {
    unsigned char b = n & 0x7F;
    n >>= 7;
    if (n != 0) b |= 0x80;
    out += static_cast<char>(b);
  } while (n != 0);
}

void putString(std::string& out, std::string_view s) {
  putNumber(out, s.size());
  out.append(s.data(), s.size());
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  std::uint64_t number() {
    std::uint64_t n = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= data_.size()) fail();
      const auto b = static_cast<unsigned char>(data_[pos_++]);
      n |= static_cast<std::uint64_t>(b & 0x7F) << shift;
      if ((b & 0x80) == 0) return n;
    }
    fail();
  }
  std::string string() {
    const std::uint64_t n = number();
    if (n > data_.size() - pos_) fail();
    std::string s(data_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  char byte() {
    if (pos_ >= data_.size()) fail();
    return data_[pos_++];
  }
  bool atEnd() const { return pos_ == data_.size(); }
  [[noreturn]] static void fail() {
    throw SearchError(SearchError::Kind::Corrupt, "search: malformed stored document data");
  }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string serialize(const Document& doc) {
  std::string out(1, kFormatVersion);
  putString(out, doc.id);
  putString(out, doc.kind);
  putString(out, doc.title);
  putString(out, doc.url);
  putString(out, isValidDate(doc.date) ? doc.date : std::string());
  putNumber(out, doc.fields.size());
  for (const auto& f : doc.fields) {
    putString(out, f.name);
    putString(out, f.text);
  }
  return out;
}

StoredDocument deserialize(std::string_view data) {
  Reader r(data);
  if (r.byte() != kFormatVersion) Reader::fail();
  StoredDocument d;
  d.id = r.string();
  d.kind = r.string();
  d.title = r.string();
  d.url = r.string();
  d.date = r.string();
  const std::uint64_t n = r.number();
  for (std::uint64_t i = 0; i < n; ++i) {
    std::string name = r.string();
    std::string text = r.string();
    d.fields.emplace_back(std::move(name), std::move(text));
  }
  if (!r.atEnd()) Reader::fail();
  return d;
}

}  // namespace search::detail
