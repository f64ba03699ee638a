#include "tests/support/xls_records.h"

#include <gsf/gsf-infile-msole.h>
#include <gsf/gsf-infile.h>
#include <gsf/gsf-input-memory.h>
#include <gsf/gsf-input.h>
#include <gsf/gsf-outfile-msole.h>
#include <gsf/gsf-outfile.h>
#include <gsf/gsf-output-memory.h>
#include <gsf/gsf-output.h>

#include <stdexcept>

namespace test_support {

namespace {

std::uint16_t u16(std::string_view b, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(b[at]) | (static_cast<unsigned char>(b[at + 1]) << 8));
}

void put16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v & 0xFF);
  out += static_cast<char>(v >> 8);
}

void set32(std::string& out, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[at + static_cast<std::size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xFF);
}

std::size_t sizeOf(const XlsSubstream& sub) {
  std::size_t n = 0;
  for (const auto& r : sub) n += 4 + r.data.size();
  return n;
}

// UTF-8 (BMP only) to UTF-16LE code units.
std::vector<std::uint16_t> utf16(const std::string& s) {
  std::vector<std::uint16_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c);
      i += 1;
    } else if ((c & 0xE0) == 0xC0) {
      out.push_back(static_cast<std::uint16_t>(((c & 0x1F) << 6) | (s[i + 1] & 0x3F)));
      i += 2;
    } else {
      out.push_back(static_cast<std::uint16_t>(((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F)));
      i += 3;
    }
  }
  return out;
}

}  // namespace

std::vector<XlsSubstream> readXlsSubstreams(std::string_view xls) {
  GsfInput* source = gsf_input_memory_new(reinterpret_cast<const guint8*>(xls.data()),
                                          static_cast<gsf_off_t>(xls.size()), FALSE);
  GError* error = nullptr;
  GsfInfile* ole = gsf_infile_msole_new(source, &error);
  g_object_unref(source);
  if (error) g_error_free(error);
  if (!ole) return {};
  GsfInput* stream = gsf_infile_child_by_name(ole, "Workbook");
  g_object_unref(ole);
  if (!stream) return {};
  std::string bytes(static_cast<std::size_t>(gsf_input_size(stream)), '\0');
  gsf_input_read(stream, bytes.size(), reinterpret_cast<guint8*>(bytes.data()));
  g_object_unref(stream);
  std::vector<XlsSubstream> subs;
  int depth = 0;
  for (std::size_t at = 0; at + 4 <= bytes.size();) {
    XlsRecord r;
    r.type = u16(bytes, at);
    const std::size_t length = u16(bytes, at + 2);
    r.data = bytes.substr(at + 4, length);
    at += 4 + length;
    if (r.type == 0x0809 && depth++ == 0) subs.emplace_back();
    if (subs.empty()) break;
    subs.back().push_back(std::move(r));
    if (subs.back().back().type == 0x000A && --depth == 0) continue;
  }
  return subs;
}

std::string writeXls(const std::vector<XlsSubstream>& subs, const std::vector<std::size_t>& sheet_of) {
  if (subs.empty()) throw std::invalid_argument("no substreams");
  std::vector<std::size_t> offsets;
  std::size_t at = 0;
  for (const auto& s : subs) {
    offsets.push_back(at);
    at += sizeOf(s);
  }
  std::string stream;
  std::size_t sheet = 0;
  for (std::size_t i = 0; i < subs.size(); ++i) {
    for (const auto& r : subs[i]) {
      put16(stream, r.type);
      put16(stream, static_cast<std::uint16_t>(r.data.size()));
      const std::size_t data_at = stream.size();
      stream += r.data;
      if (i == 0 && r.type == 0x0085 && r.data.size() >= 4) {
        const std::size_t target = sheet < sheet_of.size() ? sheet_of[sheet] : sheet + 1;
        set32(stream, data_at, static_cast<std::uint32_t>(target < offsets.size() ? offsets[target] : 0));
        ++sheet;
      }
    }
  }
  GsfOutput* memory = gsf_output_memory_new();
  GsfOutfile* ole = gsf_outfile_msole_new(memory);
  GsfOutput* child = gsf_outfile_new_child(ole, "Workbook", FALSE);
  gsf_output_write(child, stream.size(), reinterpret_cast<const guint8*>(stream.data()));
  gsf_output_close(child);
  g_object_unref(child);
  gsf_output_close(GSF_OUTPUT(ole));
  g_object_unref(ole);
  const guint8* bytes = gsf_output_memory_get_bytes(GSF_OUTPUT_MEMORY(memory));
  std::string out(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(gsf_output_size(memory)));
  g_object_unref(memory);
  return out;
}

XlsRecord boundSheet(const std::string& name, std::uint8_t dt, std::uint8_t state) {
  XlsRecord r{0x0085, std::string(4, '\0')};
  r.data += static_cast<char>(state);
  r.data += static_cast<char>(dt);
  const std::vector<std::uint16_t> chars = utf16(name);
  r.data += static_cast<char>(chars.size());
  r.data += '\1';
  for (const auto c : chars) put16(r.data, c);
  return r;
}

XlsRecord bof(std::uint16_t dt) {
  XlsRecord r{0x0809, {}};
  put16(r.data, 0x0600);
  put16(r.data, dt);
  r.data += std::string(12, '\0');
  return r;
}

XlsRecord eof() { return XlsRecord{0x000A, {}}; }

XlsRecord mergedCells(std::uint16_t first_row, std::uint16_t last_row, std::uint16_t first_col,
                      std::uint16_t last_col) {
  XlsRecord r{0x00E5, {}};
  put16(r.data, 1);
  put16(r.data, first_row);
  put16(r.data, last_row);
  put16(r.data, first_col);
  put16(r.data, last_col);
  return r;
}

XlsRecord rowRecord(std::uint16_t row, bool hidden) {
  XlsRecord r{0x0208, {}};
  put16(r.data, row);
  put16(r.data, 0);
  put16(r.data, 1);
  put16(r.data, 0x00FF);
  put16(r.data, 0);
  put16(r.data, 0);
  put16(r.data, static_cast<std::uint16_t>(0x0100 | (hidden ? 0x0020 : 0)));
  put16(r.data, 0x000F);
  return r;
}

XlsRecord numberCell(std::uint16_t row, std::uint16_t col, double value) {
  XlsRecord r{0x0203, {}};
  put16(r.data, row);
  put16(r.data, col);
  put16(r.data, 0x000F);
  r.data.append(reinterpret_cast<const char*>(&value), sizeof value);
  return r;
}

}  // namespace test_support
