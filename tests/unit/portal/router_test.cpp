#include "portal/http/router.h"

#include <gtest/gtest.h>

namespace {

using namespace portal::http;

Router sampleRouter() {
  Router r;
  auto ok = [](const Request&) { return Response::text("ok"); };
  r.add(Route{"GET", "/", "home", ok});
  r.add(Route{"GET", "/departments/:slug", "department", ok});
  r.add(Route{"GET", "/api/v1/departments/:id/items", "items", ok});
  r.add(Route{"POST", "/departments/:slug", "department_post", ok});
  r.add(Route{"GET", "/static/*", "static", ok});
  return r;
}

TEST(Router, MatchesLiteralsParamsAndRest) {
  const Router r = sampleRouter();
  auto m = r.match("GET", "/departments/zhzf");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->name, "department");
  EXPECT_EQ(m.params.at("slug"), "zhzf");
  m = r.match("GET", "/api/v1/departments/7/items");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params.at("id"), "7");
  m = r.match("GET", "/static/css/site.css");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.params.at("*"), "css/site.css");
  EXPECT_EQ(r.match("GET", "/").route->name, "home");
}

TEST(Router, HeadIsAnsweredByGet) {
  const Router r = sampleRouter();
  auto m = r.match("HEAD", "/departments/zhzf");
  ASSERT_TRUE(m.route);
  EXPECT_EQ(m.route->name, "department");
}

TEST(Router, UnknownPathHasNoRouteAndNoAllowedMethods) {
  const Router r = sampleRouter();
  for (const char* path :
       {"/departments", "/departments/", "/departments/a/b", "/nope", "/static/"}) {
    auto m = r.match("GET", path);
    EXPECT_FALSE(m.route) << path;
    EXPECT_TRUE(m.allowed_methods.empty()) << path;
  }
}

TEST(Router, WrongMethodListsTheAllowedOnes) {
  const Router r = sampleRouter();
  auto m = r.match("DELETE", "/departments/zhzf");
  EXPECT_FALSE(m.route);
  EXPECT_EQ(m.allowed_methods, (std::vector<std::string>{"GET", "POST"}));
}

}  // namespace
