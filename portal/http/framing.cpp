#include "portal/http/framing.h"

#include <cstdint>

#include "portal/http/url.h"

namespace portal::http {

namespace {

constexpr std::size_t kMaxChunkLine = 1024;

bool isTokenChar(unsigned char c) {
  if (c >= '0' && c <= '9') return true;
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return true;
  switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*': case '+': case '-':
    case '.': case '^': case '_': case '`': case '|': case '~':
      return true;
    default:
      return false;
  }
}

bool isToken(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (!isTokenChar(c)) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Comma-separated tokens of a header value, trimmed and lower-cased.
std::vector<std::string> tokens(std::string_view v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    std::size_t comma = v.find(',', pos);
    if (comma == std::string_view::npos) comma = v.size();
    auto t = trim(v.substr(pos, comma - pos));
    if (!t.empty()) out.push_back(lower(t));
    pos = comma + 1;
  }
  return out;
}

FrameResult error(FrameResult r, int status, std::string message) {
  r.kind = FrameResult::Kind::Error;
  r.status = status;
  r.message = std::move(message);
  return r;
}

// One line ending at '\n' starting at `pos` (its '\r' removed); false when no '\n' yet.
bool nextLine(std::string_view data, std::size_t pos, std::string_view& line, std::size_t& next) {
  const std::size_t nl = data.find('\n', pos);
  if (nl == std::string_view::npos) return false;
  line = data.substr(pos, nl - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  next = nl + 1;
  return true;
}

bool hasControl(std::string_view s, bool allow_tab) {
  for (unsigned char c : s) {
    if ((c < 0x20 && !(allow_tab && c == '\t')) || c == 0x7f) return true;
  }
  return false;
}

// `pattern` is a path whose ":name" segments stand for any one non-empty segment.
bool uploadPathMatches(std::string_view pattern, std::string_view path) {
  while (true) {
    const std::size_t ps = pattern.find('/');
    const std::size_t xs = path.find('/');
    const std::string_view p = pattern.substr(0, ps);
    const std::string_view x = path.substr(0, xs);
    const bool any = !p.empty() && p.front() == ':';
    if (any ? x.empty() : p != x) return false;
    if (ps == std::string_view::npos || xs == std::string_view::npos) {
      return ps == std::string_view::npos && xs == std::string_view::npos;
    }
    pattern.remove_prefix(ps + 1);
    path.remove_prefix(xs + 1);
  }
}

}  // namespace

bool isKnownMethod(std::string_view m) {
  for (const char* k : {"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE",
                        "CONNECT"}) {
    if (m == k) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> parseCookieHeader(std::string_view value) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos <= value.size()) {
    std::size_t semi = value.find(';', pos);
    if (semi == std::string_view::npos) semi = value.size();
    const auto pair = trim(value.substr(pos, semi - pos));
    pos = semi + 1;
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) continue;
    const auto name = trim(pair.substr(0, eq));
    auto v = trim(pair.substr(eq + 1));
    if (!isToken(name)) continue;
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    out.emplace_back(std::string(name), std::string(v));
  }
  return out;
}

FrameResult frameRequest(std::string_view data, const FramingLimits& limits) {
  FrameResult r;
  std::size_t pos = 0;
  // A server should ignore empty lines before a request line (RFC 9112, 2.2).
  while (pos < data.size() && (data[pos] == '\r' || data[pos] == '\n') && pos < 16) ++pos;
  const std::size_t start = pos;

  std::string_view line;
  std::size_t next = 0;
  if (!nextLine(data, pos, line, next)) {
    auto partial = data.substr(pos);
    if (!partial.empty() && partial.back() == '\r') partial.remove_suffix(1);
    // Bytes that can never begin a request (a TLS hello, binary noise) are refused at once.
    if (hasControl(partial, false)) return error(r, 400, "请求行格式无效。");
    if (partial.size() > limits.max_head_bytes) {
      // The path, as far as it came, decides the format of the refusal.
      const std::size_t sp = partial.find(' ');
      if (sp != std::string_view::npos && sp + 1 < partial.size() && partial[sp + 1] == '/') {
        const auto rest = partial.substr(sp + 1, 256);
        r.request.target = std::string(rest.substr(0, rest.find_first_of("? ")));
      }
      return error(r, 414, "请求地址过长。");
    }
    return r;
  }
  // Request line: method SP target SP HTTP/1.x
  const std::size_t sp1 = line.find(' ');
  const std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp1 == std::string_view::npos || sp2 == std::string_view::npos ||
      line.find(' ', sp2 + 1) != std::string_view::npos) {
    return error(r, 400, "请求行格式无效。");
  }
  const auto method = line.substr(0, sp1);
  auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto version = line.substr(sp2 + 1);
  if (!isToken(method) || target.empty()) return error(r, 400, "请求行格式无效。");
  // Bytes of 0x80 and above are not allowed in a target (RFC 3986), but curl and other
  // clients send Chinese typed into a URL as raw UTF-8, and nginx passes it on: they are
  // percent-encoded here, so the rest of the server sees one form (and still refuses what
  // does not decode as UTF-8).
  std::string encoded;
  for (std::size_t i = 0; i < target.size(); ++i) {
    const auto c = static_cast<unsigned char>(target[i]);
    if (c <= 0x20 || c == 0x7f) {
      if (target[0] == '/') r.request.target = std::string(target.substr(0, i));
      return error(r, 400, "请求地址含有无效字符。");
    }
    if (c >= 0x80 && encoded.empty()) {
      encoded.reserve(target.size() * 3);
      for (const char raw : target) {
        const auto b = static_cast<unsigned char>(raw);
        if (b < 0x80) {
          encoded += raw;
        } else {
          static const char* kHex = "0123456789ABCDEF";
          encoded += '%';
          encoded += kHex[b >> 4];
          encoded += kHex[b & 0xF];
        }
      }
    }
  }
  if (!encoded.empty()) target = encoded;
  if (target.rfind("http://", 0) == 0 || target.rfind("https://", 0) == 0) {
    const std::size_t slash = target.find('/', target.find("://") + 3);
    target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
  }
  r.request.method = std::string(method);
  if (target[0] == '/') r.request.target = std::string(target);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      version[5] < '0' || version[5] > '9' || version[7] < '0' || version[7] > '9') {
    return error(r, 400, "请求行格式无效。");
  }
  if (version[5] != '1' || (version[7] != '0' && version[7] != '1')) {
    return error(r, 400, "不支持该 HTTP 协议版本，请使用 HTTP/1.1。");
  }
  r.request.minor_version = version[7] - '0';
  if (target[0] != '/' && !(target == "*" && method == "OPTIONS")) {
    return error(r, 400, "请求地址格式无效。");
  }
  r.request.target = std::string(target);

  // Header lines up to the empty line.
  pos = next;
  std::size_t content_length = 0;
  bool has_length = false, chunked = false, expect_continue = false;
  bool close = false, keep_alive_token = false;
  for (;;) {
    if (!nextLine(data, pos, line, next)) {
      if (data.size() - start > limits.max_head_bytes) return error(r, 431, "请求头过大。");
      auto partial = data.substr(pos);
      if (!partial.empty() && partial.back() == '\r') partial.remove_suffix(1);
      if (hasControl(partial, true)) return error(r, 400, "请求头格式无效。");
      return r;
    }
    if (next - start > limits.max_head_bytes) return error(r, 431, "请求头过大。");
    pos = next;
    if (line.empty()) break;
    if (line[0] == ' ' || line[0] == '\t') return error(r, 400, "请求头格式无效（不接受折行）。");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || !isToken(line.substr(0, colon))) {
      return error(r, 400, "请求头格式无效。");
    }
    const std::string name = lower(line.substr(0, colon));
    const auto value = trim(line.substr(colon + 1));
    if (hasControl(value, true)) return error(r, 400, "请求头含有无效字符。");
    if (r.request.headers.size() >= limits.max_headers) return error(r, 431, "请求头过多。");
    if (name == "content-length") {
      const auto n = parseWholeNumber(value, 18);
      if (!n) return error(r, 400, "Content-Length 无效。");
      if (has_length && static_cast<std::size_t>(*n) != content_length) {
        return error(r, 400, "Content-Length 重复且不一致。");
      }
      has_length = true;
      content_length = static_cast<std::size_t>(*n);
    } else if (name == "transfer-encoding") {
      const auto t = tokens(value);
      if (chunked || t.size() != 1 || t[0] != "chunked") {
        return error(r, 400, "不支持该传输编码（Transfer-Encoding），仅支持 chunked。");
      }
      chunked = true;
    } else if (name == "connection") {
      for (const auto& t : tokens(value)) {
        close = close || t == "close";
        keep_alive_token = keep_alive_token || t == "keep-alive";
      }
    } else if (name == "expect") {
      if (lower(value) != "100-continue") return error(r, 417, "不支持该 Expect 请求头。");
      // HTTP/1.0 has no 1xx answers: its 100-continue is ignored (RFC 9110 10.1.1, 15.2).
      expect_continue = r.request.minor_version >= 1;
    }
    r.request.headers.emplace_back(name, std::string(value));
  }
  r.request.keep_alive = !close && (r.request.minor_version == 1 || keep_alive_token);
  if (chunked && (has_length || r.request.minor_version == 0)) {
    return error(r, 400, "请求同时带有 Content-Length 和 Transfer-Encoding，无法确定长度。");
  }
  std::size_t max_body = limits.max_body_bytes;
  // Only a multipart body carries files. A url-encoded one to the same path is text alone (a
  // complaint's fields fit in tens of KB), and parsing it costs dozens of times its size: 50
  // MB of "a=&a=&..." took 2.4 GB and most of a minute of one worker.
  bool multipart = false;
  for (const auto& [name, value] : r.request.headers) {
    if (name == "content-type") multipart = lower(value).rfind("multipart/form-data", 0) == 0;
  }
  if (limits.max_upload_body_bytes > max_body && r.request.method == "POST" && multipart) {
    const std::string_view path = std::string_view(r.request.target).substr(
        0, std::min(r.request.target.size(), r.request.target.find('?')));
    for (const std::string& p : limits.upload_paths) {
      if (uploadPathMatches(p, path)) max_body = limits.max_upload_body_bytes;
    }
  }
  if (has_length && content_length > max_body) {
    return error(r, 413, "提交的内容过大。");
  }

  r.head_complete = true;
  if (has_length) {
    if (data.size() - pos < content_length) {
      r.expects_continue = expect_continue;
      return r;
    }
    r.request.body = std::string(data.substr(pos, content_length));
    pos += content_length;
  } else if (chunked) {
    std::string body;
    for (;;) {
      if (!nextLine(data, pos, line, next)) {
        if (data.size() - pos > kMaxChunkLine) return error(r, 400, "分块长度行无效。");
        r.expects_continue = expect_continue;
        return r;
      }
      if (line.size() > kMaxChunkLine) return error(r, 400, "分块长度行无效。");
      auto size_text = trim(line.substr(0, line.find(';')));
      if (size_text.empty() || size_text.size() > 8) return error(r, 400, "分块长度行无效。");
      std::size_t size = 0;
      for (char c : size_text) {
        int d;
        if (c >= '0' && c <= '9') {
          d = c - '0';
        } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
          d = (c | 0x20) - 'a' + 10;
        } else {
          return error(r, 400, "分块长度行无效。");
        }
        size = size * 16 + static_cast<std::size_t>(d);
      }
      if (body.size() + size > max_body) return error(r, 413, "提交的内容过大。");
      pos = next;
      if (size == 0) {
        // Trailer fields, then the empty line.
        for (;;) {
          if (!nextLine(data, pos, line, next)) {
            if (data.size() - pos > kMaxChunkLine) return error(r, 400, "分块结尾无效。");
            return r;
          }
          pos = next;
          if (line.empty()) break;
          if (line.size() > kMaxChunkLine) return error(r, 400, "分块结尾无效。");
        }
        break;
      }
      if (data.size() - pos < size + 1) return r;
      body.append(data.substr(pos, size));
      pos += size;
      if (data[pos] == '\n') {
        pos += 1;
      } else if (data[pos] == '\r') {
        if (data.size() - pos < 2) return r;
        if (data[pos + 1] != '\n') return error(r, 400, "分块数据格式无效。");
        pos += 2;
      } else {
        return error(r, 400, "分块数据格式无效。");
      }
    }
    r.request.body = std::move(body);
  }
  r.kind = FrameResult::Kind::Done;
  r.consumed = pos;
  return r;
}

}  // namespace portal::http
