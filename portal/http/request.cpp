#include "portal/http/request.h"

#include "base/utf8.h"
#include "portal/http/url.h"

namespace portal::http {

std::optional<std::string> Request::queryValue(const std::string& key) const {
  for (const auto& [k, v] : query) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::vector<std::string> Request::queryValues(const std::string& key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : query) {
    if (k == key) out.push_back(v);
  }
  return out;
}

std::optional<std::string> Request::header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> Request::cookie(const std::string& name) const {
  auto it = cookies.find(name);
  if (it == cookies.end()) return std::nullopt;
  return it->second;
}

std::vector<std::pair<std::string, std::string>> Request::form() const {
  // Media types are case-insensitive (RFC 9110, 8.3.1): "Application/X-WWW-Form-Urlencoded"
  // is the same type.
  const std::string type = base::asciiLower(header("content-type").value_or(""));
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    throw HttpError(400, "表单提交格式不正确，请从页面上的表单提交。", "bad_form_type");
  }
  auto fields = parseQueryString(body);
  if (!fields) throw HttpError(400, "表单内容的编码无效。", "bad_form");
  for (auto& [name, value] : *fields) value = stripControlCharacters(value);
  return *fields;
}

std::string formValue(const std::vector<std::pair<std::string, std::string>>& form,
                      const std::string& key) {
  for (const auto& [k, v] : form) {
    if (k == key) return v;
  }
  return "";
}

Response Response::html(std::string body, int status) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Response Response::json(std::string body, int status) {
  Response r;
  r.status = status;
  r.content_type = "application/json; charset=utf-8";
  r.body = std::move(body);
  return r;
}

Response Response::text(std::string body, int status, std::string content_type) {
  Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

Response Response::redirect(const std::string& location, int status) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", location);
  return r;
}

}  // namespace portal::http
