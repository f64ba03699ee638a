#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace portal::http {

struct FormPart {
  std::string name;
  std::string filename;  // empty for a plain field
  std::string content;
};

// Parses a multipart/form-data body (RFC 7578) given the request's Content-Type header.
// nullopt when the type has no boundary or the body is malformed.
std::optional<std::vector<FormPart>> parseMultipart(std::string_view content_type,
                                                    std::string_view body);

}  // namespace portal::http
