// Our HTTP/1.x framing: what a request is, where it ends, and what is refused before any
// handler (or Pistache's parser) sees it.
#include "portal/http/framing.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "portal/http/request.h"

namespace {

using portal::http::FrameResult;
using portal::http::frameRequest;
using portal::http::FramingLimits;
using portal::http::parseCookieHeader;
using Kind = FrameResult::Kind;

FrameResult frame(const std::string& data, FramingLimits limits = {}) {
  return frameRequest(data, limits);
}

TEST(Framing, ASimpleGetEndsAtTheEmptyLine) {
  const std::string two = "GET /a?x=1 HTTP/1.1\r\nHost: t\r\n\r\nGET /b HTTP/1.1\r\n\r\n";
  auto r = frame(two);
  ASSERT_EQ(r.kind, Kind::Done);
  EXPECT_EQ(r.request.method, "GET");
  EXPECT_EQ(r.request.target, "/a?x=1");
  EXPECT_EQ(r.consumed, two.find("GET /b"));
  EXPECT_TRUE(r.request.keep_alive);
  ASSERT_EQ(r.request.headers.size(), 1u);
  EXPECT_EQ(r.request.headers[0].first, "host");
}

TEST(Framing, PartialRequestsNeedMore) {
  for (const char* partial : {"GE", "GET / HTTP/1.1\r\nHost: t\r\n",
                              "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nab",
                              "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab"}) {
    EXPECT_EQ(frame(partial).kind, Kind::NeedMore) << partial;
  }
  auto body = frame("POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_TRUE(body.head_complete);
  EXPECT_TRUE(body.expects_continue);
  // HTTP/1.0 has no 1xx answers: its Expect: 100-continue is ignored (RFC 9110 10.1.1).
  auto old = frame("POST / HTTP/1.0\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(old.kind, Kind::NeedMore);
  EXPECT_FALSE(old.expects_continue);
}

TEST(Framing, ConnectionCloseAndHttp10CloseTheConnection) {
  EXPECT_FALSE(frame("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").request.keep_alive);
  EXPECT_FALSE(frame("GET / HTTP/1.0\r\n\r\n").request.keep_alive);
  EXPECT_TRUE(frame("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").request.keep_alive);
}

TEST(Framing, ChunkedBodiesAreDecoded) {
  const std::string data =
      "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\n"
      "Trailer: x\r\n\r\nNEXT";
  auto r = frame(data);
  ASSERT_EQ(r.kind, Kind::Done);
  EXPECT_EQ(r.request.body, "abcde");
  EXPECT_EQ(r.consumed, data.find("NEXT"));
}

TEST(Framing, BadFramingIsRefusedWithAFourHundredInChinese) {
  const std::pair<const char*, int> cases[] = {
      {"POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400},
      {"POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n", 413},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400},
      {"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX", 400},
      {"GET / HTTP/2.0\r\n\r\n", 400},
      {"GET / HTTP/1.2\r\n\r\n", 400},
      {"GET /\r\n\r\n", 400},
      {"GET  / HTTP/1.1\r\n\r\n", 400},
      {"G(T / HTTP/1.1\r\n\r\n", 400},
      {"GET /a b HTTP/1.1\r\n\r\n", 400},
      {"GET noslash HTTP/1.1\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nNoColon\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nA: 1\r\n folded\r\n\r\n", 400},
      {"GET / HTTP/1.1\r\nA: x\x01y\r\n\r\n", 400},
      {"\x16\x03\x01\x02\x00", 400},
      {"GET / HTTP/1.1\r\nExpect: magic\r\n\r\n", 417},
  };
  for (const auto& [data, status] : cases) {
    auto r = frame(data);
    EXPECT_EQ(r.kind, Kind::Error) << data;
    EXPECT_EQ(r.status, status) << data;
    EXPECT_FALSE(r.message.empty()) << data;
    EXPECT_TRUE(std::any_of(r.message.begin(), r.message.end(),
                            [](char c) { return static_cast<unsigned char>(c) >= 0x80; }))
        << "Chinese: " << data;
  }
}

TEST(Framing, OversizedHeadsAreRefused) {
  FramingLimits l;
  l.max_head_bytes = 1024;
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nCookie: " + std::string(2000, 'a') + "\r\n\r\n", l).status,
            431);
  EXPECT_EQ(frame("GET /" + std::string(2000, 'a'), l).status, 414);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 120; ++i) many += "X-" + std::to_string(i) + ": 1\r\n";
  EXPECT_EQ(frame(many + "\r\n").status, 431);
}

TEST(Framing, AbsoluteFormTargetsBecomePaths) {
  EXPECT_EQ(frame("GET http://example.org/a?b=1 HTTP/1.1\r\n\r\n").request.target, "/a?b=1");
  EXPECT_EQ(frame("GET http://example.org HTTP/1.1\r\n\r\n").request.target, "/");
}

// curl sends Chinese typed into a URL as raw UTF-8 bytes: they reach the server percent-encoded.
TEST(Framing, RawUtf8InTheTargetIsPercentEncoded) {
  const auto r = frame("GET /search?q=\xe5\x99\xaa\xe9\x9f\xb3 HTTP/1.1\r\n\r\n");
  ASSERT_EQ(r.kind, Kind::Done);
  EXPECT_EQ(r.request.target, "/search?q=%E5%99%AA%E9%9F%B3");
  EXPECT_EQ(frame("GET /a\x7f HTTP/1.1\r\n\r\n").status, 400);
}

TEST(Cookies, MalformedPairsAreSkippedNotFatal) {
  auto c = parseCookieHeader("consent");
  EXPECT_TRUE(c.empty());
  c = parseCookieHeader("a=1; consent; b=\"2\"; =x; c d=3;  e = 4 ");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0], (std::pair<std::string, std::string>{"a", "1"}));
  EXPECT_EQ(c[1], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ(c[2], (std::pair<std::string, std::string>{"e", "4"}));
}

TEST(StripControlCharacters, KeepsTextAndLineBreaksDropsControls) {
  EXPECT_EQ(portal::http::stripControlCharacters("噪声\x01\x1b[31m扰民\r\n第二行\t!\x7f\xc2\x85"),
            "噪声[31m扰民\r\n第二行\t!");
}

}  // namespace

TEST(Framing, OnlyPostsToTheUploadFormsMayCarryTheLargerBody) {
  FramingLimits limits;
  limits.max_body_bytes = 1000;
  limits.max_upload_body_bytes = 50000;
  limits.upload_paths = {"/complaints/new"};
  auto framed = [&](const std::string& head) { return frameRequest(head, limits); };
  const std::string length =
      "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: 20000\r\n\r\n";
  EXPECT_EQ(framed("POST /complaints/new HTTP/1.1\r\n" + length).kind,
            FrameResult::Kind::NeedMore);
  EXPECT_EQ(framed("POST /complaints/new?x=1 HTTP/1.1\r\n" + length).kind,
            FrameResult::Kind::NeedMore);
  EXPECT_EQ(framed("POST /complaints/new HTTP/1.1\r\nContent-Type: Multipart/Form-Data; "
                   "boundary=x\r\nContent-Length: 20000\r\n\r\n")
                .kind,
            FrameResult::Kind::NeedMore);
  EXPECT_EQ(framed("POST /complaints/new HTTP/1.1\r\nContent-Type: multipart/form-data; "
                   "boundary=x\r\nContent-Length: 50001\r\n\r\n")
                .status,
            413);
  // Without files the larger allowance is no use, and a url-encoded body costs many times its
  // size to parse: the ordinary limit.
  EXPECT_EQ(framed("POST /complaints/new HTTP/1.1\r\nContent-Type: "
                   "application/x-www-form-urlencoded\r\nContent-Length: 20000\r\n\r\n")
                .status,
            413);
  EXPECT_EQ(framed("POST /complaints/new HTTP/1.1\r\nContent-Length: 20000\r\n\r\n").status, 413);
  EXPECT_EQ(framed("POST /complaints/newer HTTP/1.1\r\n" + length).status, 413);
  EXPECT_EQ(framed("POST /track HTTP/1.1\r\n" + length).status, 413);
  EXPECT_EQ(framed("GET /complaints/new HTTP/1.1\r\n" + length).status, 413);
}

// The list import's form takes a department's published list (0.5-3 MB): its path names the
// department, so the upload path names it as a route does (audit H3).
TEST(Framing, AnUploadPathMayNameAnyDepartmentAsTheRouteDoes) {
  FramingLimits limits;
  limits.max_body_bytes = 1000;
  limits.max_upload_body_bytes = 50000;
  limits.upload_paths = {"/admin/departments/:slug/import/preview"};
  const std::string length =
      " HTTP/1.1\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: 20000\r\n\r\n";
  auto framed = [&](const std::string& path) {
    return frameRequest("POST " + path + length, limits);
  };
  EXPECT_EQ(framed("/admin/departments/scjg/import/preview").kind, FrameResult::Kind::NeedMore);
  EXPECT_EQ(framed("/admin/departments/zhzf/import/preview?x=1").kind, FrameResult::Kind::NeedMore);
  for (const char* other :
       {"/admin/departments//import/preview", "/admin/departments/scjg/import",
        "/admin/departments/scjg/import/apply", "/admin/departments/a/b/import/preview",
        "/admin/departments/scjg/import/preview/x", "/admin/departments"}) {
    EXPECT_EQ(framed(other).status, 413) << other;
  }
}
