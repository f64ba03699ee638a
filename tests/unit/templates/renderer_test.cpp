#include "templates/renderer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/templates-test.XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ + "/" + name) << text;
  }

 private:
  std::string path_;
};

TEST(Renderer, EveryBuiltInTemplateCompilesAndRenders) {
  templates::Renderer r;
  const auto names = r.names();
  for (const char* page : {"home", "department", "item", "complaint_channels", "error",
                           "layout_top", "layout_bottom"}) {
    EXPECT_TRUE(r.has(page)) << page;
  }
  for (const auto& name : names) {
    std::string out;
    EXPECT_NO_THROW(out = r.render(name, {{"site_name", "测试平台"}})) << name;
  }
  EXPECT_NE(r.render("home", {{"site_name", "测试平台"}}).find("<title>"), std::string::npos);
}

TEST(Renderer, BuiltInTemplatesMatchTheSourceFolder) {
  templates::Renderer built_in;
  templates::Renderer from_disk(templates::Options{TEMPLATES_SOURCE_DIR});
  EXPECT_EQ(built_in.names(), from_disk.names());
}

TEST(Renderer, EscapesHtmlInValues) {
  templates::Renderer r;
  const std::string out = r.render("error", {{"status", 404},
                                             {"title", "页面不存在"},
                                             {"message", "<script>alert('x')</script> & \"q\""}});
  EXPECT_EQ(out.find("<script>alert"), std::string::npos);
  EXPECT_NE(out.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; &quot;q&quot;"),
            std::string::npos);
}

TEST(Renderer, ListsSectionsAndPartials) {
  TempDir dir;
  dir.write("page.mustache",
            "{{>part_head}}<ul>{{#items}}<li>{{name}}</li>{{/items}}</ul>"
            "{{^items}}空{{/items}}{{#flag}}是{{/flag}}");
  dir.write("part_head.mustache", "<h1>{{title}}</h1>");
  templates::Renderer r(templates::Options{dir.path()});
  EXPECT_EQ(r.render("page", {{"title", "标题"},
                              {"items", {{{"name", "甲"}}, {{"name", "乙"}}}},
                              {"flag", true}}),
            "<h1>标题</h1><ul><li>甲</li><li>乙</li></ul>是");
  EXPECT_EQ(
      r.render("page", {{"title", "t"}, {"items", nlohmann::json::array()}, {"flag", nullptr}}),
      "<h1>t</h1><ul></ul>空");
}

TEST(Renderer, EmptyStringsAreFalseInSectionsAndRenderAsNothing) {
  TempDir dir;
  dir.write("page.mustache", "[{{#remarks}}备注：{{remarks}}{{/remarks}}{{^remarks}}无{{/remarks}}]");
  templates::Renderer r(templates::Options{dir.path()});
  EXPECT_EQ(r.render("page", {{"remarks", ""}}), "[无]");
  EXPECT_EQ(r.render("page", {{"remarks", "已取消"}}), "[备注：已取消]");
}

TEST(Renderer, RefusesToStartWithABrokenTemplateAndNamesIt) {
  TempDir dir;
  dir.write("fine.mustache", "<p>{{x}}</p>");
  dir.write("broken.mustache", "<p>{{#open}}never closed</p>");
  try {
    templates::Renderer r(templates::Options{dir.path()});
    FAIL() << "a broken template must stop the renderer";
  } catch (const templates::TemplateError& e) {
    EXPECT_NE(std::string(e.what()).find("broken"), std::string::npos) << e.what();
  }
}

TEST(Renderer, DevelopmentFolderIsReadAtEveryRender) {
  TempDir dir;
  dir.write("page.mustache", "v1 {{x}}");
  templates::Renderer r(templates::Options{dir.path()});
  EXPECT_EQ(r.render("page", {{"x", "a"}}), "v1 a");
  dir.write("page.mustache", "v2 {{x}}");
  EXPECT_EQ(r.render("page", {{"x", "a"}}), "v2 a");
}

TEST(Renderer, UnknownTemplateIsAnError) {
  templates::Renderer r;
  EXPECT_THROW(r.render("no_such_page", {}), templates::TemplateError);
}

}  // namespace

namespace {

// A department whose hotline is not filled in (departments are entered outside the demo data)
// gets no empty "tel:" link on the home page, the complaint channels or its own page: a phone
// reader announced an unnamed link there (axe link-name on /departments/{slug}).
TEST(Renderer, ADepartmentWithoutAHotlineGetsNoEmptyPhoneLink) {
  templates::Renderer r;
  const nlohmann::json channels = {{"hotline", ""}, {"email", ""}, {"scope", "测试"}};
  const nlohmann::json department = {{"name", "新区自然资源局"},
                                     {"url", "/departments/zrzy"},
                                     {"complaint_channels", channels}};
  for (const auto& [page, data] :
       std::vector<std::pair<std::string, nlohmann::json>>{
           {"home", {{"site_name", "测试平台"}, {"departments", {department}}}},
           {"complaint_channels", {{"site_name", "测试平台"}, {"departments", {department}}}},
           {"department", {{"site_name", "测试平台"}, {"department", department}}}}) {
    const std::string out = r.render(page, data);
    EXPECT_NE(out.find("新区自然资源局"), std::string::npos) << page;
    EXPECT_EQ(out.find("href=\"tel:\""), std::string::npos) << page;
  }
}

}  // namespace
