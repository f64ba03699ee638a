#include "portal/publishing/ooxml.h"

#include <new>
#include <type_traits>

namespace portal::publishing::detail::ooxml {

namespace {

struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

}  // namespace

std::string_view localName(const XML_Char* name) {
  std::string_view n(name);
  const std::size_t bar = n.rfind('|');
  return bar == std::string_view::npos ? n : n.substr(bar + 1);
}

const char* attr(const XML_Char** atts, std::string_view local) {
  for (int i = 0; atts[i]; i += 2) {
    if (localName(atts[i]) == local) return atts[i + 1];
  }
  return nullptr;
}

Archive::Archive(std::string_view bytes, const WorkbookLimits& limits, std::string_view not_readable)
    : limits_(limits), not_readable_(not_readable) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (src) {
    zip_t* z = zip_open_from_source(src, ZIP_RDONLY, &error);
    if (z) {
      zip_.reset(z);
    } else {
      zip_source_free(src);
    }
  }
  zip_error_fini(&error);
}

bool Archive::has(const std::string& name) const { return zip_name_locate(zip_.get(), name.c_str(), 0) >= 0; }

bool Archive::anyEncrypted() const {
  const zip_int64_t n = zip_get_num_entries(zip_.get(), 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    zip_stat_t st;
    if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(i), 0, &st) == 0 &&
        (st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
      return true;
    }
  }
  return false;
}

bool Archive::read(const std::string& name, const std::function<void(const char*, std::size_t)>& sink) {
  const zip_int64_t index = zip_name_locate(zip_.get(), name.c_str(), 0);
  if (index < 0) return false;
  zip_stat_t st;
  if (zip_stat_index(zip_.get(), static_cast<zip_uint64_t>(index), 0, &st) == 0 &&
      (st.valid & ZIP_STAT_SIZE) && st.size > limits_.max_unpacked_bytes) {
    throw Refusal{tooBig()};
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> f(zip_fopen_index(zip_.get(), static_cast<zip_uint64_t>(index), 0));
  if (!f) throw Refusal{not_readable_};
  std::string buf(64 * 1024, '\0');
  while (true) {
    const zip_int64_t n = zip_fread(f.get(), buf.data(), buf.size());
    if (n < 0) throw Refusal{not_readable_};
    if (n == 0) break;
    unpacked_ += static_cast<std::size_t>(n);
    if (unpacked_ > limits_.max_unpacked_bytes) throw Refusal{tooBig()};
    sink(buf.data(), static_cast<std::size_t>(n));
  }
  return true;
}

std::string Archive::tooBig() const {
  return "文件解压后超过 " + std::to_string(limits_.max_unpacked_bytes / (1024 * 1024)) +
         " MB（可能是恶意构造的压缩文件），已拒绝。正常的清单远小于这个大小。";
}

void XmlPass::run(Archive& archive, const std::string& part, bool required) {
  std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> parser(
      XML_ParserCreateNS(nullptr, '|'), &XML_ParserFree);
  if (!parser) throw std::bad_alloc();
  XML_Parser p = parser.get();
  XML_SetUserData(p, this);
  XML_SetElementHandler(
      p,
      [](void* self, const XML_Char* name, const XML_Char** atts) {
        static_cast<XmlPass*>(self)->start(localName(name), atts);
      },
      [](void* self, const XML_Char* name) { static_cast<XmlPass*>(self)->end(localName(name)); });
  XML_SetCharacterDataHandler(p, [](void* self, const XML_Char* s, int len) {
    static_cast<XmlPass*>(self)->text(std::string_view(s, static_cast<std::size_t>(len)));
  });
  XML_SetStartDoctypeDeclHandler(p, [](void* self, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    static_cast<XmlPass*>(self)->doctype_ = true;
  });
  const bool found = archive.read(part, [&](const char* data, std::size_t n) {
    if (XML_Parse(p, data, static_cast<int>(n), XML_FALSE) != XML_STATUS_OK || doctype_) fail(archive);
    if (refusal_) throw Refusal{*refusal_};
  });
  if (!found) {
    if (required) throw Refusal{archive.notReadable()};
    return;
  }
  if (XML_Parse(p, nullptr, 0, XML_TRUE) != XML_STATUS_OK || doctype_) fail(archive);
  if (refusal_) throw Refusal{*refusal_};
}

void XmlPass::fail(const Archive& archive) {
  if (refusal_) throw Refusal{*refusal_};
  if (doctype_) {
    throw Refusal{"文件中含有 XML 文档类型定义（DTD），正常的 Office 文件不会有，可能是恶意构造的文件，已拒绝。"};
  }
  throw Refusal{archive.notReadable()};
}

}  // namespace portal::publishing::detail::ooxml
