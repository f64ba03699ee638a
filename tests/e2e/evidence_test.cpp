// Evidence files on the complaint form (issue 15): photos and PDFs uploaded with a complaint,
// re-encoded without EXIF/GPS, stored with the complaint, shown only to the handling
// department, counted on the tracking page; bad files refused with a Chinese message and
// nothing stored. Against the real server and MariaDB; the test images are made with libvips.
#include <gtest/gtest.h>
#include <vips/vips.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "db/connection.h"
#include "db/pool.h"
#include "portal/accounts/account_service.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

bool contains(const std::string& body, const std::string& text) {
  return body.find(text) != std::string::npos;
}

std::string capture(const std::string& body, const std::string& pattern) {
  std::smatch m;
  if (std::regex_search(body, m, std::regex(pattern))) return m[1];
  return "";
}

void initVips() {
  static bool done = [] { return VIPS_INIT("evidence_test") == 0; }();
  ASSERT_TRUE(done);
}

// A w x h three-band image with some content, encoded by `save` ("jpeg", "png", "heic").
std::string makeImage(int w, int h, const std::string& format) {
  initVips();
  VipsImage* noise = nullptr;
  VipsImage* img = nullptr;
  EXPECT_EQ(vips_gaussnoise(&noise, w, h, "mean", 128.0, "sigma", 40.0, nullptr), 0);
  VipsImage* bands[3] = {noise, noise, noise};
  VipsImage* joined = nullptr;
  EXPECT_EQ(vips_bandjoin(bands, &joined, 3, nullptr), 0);
  EXPECT_EQ(vips_cast_uchar(joined, &img, nullptr), 0);
  void* buf = nullptr;
  size_t len = 0;
  int rc = -1;
  if (format == "jpeg") rc = vips_jpegsave_buffer(img, &buf, &len, "Q", 90, nullptr);
  if (format == "png") rc = vips_pngsave_buffer(img, &buf, &len, nullptr);
  if (format == "heic") {
    rc = vips_heifsave_buffer(img, &buf, &len, "compression", VIPS_FOREIGN_HEIF_COMPRESSION_HEVC,
                              nullptr);
  }
  EXPECT_EQ(rc, 0) << vips_error_buffer();
  std::string out(static_cast<const char*>(buf), len);
  g_free(buf);
  g_object_unref(img);
  g_object_unref(joined);
  g_object_unref(noise);
  return out;
}

void put16(std::string& s, unsigned v) {
  s += static_cast<char>(v & 0xFF);
  s += static_cast<char>((v >> 8) & 0xFF);
}
void put32(std::string& s, unsigned v) {
  put16(s, v & 0xFFFF);
  put16(s, v >> 16);
}
void entry(std::string& s, unsigned tag, unsigned type, unsigned count, unsigned value) {
  put16(s, tag);
  put16(s, type);
  put32(s, count);
  put32(s, value);
}

constexpr const char* kCameraMarker = "EvidenceCam-GPS-Marker";

// `jpeg` with an EXIF block (APP1) naming a camera and a GPS position (43°52'N), as a phone
// writes one.
std::string withExifGps(const std::string& jpeg) {
  std::string t = "II*";
  t += '\0';
  put32(t, 8);
  // IFD0 at 8: Make, GPSInfo pointer.
  put16(t, 2);
  entry(t, 0x010F, 2, 23, 38);  // Make, ASCII, at 38
  entry(t, 0x8825, 4, 1, 62);   // GPS IFD at 62
  put32(t, 0);
  t += kCameraMarker;
  t += '\0';  // 38 + 23 = 61
  t += '\0';  // pad to 62
  // GPS IFD at 62: GPSLatitudeRef "N", GPSLatitude 3 rationals at 92.
  put16(t, 2);
  entry(t, 0x0001, 2, 2, 'N');
  entry(t, 0x0002, 5, 3, 92);
  put32(t, 0);
  for (unsigned v : {43u, 1u, 52u, 1u, 30u, 1u}) put32(t, v);
  const std::string payload = std::string("Exif\0\0", 6) + t;
  std::string app1 = "\xFF\xE1";
  const std::size_t len = payload.size() + 2;
  app1 += static_cast<char>(len >> 8);
  app1 += static_cast<char>(len & 0xFF);
  app1 += payload;
  return jpeg.substr(0, 2) + app1 + jpeg.substr(2);
}

// A small, well-formed PDF with one empty page and a correct cross-reference table.
std::string makePdf() {
  std::string pdf = "%PDF-1.4\n";
  std::vector<std::size_t> offsets;
  const std::vector<std::string> objects = {
      "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>"};
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref = pdf.size();
  pdf += "xref\n0 4\n0000000000 65535 f \n";
  for (std::size_t o : offsets) {
    char line[32];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
    pdf += line;
  }
  pdf += "trailer\n<< /Size 4 /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

bool hasExif(const std::string& image) {
  initVips();
  VipsImage* img = vips_image_new_from_buffer(image.data(), image.size(), "", nullptr);
  if (!img) return false;
  const bool has = vips_image_get_typeof(img, "exif-data") != 0 ||
                   vips_image_get_typeof(img, "exif-ifd3-GPSLatitude") != 0;
  g_object_unref(img);
  return has;
}

std::pair<int, int> dimensions(const std::string& image) {
  initVips();
  VipsImage* img = vips_image_new_from_buffer(image.data(), image.size(), "", nullptr);
  if (!img) return {0, 0};
  const std::pair<int, int> d{vips_image_get_width(img), vips_image_get_height(img)};
  g_object_unref(img);
  return d;
}

long peakRssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
  }
  return 0;
}

class Evidence : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = new test_support::TestDatabase();
    portal::Config c = e2e::testConfig(database_->options());
    c.accounts.hash_cost = portal::accounts::HashCost::Minimum;
    portal_ = new e2e::RunningPortal(c);
    e2e::createStaff(*portal_, "evidence-zhzf", "editor", "zhzf");
    e2e::createStaff(*portal_, "evidence-scjg", "editor", "scjg");
    e2e::createStaff(*portal_, "evidence-legal", "reviewer");
  }
  static void TearDownTestSuite() {
    delete portal_;
    delete database_;
  }

  static std::int64_t count(const std::string& sql) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }
  static std::string departmentId(const std::string& slug) {
    auto conn = portal_->app().pool().acquire();
    db::Rows r = conn->query("SELECT id FROM departments WHERE slug = ?", slug);
    r.next();
    return r.str("id");
  }

  struct File {
    std::string name;
    std::string content;
    std::string type;
  };
  // The public form with the given files, as a browser sends it (multipart, the form's key).
  static httplib::Result submit(const std::vector<File>& files,
                                const std::string& department = "unsure") {
    auto page = portal_->client().Get("/complaints/new");
    EXPECT_TRUE(page);
    const std::string key = capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
    httplib::MultipartFormDataItems items = {
        {"idempotency_key", key, "", ""},
        {"department_id", department, "", ""},
        {"category", "noise", "", ""},
        {"description", "工地夜间施工，附现场照片", "", ""},
        {"location", "新区创新大街88号", "", ""},
        {"complainant_phone", "13812345678", "", ""}};
    for (const File& f : files) items.push_back({"evidence", f.content, f.name, f.type});
    return portal_->client().Post("/complaints/new", items);
  }

  static test_support::TestDatabase* database_;
  static e2e::RunningPortal* portal_;
};
test_support::TestDatabase* Evidence::database_ = nullptr;
e2e::RunningPortal* Evidence::portal_ = nullptr;

TEST_F(Evidence, TheFormTakesFilesAndStatesTheLimitsBeforeUpload) {
  auto r = portal_->client().Get("/complaints/new");
  ASSERT_TRUE(r);
  EXPECT_TRUE(contains(r->body, "enctype=\"multipart/form-data\""));
  EXPECT_TRUE(contains(r->body, "type=\"file\""));
  EXPECT_TRUE(contains(r->body, "最多5个文件，每个不超过10MB"));
  EXPECT_TRUE(contains(r->body, "HEIC"));
  EXPECT_FALSE(contains(r->body, "attachment_1_name")) << "the 15 description fields are gone";
}

TEST_F(Evidence, PhotosLoseTheirGpsAndOnlyTheHandlingDepartmentCanDownloadThem) {
  const std::string photo = withExifGps(makeImage(640, 480, "jpeg"));
  ASSERT_TRUE(hasExif(photo)) << "the upload really carries EXIF GPS";
  ASSERT_TRUE(contains(photo, kCameraMarker));
  const std::string heic = makeImage(64, 48, "heic");
  const std::string pdf = makePdf();
  const std::string zhzf = departmentId("zhzf");

  auto r = submit({{"IMG_0001.JPG", photo, "image/jpeg"},
                   {"IMG_0002.HEIC", heic, "image/heic"},
                   {"合同扫描件.pdf", pdf, "application/pdf"}},
                  zhzf);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  const std::string code = capture(r->body, "class=\"tracking-code\">([^<]+)<");
  EXPECT_TRUE(contains(r->body, "已收到您上传的照片和文件 3 个"));
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_evidence_files e JOIN complaints c ON "
                  "c.id = e.complaint_id WHERE c.registration_no = '" + number + "'"),
            3);

  // The public sees a count, never a name.
  auto tracked = portal_->client().Post(
      "/track", httplib::Params{{"registration_no", number}, {"tracking_code", code}});
  ASSERT_EQ(tracked->status, 200);
  EXPECT_TRUE(contains(tracked->body, "3 个（仅承办部门可以查看）"));
  EXPECT_FALSE(contains(tracked->body, "IMG_0001"));
  EXPECT_FALSE(contains(tracked->body, "/evidence/"));

  e2e::StaffBrowser handler(*portal_);
  ASSERT_EQ(handler.login("evidence-zhzf"), 303);
  auto detail = handler.get("/admin/complaints/" + number);
  ASSERT_EQ(detail->status, 200);
  EXPECT_TRUE(contains(detail->body, "第1个：IMG_0001.JPG"));
  EXPECT_TRUE(contains(detail->body, "合同扫描件.pdf"));
  EXPECT_TRUE(contains(detail->body, "640×480像素"));

  auto jpeg = handler.get("/admin/complaints/" + number + "/evidence/1");
  ASSERT_TRUE(jpeg);
  ASSERT_EQ(jpeg->status, 200);
  EXPECT_EQ(jpeg->get_header_value("Content-Type"), "image/jpeg");
  EXPECT_EQ(jpeg->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + number + "-1.jpg\"");
  EXPECT_EQ(jpeg->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(jpeg->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(jpeg->body.substr(0, 3), "\xFF\xD8\xFF");
  EXPECT_FALSE(hasExif(jpeg->body)) << "no EXIF, no GPS in the stored photo";
  EXPECT_FALSE(contains(jpeg->body, kCameraMarker));
  EXPECT_FALSE(contains(jpeg->body, "Exif"));
  EXPECT_EQ(dimensions(jpeg->body), (std::pair<int, int>{640, 480}));

  auto from_heic = handler.get("/admin/complaints/" + number + "/evidence/2");
  ASSERT_EQ(from_heic->status, 200);
  EXPECT_EQ(from_heic->get_header_value("Content-Type"), "image/jpeg") << "HEIC becomes JPEG";
  EXPECT_EQ(dimensions(from_heic->body), (std::pair<int, int>{64, 48}));

  auto doc = handler.get("/admin/complaints/" + number + "/evidence/3");
  ASSERT_EQ(doc->status, 200);
  EXPECT_EQ(doc->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(doc->body, pdf);
  EXPECT_EQ(handler.get("/admin/complaints/" + number + "/evidence/4")->status, 404);

  // Another department's editor, and nobody signed in, get nothing.
  e2e::StaffBrowser other(*portal_);
  ASSERT_EQ(other.login("evidence-scjg"), 303);
  auto refused = other.get("/admin/complaints/" + number + "/evidence/1");
  EXPECT_EQ(refused->status, 404);
  EXPECT_FALSE(contains(refused->body, "\xFF\xD8\xFF"));
  auto anonymous = portal_->client().Get(("/admin/complaints/" + number + "/evidence/1").c_str());
  EXPECT_EQ(anonymous->status, 303) << "to the login page";

  // The legal office supervises every complaint.
  e2e::StaffBrowser legal(*portal_);
  ASSERT_EQ(legal.login("evidence-legal"), 303);
  EXPECT_EQ(legal.get("/admin/complaints/" + number + "/evidence/1")->status, 200);
}

TEST_F(Evidence, ATransferredComplaintsFilesGoWithItNotWithTheDepartmentThatSentIt) {
  const std::string zhzf = departmentId("zhzf");
  auto r = submit({{"现场.png", makeImage(32, 32, "png"), "image/png"}}, zhzf);
  ASSERT_EQ(r->status, 200) << r->body;
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  e2e::StaffBrowser sender(*portal_);
  ASSERT_EQ(sender.login("evidence-zhzf"), 303);
  auto png = sender.get("/admin/complaints/" + number + "/evidence/1");
  ASSERT_EQ(png->status, 200);
  EXPECT_EQ(png->get_header_value("Content-Type"), "image/png");
  sender.get("/admin/complaints/" + number);
  auto moved = sender.post("/admin/complaints/" + number + "/transfer",
                           "department_id=" + departmentId("scjg") + "&reason=" +
                               portal::http::percentEncode("属市场监管职责"));
  ASSERT_TRUE(moved);
  ASSERT_EQ(moved->status, 303) << moved->body;
  EXPECT_EQ(sender.get("/admin/complaints/" + number + "/evidence/1")->status, 404);
  auto page = sender.get("/admin/complaints/" + number);
  EXPECT_TRUE(contains(page->body, "只有承办部门和法制办可以查看"));
  e2e::StaffBrowser receiver(*portal_);
  ASSERT_EQ(receiver.login("evidence-scjg"), 303);
  EXPECT_EQ(receiver.get("/admin/complaints/" + number + "/evidence/1")->status, 200);
}

// A JPEG whose header declares 60,000 x 60,000 pixels in a file of a few hundred bytes.
std::string jpegBomb() {
  std::string j = makeImage(16, 16, "jpeg");
  const std::size_t sof = j.find("\xFF\xC0");
  EXPECT_NE(sof, std::string::npos);
  for (std::size_t at : {sof + 5, sof + 7}) {  // height, then width, big-endian
    j[at] = static_cast<char>(60000 >> 8);
    j[at + 1] = static_cast<char>(60000 & 0xFF);
  }
  return j;
}

TEST_F(Evidence, BadFilesAreRefusedWithAChineseMessageAndNothingIsStored) {
  const std::string small = makeImage(16, 16, "jpeg");
  std::string zip("PK\x03\x04\x14\x00\x00\x00\x08\x00", 10);
  zip += std::string(200, 'z');
  std::string big = "\xFF\xD8\xFF\xE0";
  big += std::string(50u * 1024 * 1024 - 4, 'a');
  const std::string long_name = std::string(296, 'a') + ".jpg";
  struct Case {
    const char* what;
    std::vector<File> files;
    const char* message;
  };
  const std::vector<Case> cases = {
      {"a 50 MB upload", {{"big.jpg", big, "image/jpeg"}}, "大小为50.0MB，超过每个文件10MB的上限"},
      {"a PNG that is a ZIP", {{"photo.png", zip, "image/png"}}, "实际内容是ZIP压缩包"},
      {"a JPEG bomb", {{"bomb.jpg", jpegBomb(), "image/jpeg"}}, "图片尺寸异常（60000×60000像素"},
      {"six files",
       std::vector<File>(6, File{"a.jpg", small, "image/jpeg"}),
       "最多只能上传5个文件（您选择了6个）"},
      {"a name with ../", {{"../../etc/passwd.jpg", small, "image/jpeg"}}, "路径字符"},
      {"a name of 300 characters", {{long_name, small, "image/jpeg"}}, "文件名过长（300个字符"},
      {"a PDF without its structure", {{"a.pdf", "%PDF-1.4\n" + std::string(100, 'x'), ""}},
       "PDF文档结构不完整"},
      {"a truncated photo", {{"cut.jpg", small.substr(0, small.size() / 2), "image/jpeg"}},
       "已损坏或不是完整的图片"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const auto complaints = count("SELECT COUNT(*) AS n FROM complaints");
    const auto files = count("SELECT COUNT(*) AS n FROM complaint_evidence_files");
    const long rss_before = peakRssKb();
    auto r = submit(c.files);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422);
    EXPECT_TRUE(contains(r->body, c.message)) << r->body.substr(0, 3000);
    EXPECT_TRUE(contains(r->body, "<title>错误：")) << "the title says there is an error";
    EXPECT_TRUE(contains(r->body, "<a href=\"#evidence\">")) << "the summary links to the field";
    EXPECT_TRUE(contains(r->body, "工地夜间施工，附现场照片")) << "what was typed is kept";
    EXPECT_TRUE(contains(r->body, "请改正上面列出的问题后，重新选择要上传的文件"));
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaints"), complaints);
    EXPECT_EQ(count("SELECT COUNT(*) AS n FROM complaint_evidence_files"), files);
    // Client and server share this process: the 50 MB body is held by both. Decoding a
    // 60,000 x 60,000 bomb would need 10 GB.
    const long grown_mb = (peakRssKb() - rss_before) / 1024;
    EXPECT_LT(grown_mb, 400) << "peak memory grew by " << grown_mb << " MB";
  }
}

TEST_F(Evidence, AFieldErrorKeepsEveryInputAndAsksForTheFilesAgain) {
  auto page = portal_->client().Get("/complaints/new");
  const std::string key = capture(page->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  httplib::MultipartFormDataItems items = {
      {"idempotency_key", key, "", ""},
      {"department_id", "unsure", "", ""},
      {"category", "", "", ""},
      {"description", "没有选类别", "", ""},
      {"location", "某街道", "", ""},
      {"complainant_name", "李四", "", ""},
      {"complainant_phone", "13812345678", "", ""},
      {"evidence", makeImage(16, 16, "jpeg"), "a.jpg", "image/jpeg"}};
  auto r = portal_->client().Post("/complaints/new", items);
  ASSERT_EQ(r->status, 422);
  EXPECT_TRUE(contains(r->body, "<a href=\"#category\">请选择投诉类别</a>"));
  EXPECT_TRUE(contains(r->body, "value=\"李四\""));
  EXPECT_TRUE(contains(r->body, "value=\"某街道\""));
  EXPECT_TRUE(contains(r->body, "没有选类别"));
  EXPECT_TRUE(contains(r->body, "重新选择要上传的文件"));
  EXPECT_TRUE(contains(r->body, "<title>错误：我要投诉举报"));
}

}  // namespace

namespace {

TEST_F(Evidence, StaffTakingAPhoneCallCanAttachWhatTheCallerSent) {
  e2e::StaffBrowser staff(*portal_);
  ASSERT_EQ(staff.login("evidence-scjg"), 303);
  auto form = staff.get("/admin/complaints/phone");
  ASSERT_EQ(form->status, 200);
  EXPECT_TRUE(contains(form->body, "type=\"file\""));
  const std::string key = capture(form->body, "name=\"idempotency_key\" value=\"([^\"]+)\"");
  auto r = staff.postMultipart(
      "/admin/complaints/phone",
      {{"idempotency_key", key, "", ""},
       {"department_id", departmentId("scjg"), "", ""},
       {"category", "food_safety", "", ""},
       {"description", "来电人通过微信发来发票照片", "", ""},
       {"evidence", makePdf(), "发票.pdf", "application/pdf"}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_TRUE(contains(r->body, "已收到您上传的照片和文件 1 个"));
  const std::string number = capture(r->body, "class=\"registration-no\">([^<]+)<");
  EXPECT_EQ(staff.get("/admin/complaints/" + number + "/evidence/1")->status, 200);
}

}  // namespace
