#pragma once

// What the .xlsx and .docx readers share: an Office Open XML package (a zip read with libzip)
// whose parts are inflated in chunks and fed to expat, never held whole, the inflated total
// capped, a DTD refused. Internal to the readers.
#include <expat.h>
#include <zip.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "portal/publishing/workbook.h"

namespace portal::publishing::detail::ooxml {

// An element's or attribute's name without its namespace ("w:tc" and "x:c" are "tc", "c").
std::string_view localName(const XML_Char* name);
// The value of the attribute named `local` (any namespace), or nullptr.
const char* attr(const XML_Char** atts, std::string_view local);

// Reading failed for a reason to tell the person; unwinds the parse.
struct Refusal {
  std::string message;
};

class Archive {
 public:
  // `not_readable`: what the person is told when the package or a part cannot be read.
  Archive(std::string_view bytes, const WorkbookLimits& limits, std::string_view not_readable);
  bool ok() const { return zip_ != nullptr; }
  bool has(const std::string& name) const;
  bool anyEncrypted() const;
  const std::string& notReadable() const { return not_readable_; }
  // Streams the part into `sink` in chunks; false when the part is missing. Throws Refusal.
  bool read(const std::string& name, const std::function<void(const char*, std::size_t)>& sink);

 private:
  struct ZipCloser {
    void operator()(zip_t* z) const { zip_discard(z); }
  };
  std::string tooBig() const;
  std::unique_ptr<zip_t, ZipCloser> zip_;
  const WorkbookLimits& limits_;
  std::string not_readable_;
  std::size_t unpacked_ = 0;
};

// A SAX pass over one part. Subclasses get elements and text; a DTD is refused (no entity
// can expand).
class XmlPass {
 public:
  virtual ~XmlPass() = default;
  // Throws Refusal: the part is missing when `required`, is not XML, or a handler refused.
  void run(Archive& archive, const std::string& part, bool required);

 protected:
  virtual void start(std::string_view name, const XML_Char** atts) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}
  // A handler's refusal; raised after the current chunk (never thrown through expat).
  void refuse(std::string message) {
    if (!refusal_) refusal_ = std::move(message);
  }
  bool refused() const { return refusal_.has_value(); }

 private:
  [[noreturn]] void fail(const Archive& archive);
  bool doctype_ = false;
  std::optional<std::string> refusal_;
};

}  // namespace portal::publishing::detail::ooxml
