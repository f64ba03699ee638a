#include "portal/http/multipart.h"

#include "base/utf8.h"

namespace portal::http {

namespace {
// The value of `key="..."` (or key=token) in a header line, or nullopt. `key` is lower case;
// parameter names are matched in any case (RFC 2045 5.1: "Boundary=", "Name=").
std::optional<std::string> headerParam(std::string_view header, std::string_view key) {
  const std::string lower = base::asciiLower(header);
  std::size_t pos = 0;
  while ((pos = lower.find(key, pos)) != std::string::npos) {
    const bool boundary_ok =
        pos == 0 || header[pos - 1] == ' ' || header[pos - 1] == '\t' || header[pos - 1] == ';';
    const std::size_t eq = pos + key.size();
    if (!boundary_ok || eq >= header.size() || header[eq] != '=') {
      pos += key.size();
      continue;
    }
    if (eq + 1 < header.size() && header[eq + 1] == '"') {
      const std::size_t end = header.find('"', eq + 2);
      if (end == std::string_view::npos) return std::nullopt;
      return std::string(header.substr(eq + 2, end - eq - 2));
    }
    std::size_t end = header.find(';', eq + 1);
    if (end == std::string_view::npos) end = header.size();
    return std::string(header.substr(eq + 1, end - eq - 1));
  }
  return std::nullopt;
}
}  // namespace

std::optional<std::vector<FormPart>> parseMultipart(std::string_view content_type,
                                                    std::string_view body) {
  // Media types are case-insensitive (RFC 9110 8.3.1): "Multipart/Form-Data" is the same.
  if (base::asciiLower(content_type.substr(0, 19)) != "multipart/form-data") return std::nullopt;
  const auto boundary = headerParam(content_type, "boundary");
  if (!boundary || boundary->empty() || boundary->size() > 200) return std::nullopt;
  const std::string delimiter = "--" + *boundary;
  std::size_t pos = body.find(delimiter);
  if (pos == std::string_view::npos) return std::nullopt;
  std::vector<FormPart> parts;
  for (;;) {
    pos += delimiter.size();
    if (body.substr(pos, 2) == "--") return parts;  // the closing delimiter
    if (body.substr(pos, 2) != "\r\n") return std::nullopt;
    pos += 2;
    const std::size_t headers_end = body.find("\r\n\r\n", pos);
    if (headers_end == std::string_view::npos) return std::nullopt;
    const std::string_view headers = body.substr(pos, headers_end - pos);
    const std::size_t next = body.find("\r\n" + delimiter, headers_end + 4);
    if (next == std::string_view::npos) return std::nullopt;
    FormPart part;
    std::size_t line_start = 0;
    while (line_start <= headers.size()) {
      std::size_t line_end = headers.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = headers.size();
      const std::string_view line = headers.substr(line_start, line_end - line_start);
      std::string lower(line.substr(0, 20));
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower.rfind("content-disposition:", 0) == 0) {
        part.name = headerParam(line, "name").value_or("");
        part.filename = headerParam(line, "filename").value_or("");
      }
      line_start = line_end + 2;
    }
    part.content = std::string(body.substr(headers_end + 4, next - headers_end - 4));
    parts.push_back(std::move(part));
    pos = next + 2;
  }
}

}  // namespace portal::http
