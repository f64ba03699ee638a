// Merged cells, hidden rows and hidden sheets of an .xls, from its BIFF8 records (Microsoft's
// [MS-XLS]: BOF 0x0809, EOF 0x000A, BOUNDSHEET 0x0085, MERGEDCELLS 0x00E5, ROW 0x0208, COLINFO
// 0x007D). The
// compound file is opened with libgsf, which is what Gnumeric reads .xls with; only the record
// framing is read here, every length checked against the stream.
#include "portal/publishing/xls_layout.h"

#include "base/utf8.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>

#include <algorithm>
#include <cstddef>
#include <mutex>

namespace portal::publishing::detail {

namespace {

constexpr std::uint16_t kBof = 0x0809;
constexpr std::uint16_t kEof = 0x000A;
constexpr std::uint16_t kBoundSheet = 0x0085;
constexpr std::uint16_t kMergedCells = 0x00E5;
constexpr std::uint16_t kRow = 0x0208;
constexpr std::uint16_t kColInfo = 0x007D;
constexpr std::uint16_t kFilePass = 0x002F;
constexpr std::uint16_t kBiff8 = 0x0600;
constexpr std::uint16_t kRowHidden = 0x0020;  // ROW's fDyZero

template <typename T>
struct Unref {
  T* p = nullptr;
  ~Unref() {
    if (p) g_object_unref(p);
  }
};

// libgsf says what it finds wrong in a damaged file on stderr; the person who sent it hears
// from the importer instead, and the server's log stays free of what its users upload.
void quietGsf() {
  static std::once_flag once;
  std::call_once(once, [] {
    const auto drop = [](const gchar*, GLogLevelFlags, const gchar*, gpointer) {};
    const auto levels = static_cast<GLogLevelFlags>(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL | G_LOG_FLAG_RECURSION);
    for (const char* domain : {"libgsf", "libgsf:msole", "libgsf:utils"}) g_log_set_handler(domain, levels, drop, nullptr);
  });
}

// The Workbook stream's bytes; empty when there is none (a BIFF5 file names it "Book").
std::string workbookStream(std::string_view file) {
  quietGsf();
  Unref<GsfInput> source{gsf_input_memory_new(reinterpret_cast<const guint8*>(file.data()),
                                              static_cast<gsf_off_t>(file.size()), FALSE)};
  if (!source.p) return {};
  GError* error = nullptr;
  Unref<GsfInfile> ole{gsf_infile_msole_new(source.p, &error)};
  if (error) g_error_free(error);
  if (!ole.p) return {};
  Unref<GsfInput> stream{gsf_infile_child_by_name(ole.p, "Workbook")};
  if (!stream.p) return {};
  const gsf_off_t size = gsf_input_size(stream.p);
  // A stream is never larger than the file that holds it.
  if (size <= 0 || static_cast<std::size_t>(size) > file.size()) return {};
  std::string bytes(static_cast<std::size_t>(size), '\0');
  if (!gsf_input_read(stream.p, bytes.size(), reinterpret_cast<guint8*>(bytes.data()))) return {};
  return bytes;
}

std::uint16_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

std::uint32_t u32(std::string_view b, std::size_t at) {
  return static_cast<std::uint32_t>(u16(b, at)) | (static_cast<std::uint32_t>(u16(b, at + 2)) << 16);
}

// BOUNDSHEET's name: a ShortXLUnicodeString (cch, fHighByte, then Latin-1 bytes or UTF-16LE).
std::string sheetName(std::string_view rec) {
  if (rec.size() < 8) return {};
  const std::size_t chars = static_cast<unsigned char>(rec[6]);
  const bool wide = (rec[7] & 1) != 0;
  std::string out;
  for (std::size_t i = 0; i < chars; ++i) {
    if (!wide) {
      if (8 + i >= rec.size()) break;
      base::appendUtf8(out, static_cast<char32_t>(static_cast<unsigned char>(rec[8 + i])));
      continue;
    }
    if (8 + 2 * i + 1 >= rec.size()) break;
    std::uint32_t c = u16(rec, 8 + 2 * i);
    if (c >= 0xD800 && c < 0xDC00 && i + 1 < chars && 8 + 2 * (i + 1) + 1 < rec.size()) {
      const std::uint32_t low = u16(rec, 8 + 2 * (i + 1));
      if (low >= 0xDC00 && low < 0xE000) {
        c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
        ++i;
      }
    }
    base::appendUtf8(out, c);
  }
  return out;
}

// Follows the records from `at`: calls `each(type, data)` for each, and stops after the EOF
// that closes the substream begun there (charts embedded in a sheet nest their own BOF/EOF;
// `depth` is 1 for the sheet's own records); `at` is then where the substream ends. False when
// the records run past the stream.
template <typename Each>
bool substream(std::string_view s, std::size_t& at, Each each) {
  int depth = 0;
  while (at + 4 <= s.size()) {
    const std::uint16_t type = u16(s, at);
    const std::size_t length = u16(s, at + 2);
    if (at + 4 + length > s.size()) return false;
    const std::string_view data = s.substr(at + 4, length);
    at += 4 + length;
    if (type == kBof) {
      ++depth;
      continue;
    }
    if (type == kEof) {
      if (--depth <= 0) return true;
      continue;
    }
    if (depth == 0) return false;  // a substream starts with its BOF
    if (!each(type, data, depth)) return false;
  }
  return false;
}

}  // namespace

std::optional<std::vector<XlsSheetLayout>> readXlsLayout(std::string_view file) {
  const std::string stream = workbookStream(file);
  const std::string_view s = stream;
  if (s.size() < 8 || u16(s, 0) != kBof || u16(s, 2) < 2 || u16(s, 4) != kBiff8) return std::nullopt;
  std::vector<XlsSheetLayout> sheets;
  std::vector<std::uint32_t> starts;
  bool encrypted = false;
  std::size_t globals_end = 0;
  const bool globals = substream(s, globals_end, [&](std::uint16_t type, std::string_view data, int) {
    if (type == kFilePass) encrypted = true;
    if (type == kBoundSheet && data.size() >= 8) {
      XlsSheetLayout sheet;
      sheet.name = sheetName(data);
      sheet.hidden = (data[4] & 0x03) != 0;
      sheet.worksheet = data[5] == 0;
      sheets.push_back(std::move(sheet));
      starts.push_back(u32(data, 0));
    }
    return true;
  });
  if (!globals || encrypted) return std::nullopt;
  // Each sheet's records are read once, in the stream's order: a sheet whose records would begin
  // inside the globals or another sheet's (BOUNDSHEETs naming one place, which Excel never
  // writes) makes the records not followed. Else thousands of sheets naming one long sheet had
  // it read thousands of times, and its hidden rows held as often (2,000 sheets of a 1.2 MB file:
  // 120 million rows, a minute).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    if (sheets[i].worksheet) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return starts[a] < starts[b]; });
  std::size_t end = globals_end;
  for (const std::size_t i : order) {
    XlsSheetLayout& sheet = sheets[i];
    std::size_t at = starts[i];
    if (at < end || at + 4 > s.size() || u16(s, at) != kBof) return std::nullopt;
    const bool read = substream(s, at, [&](std::uint16_t type, std::string_view data, int depth) {
      if (depth != 1) return true;
      if (type == kMergedCells && data.size() >= 2) {
        const std::size_t count = u16(data, 0);
        for (std::size_t m = 0; m < count && 2 + 8 * (m + 1) <= data.size(); ++m) {
          const std::size_t p = 2 + 8 * m;
          XlsMerge merge{u16(data, p), u16(data, p + 2), u16(data, p + 4), u16(data, p + 6)};
          if (merge.first_row <= merge.last_row && merge.first_col <= merge.last_col) sheet.merges.push_back(merge);
        }
      } else if (type == kRow && data.size() >= 16 && (u16(data, 12) & kRowHidden) != 0) {
        sheet.hidden_rows.push_back(u16(data, 0));
      } else if (type == kColInfo && data.size() >= 10 && (u16(data, 8) & 0x0001) != 0 &&
                 u16(data, 0) <= u16(data, 2)) {
        sheet.hidden_columns.emplace_back(u16(data, 0), u16(data, 2));  // fHidden
      }
      return true;
    });
    if (!read) return std::nullopt;
    end = at;
  }
  return sheets;
}

}  // namespace portal::publishing::detail
