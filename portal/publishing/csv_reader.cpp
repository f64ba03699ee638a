#include "portal/publishing/csv_reader.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <optional>

#include "base/utf8.h"

namespace portal::publishing {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// Offset of the first byte that is not well-formed UTF-8, or nullopt when all of it is.
std::optional<std::size_t> firstInvalidUtf8(std::string_view s) {
  const std::size_t at = base::firstInvalidUtf8(s);
  if (at == std::string_view::npos) return std::nullopt;
  return at;
}

int lineAt(std::string_view bytes, std::size_t offset) {
  offset = std::min(offset, bytes.size());
  return 1 + static_cast<int>(std::count(bytes.begin(), bytes.begin() + offset, '\n'));
}

std::string formatMiB(std::size_t bytes) {
  const std::size_t tenths = (bytes * 10 + 1024 * 1024 / 2) / (1024 * 1024);
  std::string s = std::to_string(tenths / 10);
  if (tenths % 10) s += "." + std::to_string(tenths % 10);
  return s + " MB";
}

// GB18030 is a superset of GBK/CP936 and decodes everything Excel writes on Chinese Windows.
// On failure returns the offset of the byte the decoder stopped at.
struct GbkDecoded {
  std::string text;
  std::optional<std::size_t> bad_offset;
  bool unavailable = false;
};

GbkDecoded decodeGbk(std::string_view bytes) {
  GbkDecoded out;
  iconv_t cd = iconv_open("UTF-8", "GB18030");
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    out.unavailable = true;
    return out;
  }
  std::string input(bytes);
  char* in = input.data();
  std::size_t in_left = input.size();
  std::string result;
  char buffer[16384];
  while (in_left > 0) {
    char* outp = buffer;
    std::size_t out_left = sizeof buffer;
    const std::size_t rc = iconv(cd, &in, &in_left, &outp, &out_left);
    result.append(buffer, static_cast<std::size_t>(outp - buffer));
    if (rc == static_cast<std::size_t>(-1)) {
      if (errno == E2BIG) continue;
      out.bad_offset = static_cast<std::size_t>(in - input.data());  // EILSEQ or EINVAL
      break;
    }
  }
  iconv_close(cd);
  if (!out.bad_offset) out.text = std::move(result);
  return out;
}

CsvError fileError(std::string message) { return CsvError{0, std::move(message)}; }

CsvError lineError(int line, const std::string& message) {
  return CsvError{line, "第 " + std::to_string(line) + " 行：" + message};
}

// Refuses files that are plainly not CSV text, with a hint at what they are.
std::optional<CsvError> notCsvText(std::string_view bytes) {
  if (bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4)) {
    return fileError(
        "这是 Excel 工作簿（.xlsx）文件，不是 CSV 文件。请在 Excel 中选择“另存为”→“CSV UTF-8"
        "（逗号分隔）”后再导入。");
  }
  if (bytes.substr(0, 4) == std::string_view("\xD0\xCF\x11\xE0", 4)) {
    return fileError(
        "这是旧版 Excel 工作簿（.xls）文件，不是 CSV 文件。请在 Excel 中选择“另存为”→“CSV "
        "UTF-8（逗号分隔）”后再导入。");
  }
  const std::size_t nul = bytes.find('\0');
  if (nul != std::string_view::npos) {
    return lineError(lineAt(bytes, nul), "含有空字符（NUL），这不是文本格式的 CSV 文件。");
  }
  return std::nullopt;
}

struct Decoded {
  CsvEncoding encoding = CsvEncoding::Utf8;
  std::string text;
};

bool isUtf16(std::string_view bytes) {
  return bytes.substr(0, 2) == "\xFF\xFE" || bytes.substr(0, 2) == "\xFE\xFF";
}

// UTF-16 after its BOM, to UTF-8. Refuses an odd length, unpaired surrogates and NUL characters
// (no text file has them), naming the line.
std::variant<Decoded, CsvError> decodeUtf16(std::string_view bytes) {
  const bool little = bytes[0] == '\xFF';
  const std::string_view body = bytes.substr(2);
  Decoded d{little ? CsvEncoding::Utf16Le : CsvEncoding::Utf16Be, {}};
  d.text.reserve(body.size() * 3 / 2);
  int line = 1;
  const auto unit = [&](std::size_t i) {
    const auto a = static_cast<unsigned char>(body[i]);
    const auto b = static_cast<unsigned char>(body[i + 1]);
    return static_cast<std::uint32_t>(little ? a | (b << 8) : (a << 8) | b);
  };
  const auto broken = [&] {
    return lineError(line,
                     "文件开头标明为 UTF-16 编码（Unicode 文本），但此处的内容不是有效的 UTF-16。"
                     "请检查文件是否损坏，或在 Excel 中另存为“CSV UTF-8（逗号分隔）”后再导入。");
  };
  if (body.size() % 2 != 0) {
    line = 1 + static_cast<int>(std::count(body.begin(), body.end(), '\n'));
    return broken();
  }
  for (std::size_t i = 0; i < body.size(); i += 2) {
    std::uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (i + 3 >= body.size()) return broken();
      const std::uint32_t low = unit(i + 2);
      if (low < 0xDC00 || low > 0xDFFF) return broken();
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 2;
    } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
      return broken();
    }
    if (cp == 0) return lineError(line, "含有空字符（NUL），这不是文本格式的 CSV 文件。");
    if (cp == '\n') ++line;
    base::appendUtf8(d.text, cp);
  }
  return d;
}

// Excel's "Unicode 文本" separates cells with tabs, a CSV with commas: whichever the first lines
// (up to 20, outside quotes) hold more of.
char guessDelimiter(std::string_view text) {
  std::size_t tabs = 0, commas = 0;
  int lines = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\t') ++tabs;
    if (c == ',') ++commas;
    if (c == '\n' && ++lines >= 20) break;
  }
  return tabs > commas ? '\t' : ',';
}

std::variant<Decoded, CsvError> decode(std::string_view bytes) {
  if (bytes.substr(0, kUtf8Bom.size()) == kUtf8Bom) {
    const std::string_view body = bytes.substr(kUtf8Bom.size());
    if (const auto bad = firstInvalidUtf8(body)) {
      return lineError(lineAt(body, *bad),
                       "文件开头标明为 UTF-8 编码（带 BOM），但此处含有无效的 UTF-8 字节。请检查"
                       "文件是否损坏，或重新另存为“CSV UTF-8（逗号分隔）”。");
    }
    return Decoded{CsvEncoding::Utf8Bom, std::string(body)};
  }
  const auto bad_utf8 = firstInvalidUtf8(bytes);
  if (!bad_utf8) return Decoded{CsvEncoding::Utf8, std::string(bytes)};
  GbkDecoded gbk = decodeGbk(bytes);
  if (gbk.unavailable) {
    return fileError(
        "文件不是 UTF-8 编码，而服务器无法转换 GBK 编码。请在 Excel 中选择“另存为”→“CSV UTF-8"
        "（逗号分隔）”后再导入。");
  }
  if (gbk.bad_offset) {
    // The encoding that read further is most likely the one intended: name that place.
    const std::size_t where = std::max(*bad_utf8, *gbk.bad_offset);
    return lineError(lineAt(bytes, where),
                     "文件编码无法识别：既不是有效的 UTF-8，也不是有效的 GBK 编码。请在 Excel 中"
                     "选择“另存为”→“CSV UTF-8（逗号分隔）”后再导入。");
  }
  return Decoded{CsvEncoding::Gbk, std::move(gbk.text)};
}

bool isLineBreak(char c) { return c == '\r' || c == '\n'; }

}  // namespace

bool isValidUtf8(std::string_view text) { return !firstInvalidUtf8(text).has_value(); }

std::string_view csvEncodingName(CsvEncoding e) {
  switch (e) {
    case CsvEncoding::Utf8:
      return "UTF-8";
    case CsvEncoding::Utf8Bom:
      return "UTF-8（带 BOM）";
    case CsvEncoding::Gbk:
      return "GBK";
    case CsvEncoding::Utf16Le:
    case CsvEncoding::Utf16Be:
      return "UTF-16";
  }
  return "";
}

CsvReadResult CsvReader::read(std::string_view bytes) const {
  if (bytes.size() > limits_.max_bytes) {
    return fileError("文件大小为 " + formatMiB(bytes.size()) + "，超过上限 " +
                     formatMiB(limits_.max_bytes) + "。请拆分为多个文件后分批导入。");
  }
  if (bytes.empty()) return fileError("文件是空的。");
  const bool utf16 = isUtf16(bytes);
  if (!utf16) {
    if (auto e = notCsvText(bytes)) return *e;
  }
  auto decoded = utf16 ? decodeUtf16(bytes) : decode(bytes);
  if (auto* e = std::get_if<CsvError>(&decoded)) return *e;
  const Decoded& d = std::get<Decoded>(decoded);
  const std::string& text = d.text;

  CsvTable table;
  table.encoding = d.encoding;
  table.delimiter = utf16 ? guessDelimiter(text) : ',';
  const char delimiter = table.delimiter;
  const std::string field_end = std::string(1, delimiter) + "\r\n";
  const std::size_t n = text.size();
  std::size_t i = 0;
  int line = 1;
  auto endLine = [&] {
    if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n') ++i;
    ++i;
    ++line;
  };
  while (i < n) {
    if (isLineBreak(text[i])) {  // a blank line is no record
      endLine();
      continue;
    }
    CsvRecord record;
    record.line = line;
    while (true) {
      std::string field;
      if (i < n && text[i] == '"') {
        const int quote_line = line;
        ++i;
        bool closed = false;
        while (i < n) {
          const char c = text[i];
          if (c == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (isLineBreak(c)) {
            field += '\n';
            endLine();
            continue;
          }
          const std::size_t run = text.find_first_of("\"\r\n", i);
          const std::size_t end = run == std::string::npos ? n : run;
          field.append(text, i, end - i);
          i = end;
        }
        if (!closed) {
          return lineError(quote_line,
                           "以引号开始的单元格缺少结束引号（引号不成对），文件从这里到末尾都无法"
                           "读取。请检查该单元格的内容。");
        }
        if (i < n && text[i] != delimiter && !isLineBreak(text[i])) {
          return lineError(
              line,
              "单元格的结束引号后面还有其他字符。单元格内的引号应写成两个引号（\"\"），"
              "或者整个单元格不加引号。");
        }
      } else {
        const std::size_t end = std::min(text.find_first_of(field_end, i), n);
        field.assign(text, i, end - i);
        i = end;
      }
      record.fields.push_back(std::move(field));
      if (record.fields.size() > limits_.max_fields) {
        return lineError(record.line, "列数超过上限 " + std::to_string(limits_.max_fields) +
                                          " 列，请检查分隔符是否为逗号。");
      }
      if (i < n && text[i] == delimiter) {
        ++i;
        continue;
      }
      if (i < n) endLine();
      break;
    }
    table.records.push_back(std::move(record));
    if (table.records.size() > limits_.max_records) {
      return lineError(table.records.back().line,
                       "文件行数超过上限：最多 " + std::to_string(limits_.max_records) +
                           " 行（含表头）。请拆分为多个文件后分批导入。");
    }
  }
  if (table.records.empty()) return fileError("文件中没有任何内容。");
  return table;
}

std::string writeCsv(const std::vector<std::vector<std::string>>& records) {
  std::string out(kUtf8Bom);
  for (const auto& record : records) {
    for (std::size_t f = 0; f < record.size(); ++f) {
      if (f) out += ',';
      // A cell Excel would run as a formula (=, +, - or @ first, or a leading tab or CR) gets an
      // apostrophe in front, as OWASP advises for CSV injection; the list import takes it off.
      const std::string& raw = record[f];
      const bool formula = !raw.empty() && std::string_view("=+-@\t\r").find(raw[0]) !=
                                               std::string_view::npos;
      const std::string v = formula ? "'" + raw : raw;
      const bool quote =
          v.find_first_of(",\"\r\n") != std::string::npos || (record.size() == 1 && v.empty());
      if (!quote) {
        out += v;
        continue;
      }
      out += '"';
      for (char c : v) {
        if (c == '"') out += '"';
        if (c == '\r') continue;
        out += c;
      }
      out += '"';
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace portal::publishing
