#include "hotline/evidence.h"

#include <sodium.h>
#include <vips/vips.h>

#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "base/utf8.h"
#include "hotline/hotline_error.h"
#include "hotline/text.h"

namespace hotline {

namespace {

void initVips() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (VIPS_INIT("portal") != 0) throw HotlineError("libvips cannot initialise");
    // Only the loaders we pick by magic bytes run; ImageMagick, PDF and the other loaders
    // libvips marks untrusted are refused even if something asked for them.
    vips_block_untrusted_set(TRUE);
    // No operation cache (it would keep decoded uploads alive) and one helper thread per
    // decode: the portal's workers are the parallelism.
    vips_cache_set_max(0);
    vips_cache_set_max_mem(0);
    vips_concurrency_set(1);
  });
}

struct ImageDeleter {
  void operator()(VipsImage* image) const {
    if (image) g_object_unref(image);
  }
};
using ImagePtr = std::unique_ptr<VipsImage, ImageDeleter>;

bool startsWith(std::string_view bytes, std::string_view prefix) {
  return bytes.size() >= prefix.size() && bytes.substr(0, prefix.size()) == prefix;
}

// What the bytes are when they are none of ours, for a message a person understands.
std::string describeOther(std::string_view b) {
  if (startsWith(b, std::string_view("PK\x03\x04", 4)) || startsWith(b, "PK\x05\x06")) {
    return "ZIP压缩包";
  }
  if (startsWith(b, "GIF8")) return "GIF图片";
  if (startsWith(b, "RIFF") && b.size() >= 12 && b.substr(8, 4) == "WEBP") return "WebP图片";
  if (startsWith(b, "RIFF")) return "音视频文件";
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") return "视频文件";
  if (startsWith(b, "Rar!")) return "RAR压缩包";
  if (startsWith(b, "7z\xBC\xAF")) return "7z压缩包";
  if (startsWith(b, "\xD0\xCF\x11\xE0")) return "Office文档";
  if (startsWith(b, "MZ") || startsWith(b, "\x7F" "ELF")) return "可执行程序";
  if (startsWith(b, "<") || startsWith(b, "\xEF\xBB\xBF<")) return "网页或XML文件";
  return "";
}

std::string hexDigest(std::string_view bytes) {
  if (sodium_init() < 0) throw HotlineError("libsodium cannot initialise");
  unsigned char out[16];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes.data()),
                     bytes.size(), nullptr, 0);
  char hex[33];
  sodium_bin2hex(hex, sizeof hex, out, sizeof out);
  return std::string(hex, 32);
}

std::string megabytes(std::size_t bytes) {
  const std::size_t tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10) + "MB";
}

// The name for messages: short enough to read, never the 300 characters someone sent.
std::string shownName(const std::string& name) {
  if (!isValidUtf8(name)) return "（文件名无法识别）";
  if (utf8Length(name) <= 40) return name;
  return std::string(base::utf8Prefix(name, 30)) + "…";
}

// A file name is a label, never a path: a name with a directory part or ".." is refused (a
// browser sends the bare name, so only a crafted request has one).
std::string checkName(const std::string& raw, std::size_t n) {
  const std::string label = "第" + std::to_string(n) + "个文件";
  if (!isValidUtf8(raw) || hasControlCharacters(raw)) {
    return label + "的文件名含有无法识别的字符，请重命名后重新选择。";
  }
  const std::string name = base::trim(raw);
  if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos ||
      name.find("..") != std::string::npos) {
    return label + "“" + shownName(name) +
           "”的文件名含有路径字符（如“../”“/”“\\”），请重命名后重新选择。";
  }
  const std::size_t length = utf8Length(name);
  if (length > kMaxEvidenceNameChars) {
    return label + "的文件名过长（" + std::to_string(length) + "个字符，不能超过" +
           std::to_string(kMaxEvidenceNameChars) + "个），请重命名后重新选择。";
  }
  return "";
}

// %PDF-1.x / %PDF-2.x at the start, startxref pointing inside the file at a cross-reference
// table or stream, %%EOF at the end; no script, launch action or embedded file in the
// uncompressed text (compressed object streams are not opened).
std::string checkPdf(std::string_view b) {
  if (b.size() < 64 || !(startsWith(b, "%PDF-1.") || startsWith(b, "%PDF-2."))) {
    return "不是完整的PDF文档";
  }
  const std::string_view tail = b.substr(b.size() - std::min<std::size_t>(b.size(), 1024));
  const std::size_t eof = tail.rfind("%%EOF");
  const std::size_t sx = tail.rfind("startxref");
  if (eof == std::string_view::npos || sx == std::string_view::npos || sx > eof) {
    return "PDF文档结构不完整（可能已损坏或未下载完整）";
  }
  std::size_t p = sx + 9;
  while (p < tail.size() && (tail[p] == '\r' || tail[p] == '\n' || tail[p] == ' ')) ++p;
  std::size_t offset = 0;
  std::size_t digits = 0;
  while (p < tail.size() && tail[p] >= '0' && tail[p] <= '9' && digits < 12) {
    offset = offset * 10 + static_cast<std::size_t>(tail[p] - '0');
    ++p;
    ++digits;
  }
  if (digits == 0 || offset >= b.size()) return "PDF文档结构不完整（可能已损坏或未下载完整）";
  const std::string_view at = b.substr(offset, 64);
  const bool table = startsWith(at, "xref");
  const bool stream = at.find(" obj") != std::string_view::npos;
  if (!table && !stream) return "PDF文档结构不完整（可能已损坏或未下载完整）";
  for (std::string_view bad : {"/JavaScript", "/JS", "/Launch", "/EmbeddedFile"}) {
    std::size_t pos = 0;
    while ((pos = b.find(bad, pos)) != std::string_view::npos) {
      const std::size_t end = pos + bad.size();
      // "/JS" must be the whole name, not the start of "/JSomething".
      const bool whole = end >= b.size() || !std::isalnum(static_cast<unsigned char>(b[end]));
      if (whole) return "PDF文档含有脚本、启动命令或内嵌文件";
      pos = end;
    }
  }
  return "";
}

void vipsMessage() { vips_error_clear(); }

// Reads the header only (no pixels) with the loader for `type`.
ImagePtr loadHeader(std::string_view b, EvidenceType type) {
  VipsImage* out = nullptr;
  void* buf = const_cast<char*>(b.data());
  int rc = -1;
  switch (type) {
    case EvidenceType::Jpeg:
      rc = vips_jpegload_buffer(buf, b.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case EvidenceType::Png:
      rc = vips_pngload_buffer(buf, b.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case EvidenceType::Heic:
      rc = vips_heifload_buffer(buf, b.size(), &out, "access", VIPS_ACCESS_SEQUENTIAL, nullptr);
      break;
    case EvidenceType::Pdf:
      break;
  }
  if (rc != 0) {
    vipsMessage();
    if (out) g_object_unref(out);
    return nullptr;
  }
  return ImagePtr(out);
}

// Decodes, orients, scales down to kMaxEvidenceEdge and re-encodes without any metadata.
// "" on success, else the reason for the person.
std::string reencode(std::string_view b, EvidenceType type, EvidenceFile* file) {
  ImagePtr header = loadHeader(b, type);
  if (!header) return "已损坏或不是完整的图片";
  const std::int64_t w = vips_image_get_width(header.get());
  const std::int64_t h = vips_image_get_height(header.get());
  if (w <= 0 || h <= 0 || w * h > kMaxEvidencePixels || w > 100000 || h > 100000) {
    return "图片尺寸异常（" + std::to_string(w) + "×" + std::to_string(h) +
           "像素，不能超过" + std::to_string(kMaxEvidencePixels / 1000000) + "00万像素）";
  }
  header.reset();

  VipsImage* thumb = nullptr;
  // The loader stops at the first decoding error instead of filling in grey.
  if (vips_thumbnail_buffer(const_cast<char*>(b.data()), b.size(), &thumb, kMaxEvidenceEdge,
                            "height", kMaxEvidenceEdge, "size", VIPS_SIZE_DOWN, "option_string",
                            "fail_on=error", nullptr) != 0) {
    vipsMessage();
    if (thumb) g_object_unref(thumb);
    return "已损坏或不是完整的图片";
  }
  ImagePtr image(thumb);
  void* out = nullptr;
  std::size_t len = 0;
  int rc;
  if (type == EvidenceType::Png) {
    rc = vips_pngsave_buffer(image.get(), &out, &len, "strip", TRUE, "compression", 6, nullptr);
    file->media_type = "image/png";
  } else {
    rc = vips_jpegsave_buffer(image.get(), &out, &len, "strip", TRUE, "Q", 88, nullptr);
    file->media_type = "image/jpeg";
  }
  if (rc != 0) {
    vipsMessage();
    if (out) g_free(out);
    return "已损坏或不是完整的图片";
  }
  file->content.assign(static_cast<const char*>(out), len);
  g_free(out);
  file->width = vips_image_get_width(image.get());
  file->height = vips_image_get_height(image.get());
  if (file->content.size() > kMaxStoredEvidenceBytes) {
    return "处理后仍超过" + megabytes(kMaxStoredEvidenceBytes) + "，请缩小后重新选择";
  }
  return "";
}

}  // namespace

std::string_view evidenceTypeCode(EvidenceType type) {
  switch (type) {
    case EvidenceType::Jpeg:
      return "jpeg";
    case EvidenceType::Png:
      return "png";
    case EvidenceType::Heic:
      return "heic";
    case EvidenceType::Pdf:
      return "pdf";
  }
  return "pdf";
}

bool sniffEvidenceType(std::string_view b, EvidenceType* type) {
  if (startsWith(b, "\xFF\xD8\xFF")) {
    *type = EvidenceType::Jpeg;
    return true;
  }
  if (startsWith(b, "\x89PNG\r\n\x1A\n")) {
    *type = EvidenceType::Png;
    return true;
  }
  if (startsWith(b, "%PDF-")) {
    *type = EvidenceType::Pdf;
    return true;
  }
  // ISO BMFF: size, "ftyp", major brand. HEIC from phones: heic/heix (iPhone), mif1/msf1
  // (many Android phones), hevc/hevx.
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    const std::string_view brand = b.substr(8, 4);
    for (std::string_view ok : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"}) {
      if (brand == ok) {
        *type = EvidenceType::Heic;
        return true;
      }
    }
  }
  return false;
}

std::string evidenceLimitsText() {
  return "最多" + std::to_string(kMaxEvidenceFiles) + "个文件，每个不超过" +
         std::to_string(kMaxEvidenceFileBytes / (1024 * 1024)) +
         "MB；可以是照片（JPG、PNG、HEIC）或PDF文档";
}

std::vector<EvidenceFile> prepareEvidence(const std::vector<EvidenceUpload>& uploads,
                                          std::vector<FieldError>& errors) {
  std::vector<const EvidenceUpload*> used;
  for (const EvidenceUpload& u : uploads) {
    if (u.file_name.empty() && u.content.empty()) continue;  // an input left empty
    used.push_back(&u);
  }
  std::vector<EvidenceFile> out;
  if (used.empty()) return out;
  if (used.size() > kMaxEvidenceFiles) {
    errors.push_back({"evidence", "最多只能上传" + std::to_string(kMaxEvidenceFiles) +
                                      "个文件（您选择了" + std::to_string(used.size()) +
                                      "个），请减少后重新选择。"});
    return out;
  }
  initVips();
  std::size_t n = 0;
  for (const EvidenceUpload* u : used) {
    ++n;
    const std::string label = "第" + std::to_string(n) + "个文件";
    if (std::string problem = checkName(u->file_name, n); !problem.empty()) {
      errors.push_back({"evidence", problem});
      continue;
    }
    const std::string name = base::trim(u->file_name);
    const std::string named = label + "“" + shownName(name) + "”";
    if (u->content.empty()) {
      errors.push_back({"evidence", named + "是空文件，请重新选择。"});
      continue;
    }
    if (u->content.size() > kMaxEvidenceFileBytes) {
      errors.push_back({"evidence", named + "大小为" + megabytes(u->content.size()) +
                                        "，超过每个文件" +
                                        std::to_string(kMaxEvidenceFileBytes / (1024 * 1024)) +
                                        "MB的上限，请压缩或换一个文件。"});
      continue;
    }
    EvidenceType type;
    if (!sniffEvidenceType(u->content, &type)) {
      const std::string what = describeOther(u->content);
      errors.push_back({"evidence", named + "不是可接受的文件" +
                                        (what.empty() ? "" : "（实际内容是" + what + "）") +
                                        "。只接受照片（JPG、PNG、HEIC）和PDF文档。"});
      continue;
    }
    EvidenceFile f;
    f.ordinal = static_cast<int>(n);
    f.original_name = name.empty() ? "未命名" : name;
    f.original_type = type;
    f.digest = hexDigest(u->content);
    if (type == EvidenceType::Pdf) {
      if (std::string problem = checkPdf(u->content); !problem.empty()) {
        errors.push_back({"evidence", named + problem + "，无法接收。"});
        continue;
      }
      f.media_type = "application/pdf";
      f.content = u->content;
    } else if (std::string problem = reencode(u->content, type, &f); !problem.empty()) {
      errors.push_back({"evidence", named + problem + "，请换一个文件。"});
      continue;
    }
    out.push_back(std::move(f));
  }
  if (!errors.empty()) out.clear();
  return out;
}

}  // namespace hotline
