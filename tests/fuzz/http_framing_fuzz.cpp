// libFuzzer target for what the server reads from a socket before any handler runs: HTTP/1.x
// framing (portal/http/framing.h), cookies, the query string, percent-decoding and
// multipart/form-data bodies. Any bytes must give an answer, never a crash, hang or sanitizer
// report. And the framing must not depend on how TCP cut the bytes: the server frames what
// has arrived so far, so a prefix of the input must either need more bytes, or already be
// the same request (same length consumed), or already be refused as the whole input is.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "base/percent_encoding.h"
#include "portal/http/framing.h"
#include "portal/http/multipart.h"
#include "portal/http/url.h"

namespace {

using portal::http::FrameResult;

portal::http::FramingLimits limits() {
  portal::http::FramingLimits l;
  l.max_head_bytes = 4096;  // small limits keep runs fast; their code paths still run
  l.max_body_bytes = 8192;
  l.max_upload_body_bytes = 16384;
  l.upload_paths = {"/admin/items/:code/evidence", "/complaints/new"};
  return l;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view data(reinterpret_cast<const char*>(bytes), size);
  const auto l = limits();
  const FrameResult whole = portal::http::frameRequest(data, l);
  if (whole.kind == FrameResult::Kind::Done) {
    if (whole.consumed == 0 || whole.consumed > size) std::abort();
    for (const auto& [name, value] : whole.request.headers) {
      if (name == "cookie") portal::http::parseCookieHeader(value);
      if (name == "content-type") portal::http::parseMultipart(value, whole.request.body);
    }
    const auto q = whole.request.target.find('?');
    if (q != std::string::npos) {
      portal::http::parseQueryString(std::string_view(whole.request.target).substr(q + 1));
    }
    base::percentDecode(whole.request.target.substr(0, q), false);
  }
  // Where TCP might have cut the bytes: a point chosen by the input itself.
  if (size > 1) {
    const std::size_t cut = 1 + bytes[size - 1] % (size - 1);
    const FrameResult part = portal::http::frameRequest(data.substr(0, cut), l);
    switch (part.kind) {
      case FrameResult::Kind::NeedMore:
        break;
      case FrameResult::Kind::Done:
        if (whole.kind != FrameResult::Kind::Done || whole.consumed != part.consumed) std::abort();
        break;
      case FrameResult::Kind::Error:
        if (whole.kind != FrameResult::Kind::Error) std::abort();
        break;
    }
  }
  // A multipart body on its own, with a boundary taken from the input's first line.
  const auto eol = data.find('\n');
  if (eol != std::string_view::npos && eol < 80) {
    portal::http::parseMultipart("multipart/form-data; boundary=" + std::string(data.substr(0, eol)),
                                 data.substr(eol + 1));
  }
  return 0;
}
