#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/utf8.h"

namespace portal::http {

// A request as handlers see it: decoded, validated UTF-8, independent of the HTTP library.
struct Request {
  std::string method;                                      // "GET", "POST", ...
  std::string path;                                        // percent-decoded, valid UTF-8
  std::string raw_target;                                  // as received, for logs
  int minor_version = 1;                                   // HTTP/1.<minor_version>
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string> headers;              // names lower-cased
  std::map<std::string, std::string> cookies;
  std::string body;
  std::string remote_addr;  // the client: X-Real-IP when the peer is the local nginx
  std::string peer_addr;    // the TCP peer as connected, whatever the headers say
  std::string request_id;
  std::map<std::string, std::string> params;  // from the route pattern (":slug")

  std::optional<std::string> queryValue(const std::string& key) const;
  std::vector<std::string> queryValues(const std::string& key) const;
  std::optional<std::string> header(const std::string& lower_name) const;
  std::optional<std::string> cookie(const std::string& name) const;
  // The body of an application/x-www-form-urlencoded POST, decoded, with control characters
  // (stripControlCharacters) removed from every value. Throws HttpError 400 for another content
  // type or a malformed body.
  std::vector<std::pair<std::string, std::string>> form() const;
};

// `text` without C0 controls other than tab, line feed and carriage return, DEL and C1
// controls (U+0080-U+009F): nothing a person types, and they could hide text on a page.
using base::stripControlCharacters;

// The first value of `key` in decoded form fields, or "" when absent.
std::string formValue(const std::vector<std::pair<std::string, std::string>>& form,
                      const std::string& key);

struct Response {
  int status = 200;
  std::string content_type = "text/html; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;

  static Response html(std::string body, int status = 200);
  static Response json(std::string body, int status = 200);
  static Response text(std::string body, int status = 200,
                       std::string content_type = "text/plain; charset=utf-8");
  static Response redirect(const std::string& location, int status = 303);
};

// A person's mistake or a missing thing, answered with `status` and a message in Chinese that
// is safe to show. Thrown by handlers; the server turns it into an error page or JSON body.
class HttpError : public std::exception {
 public:
  HttpError(int status, std::string message, std::string code = "")
      : status_(status), message_(std::move(message)), code_(std::move(code)) {}
  // Not an error for the person: send them to `location` (303), e.g. to the login page.
  static HttpError redirect(std::string location) {
    HttpError e(303, "", "redirect");
    e.location_ = std::move(location);
    return e;
  }

  // Not an error either: a whole answer prepared deep inside a handler's helpers (the login
  // page that keeps what was typed when the session ran out in the middle of a form).
  static HttpError answer(Response r) {
    HttpError e(r.status, "", "answer");
    e.answer_ = std::move(r);
    return e;
  }

  int status() const { return status_; }
  const std::optional<Response>& prepared() const { return answer_; }
  const std::string& message() const { return message_; }
  const std::string& location() const { return location_; }
  const std::string& code() const { return code_; }  // machine-readable, e.g. "not_found"
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  int status_;
  std::string message_;
  std::string code_;
  std::string location_;
  std::optional<Response> answer_;
};

}  // namespace portal::http
