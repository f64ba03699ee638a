#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace portal::http {

// HTTP/1.x message framing, done by us before any library parser sees the bytes: the request
// line, header lines, Content-Length and chunked bodies, with hard limits. Pure functions, no
// I/O, so every rule has a unit test.
struct FramingLimits {
  std::size_t max_head_bytes = 64 * 1024;    // request line + headers
  std::size_t max_body_bytes = 1 << 20;      // decoded body
  std::size_t max_headers = 100;             // header lines
  // multipart/form-data POSTs to these paths (exact, query aside; a segment ":name" stands for
  // any one non-empty segment, as in the route table) may carry bodies up to
  // max_upload_body_bytes when that is larger: the forms that take files. Every other request
  // (a url-encoded POST to the same path too) keeps max_body_bytes.
  std::size_t max_upload_body_bytes = 0;
  std::vector<std::string> upload_paths;
};

struct FramedRequest {
  std::string method;  // as sent; a token
  std::string target;  // origin-form ("/path?query"), absolute-form reduced to it
  int minor_version = 1;  // HTTP/1.<minor_version>
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;                                          // de-chunked
  bool keep_alive = true;  // false: close the connection after the answer
};

struct FrameResult {
  enum class Kind { NeedMore, Done, Error };
  Kind kind = Kind::NeedMore;
  std::size_t consumed = 0;  // Done: bytes of `data` this request took
  FramedRequest request;     // Done; on Error the method and target when they were readable
  int status = 0;            // Error: 400, 405, 413, 431...
  std::string message;       // Error: Chinese, safe to show
  bool head_complete = false;     // NeedMore: the head is in, the body is not
  bool expects_continue = false;  // NeedMore: the head is complete and asked for 100-continue
};

// Frames the first request in `data` (bytes received on one connection, not yet consumed).
FrameResult frameRequest(std::string_view data, const FramingLimits& limits);

// The cookies of a Cookie header value ("a=1; b=2"); pairs without '=' or with an empty or
// invalid name are skipped, never an error.
std::vector<std::pair<std::string, std::string>> parseCookieHeader(std::string_view value);

// True for the methods the portal knows (its routes use GET, HEAD and POST; the others get 405).
bool isKnownMethod(std::string_view method);

}  // namespace portal::http
