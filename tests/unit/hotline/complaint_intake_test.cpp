#include <gtest/gtest.h>

#include <functional>

#include <thread>

#include "hotline/tracking_code.h"
#include "hotline/registration_number.h"
#include "hotline_fixture.h"

namespace hotline {
namespace {

using testing_support::HotlineTest;

class IntakeTest : public HotlineTest {};

TEST_F(IntakeTest, WebSubmissionIsRegisteredWithNumberCodeAndExplainedDeadlines) {
  IntakeResult result = service_->submit(request());
  ASSERT_TRUE(result.ok());
  const Registration& r = *result.registration;
  EXPECT_EQ(r.registration_no, "TS-2025-000001");
  EXPECT_FALSE(r.replayed);
  EXPECT_EQ(r.received_at, "2025-09-26 10:00:00");
  ASSERT_EQ(r.tracking_code.size(), 8u);
  for (char c : r.tracking_code) {
    EXPECT_NE(TrackingCode::kAlphabet.find(c), std::string_view::npos) << r.tracking_code;
  }
  // Received Friday 2025-09-26: due 2025-10-10 across the National Day holiday.
  EXPECT_EQ(r.ack_deadline.due.toString(), "2025-10-10");
  EXPECT_FALSE(r.ack_deadline.provisional);
  EXPECT_NE(r.ack_deadline.summary.find("国庆节"), std::string::npos) << r.ack_deadline.summary;
  EXPECT_EQ(r.handling_deadline.working_days, 20);

  const Complaint c = stored(r.complaint_id);
  EXPECT_EQ(c.state, ComplaintState::Received);
  EXPECT_EQ(c.channel, Channel::Web);
  EXPECT_EQ(c.ack_due.toString(), "2025-10-10");
  EXPECT_EQ(c.complainant_name, "张三");
  EXPECT_EQ(c.complainant_phone, "138****5678") << "staff views are masked";
  EXPECT_EQ(service_->revealPhone(r.complaint_id, supervisor()), "13812345678")
      << "stored normalised";
  EXPECT_EQ(
      scalar("SELECT COUNT(*) AS n FROM complaints WHERE tracking_code_hash LIKE "
             "'kh1$%' AND tracking_code_hash NOT LIKE '%" +
             r.tracking_code + "%' AND tracking_code_sealed NOT LIKE '%" + r.tracking_code + "%'"),
      1);
  EXPECT_EQ(eventCount(r.complaint_id), 2) << "registered + phone_revealed";
}

TEST_F(IntakeTest, PhoneEntryRecordsTheOperatorAndAnonymousIsAllowed) {
  IntakeRequest r = request(std::nullopt);
  r.channel = Channel::Phone;
  r.complainant_name = "";
  r.complainant_phone = "";
  r.operator_account = "jiexian07";
  const Registration reg = submitOk(r);
  const auto detail = service_->detail(reg.complaint_id, supervisor());
  ASSERT_TRUE(detail);
  EXPECT_EQ(detail->complaint.operator_account, "jiexian07");
  EXPECT_EQ(detail->complaint.channel, Channel::Phone);
  EXPECT_FALSE(detail->complaint.department_id) << "不确定: for the legal office to assign";
  EXPECT_FALSE(detail->complaint.complainant_name);
  EXPECT_FALSE(detail->complaint.complainant_phone);
  ASSERT_EQ(detail->events.size(), 1u);
  EXPECT_EQ(detail->events[0].actor, "jiexian07");
}

TEST_F(IntakeTest, HtmlIsStoredVerbatimAsText) {
  IntakeRequest r = request();
  r.description = "<script>alert('x')</script> &amp; <b>噪声</b>";
  r.location = "<img src=x onerror=alert(1)>";
  const Registration reg = submitOk(r);
  const Complaint c = stored(reg.complaint_id);
  EXPECT_EQ(c.description, r.description);
  EXPECT_EQ(c.location, r.location);
}

TEST_F(IntakeTest, ExactlyFiveThousandCharactersAreAcceptedCountedInCharacters) {
  IntakeRequest r = request();
  r.description.clear();
  for (int i = 0; i < 5000; ++i) r.description += "𠮷";  // 4 bytes each: 20000 bytes
  const Registration reg = submitOk(r);
  EXPECT_EQ(stored(reg.complaint_id).description, r.description);
}

struct InvalidCase {
  const char* label;
  std::function<void(IntakeRequest&)> spoil;
  std::vector<std::string> fields;  // every field reported, in order
  const char* message_part;         // in the first message
};

std::ostream& operator<<(std::ostream& out, const InvalidCase& c) { return out << c.label; }

class IntakeValidationTest : public HotlineTest,
                             public ::testing::WithParamInterface<InvalidCase> {};

TEST_P(IntakeValidationTest, RefusesWithChineseMessagesAndWritesNothing) {
  const InvalidCase& c = GetParam();
  IntakeRequest r = request();
  c.spoil(r);
  const IntakeResult result = service_->submit(r);
  EXPECT_FALSE(result.ok());
  EXPECT_FALSE(result.registration);
  std::vector<std::string> fields;
  for (const FieldError& e : result.errors) fields.push_back(e.field);
  EXPECT_EQ(fields, c.fields);
  ASSERT_FALSE(result.errors.empty());
  EXPECT_NE(result.errors.front().message.find(c.message_part), std::string::npos)
      << result.errors.front().message;
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaint_events"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM registration_sequences WHERE last_number > 0"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaint_attachments"), 0);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

AttachmentEntry photo(const std::string& name = "IMG_0012.jpg") {
  return {name, "photo", "夜间施工现场照片"};
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, IntakeValidationTest,
    ::testing::Values(InvalidCase{"MissingDescription",
                                  [](IntakeRequest& r) { r.description = ""; },
                                  {"description"},
                                  "请填写投诉举报内容"},
                      InvalidCase{"BlankDescription",
                                  [](IntakeRequest& r) { r.description = " \n\u3000 "; },
                                  {"description"},
                                  "请填写"},
                      InvalidCase{"HundredKilobyteDescription",
                                  [](IntakeRequest& r) { r.description = repeat("噪", 34134); },
                                  {"description"},
                                  "不能超过5000字（现为34134字）"},
                      InvalidCase{"FiveThousandAndOne",
                                  [](IntakeRequest& r) { r.description = repeat("a", 5001); },
                                  {"description"},
                                  "5000"},
                      InvalidCase{"BrokenUtf8",
                                  [](IntakeRequest& r) { r.description = "abc\xC3"; },
                                  {"description"},
                                  "无效"},
                      InvalidCase{"MissingCategory",
                                  [](IntakeRequest& r) { r.category = ""; },
                                  {"category"},
                                  "请选择投诉类别"},
                      InvalidCase{"UnknownCategory",
                                  [](IntakeRequest& r) { r.category = "ufo"; },
                                  {"category"},
                                  "不存在"},
                      InvalidCase{"UnknownDepartment",
                                  [](IntakeRequest& r) { r.department_id = 999; },
                                  {"department_id"},
                                  "部门不存在"},
                      InvalidCase{"ShortPhone",
                                  [](IntakeRequest& r) { r.complainant_phone = "12345"; },
                                  {"complainant_phone"},
                                  "联系电话格式不正确"},
                      InvalidCase{"LandlineWithoutAreaCode",
                                  [](IntakeRequest& r) { r.complainant_phone = "81912345"; },
                                  {"complainant_phone"},
                                  "区号"},
                      InvalidCase{
                          "ForeignPhone",
                          [](IntakeRequest& r) { r.complainant_phone = "+44 20 7946 0958"; },
                          {"complainant_phone"},
                          "联系电话"},
                      InvalidCase{"LongLocation",
                                  [](IntakeRequest& r) { r.location = repeat("路", 201); },
                                  {"location"},
                                  "发生地点不能超过200字"},
                      InvalidCase{"LongName",
                                  [](IntakeRequest& r) { r.complainant_name = repeat("张", 51); },
                                  {"complainant_name"},
                                  "姓名"},
                      InvalidCase{"PhoneCallWithoutOperator",
                                  [](IntakeRequest& r) { r.channel = Channel::Phone; },
                                  {"operator_account"},
                                  "登记人"},
                      InvalidCase{"MissingIdempotencyKey",
                                  [](IntakeRequest& r) { r.idempotency_key = ""; },
                                  {"idempotency_key"},
                                  "刷新页面"},
                      InvalidCase{"LatitudeWithoutLongitude",
                                  [](IntakeRequest& r) { r.latitude = 43.9; },
                                  {"location"},
                                  "经纬度"},
                      InvalidCase{"SixAttachments",
                                  [](IntakeRequest& r) { r.attachments.assign(6, photo()); },
                                  {"attachments"},
                                  "附件说明最多填写5项（现为6项）"},
                      InvalidCase{"AttachmentNameOver100Characters",
                                  [](IntakeRequest& r) {
                                    r.attachments = {photo(), photo(repeat("照", 101))};
                                  },
                                  {"attachment_2_name"},
                                  "第2项附件的文件名称不能超过100字（现为101字）"},
                      InvalidCase{"AttachmentDescriptionOver200Characters",
                                  [](IntakeRequest& r) {
                                    r.attachments = {{"a.pdf", "document", repeat("说", 201)}};
                                  },
                                  {"attachment_1_description"},
                                  "第1项附件的说明不能超过200字（现为201字）"},
                      InvalidCase{"UnknownAttachmentKind",
                                  [](IntakeRequest& r) {
                                    r.attachments = {{"a.exe", "executable", ""}};
                                  },
                                  {"attachment_1_kind"},
                                  "类型无效，只能是照片、视频、录音、文档或其他"},
                      InvalidCase{"AttachmentWithoutKind",
                                  [](IntakeRequest& r) {
                                    r.attachments = {{"a.jpg", " ", ""}};
                                  },
                                  {"attachment_1_kind"},
                                  "请选择第1项附件的类型"},
                      InvalidCase{"AttachmentDescribedButUnnamed",
                                  [](IntakeRequest& r) {
                                    r.attachments = {{}, {}, {"\u3000", "video", "行车视频"}};
                                  },
                                  {"attachment_3_name"},
                                  "请填写第3项附件的文件名称"},
                      InvalidCase{"AttachmentNameBrokenUtf8",
                                  [](IntakeRequest& r) {
                                    r.attachments = {{"abc\xC3", "photo", ""}};
                                  },
                                  {"attachment_1_name"},
                                  "无效的字符编码"},
                      InvalidCase{"EverythingWrongAtOnce",
                                  [](IntakeRequest& r) {
                                    r.description = "";
                                    r.category = "";
                                    r.complainant_phone = "abc";
                                    r.department_id = 999;
                                  },
                                  // in the form's order, for the summary above it
                                  {"department_id", "category", "description", "complainant_phone"},
                                  "所选部门不存在"}),
    [](const auto& info) { return std::string(info.param.label); });

TEST_F(IntakeTest, AttachmentsAreStoredWithTheComplaintInOrderAndBlankRowsSkipped) {
  IntakeRequest r = request();
  r.attachments = {{"", "", ""},
                   {" IMG_0012.jpg ", "照片", "<b>工地</b>夜间施工照片"},
                   {"", "video", "  "},  // an untouched form row with a kind chosen
                   {"录音1.m4a", "audio", ""},
                   {repeat("档", 100), "document", repeat("说", 200)}};
  const Registration reg = submitOk(r);
  ASSERT_EQ(reg.attachments.size(), 3u);
  EXPECT_EQ(reg.attachments[0].file_name, "IMG_0012.jpg") << "trimmed";
  EXPECT_EQ(reg.attachments[0].kind, AttachmentKind::Photo) << "the Chinese name is accepted";

  const auto detail = service_->detail(reg.complaint_id, handler(1));
  ASSERT_TRUE(detail);
  ASSERT_EQ(detail->attachments.size(), 3u);
  EXPECT_EQ(detail->attachments[0].description, "<b>工地</b>夜间施工照片") << "HTML is text";
  EXPECT_EQ(detail->attachments[1].file_name, "录音1.m4a");
  EXPECT_EQ(detail->attachments[1].kind, AttachmentKind::Audio);
  EXPECT_EQ(detail->attachments[1].description, "");
  EXPECT_EQ(detail->attachments[2].kind, AttachmentKind::Document);
  EXPECT_EQ(detail->attachments[2].file_name, repeat("档", 100)) << "100 characters fit";
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaint_attachments WHERE complaint_id = " +
                   std::to_string(reg.complaint_id) + " AND ordinal BETWEEN 1 AND 3"),
            3);

  const auto tracked = service_->track(reg.registration_no, reg.tracking_code);
  ASSERT_TRUE(tracked);
  EXPECT_EQ(tracked->attachment_count, 3) << "the public sees a count, never the names";

  const Registration none = submitOk(request());
  EXPECT_TRUE(none.attachments.empty());
  EXPECT_EQ(service_->track(none.registration_no, none.tracking_code)->attachment_count, 0);
}

TEST_F(IntakeTest, FiveAttachmentsAreAcceptedAndARetryReturnsTheFirstOnesUnchanged) {
  IntakeRequest r = request();
  for (int i = 1; i <= 5; ++i) r.attachments.push_back(photo("IMG_" + std::to_string(i) + ".jpg"));
  const Registration first = submitOk(r);
  ASSERT_EQ(first.attachments.size(), 5u);

  const Registration again = submitOk(r);
  EXPECT_TRUE(again.replayed);
  ASSERT_EQ(again.attachments.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(again.attachments[i].file_name, first.attachments[i].file_name);
    EXPECT_EQ(again.attachments[i].kind, first.attachments[i].kind);
    EXPECT_EQ(again.attachments[i].description, first.attachments[i].description);
  }
  // The same key with other attachments is another submission: refused, nothing revealed.
  r.attachments = {{"另一个文件.pdf", "document", "重试时改动的附件说明"}};
  const IntakeResult changed = service_->submit(r);
  EXPECT_TRUE(changed.idempotency_conflict);
  EXPECT_FALSE(changed.registration);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaint_attachments"), 5) << "nothing written";
}

TEST_F(IntakeTest, ARetriedSubmissionReturnsTheSameComplaintAndCodeWithoutWriting) {
  IntakeRequest r = request();
  const Registration first = submitOk(r);
  setNow("2025-09-26 10:00:07");
  r.description = "  " + r.description + "\u3000";  // the same text, as a browser may resend it
  const Registration again = submitOk(r);
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.complaint_id, first.complaint_id);
  EXPECT_EQ(again.registration_no, first.registration_no);
  EXPECT_EQ(again.tracking_code, first.tracking_code);
  EXPECT_EQ(again.received_at, first.received_at);
  EXPECT_EQ(again.ack_deadline.due, first.ack_deadline.due);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaint_events"), 1);
  EXPECT_EQ(submitOk(request()).registration_no, "TS-2025-000002") << "no number was used";
}

// Regression (issue 18): an idempotency key replayed with a different body returned the
// first complaint's tracking code, though the code is shown only once.
TEST_F(IntakeTest, AKeyReusedWithAnotherBodyIsAConflictThatRevealsNothing) {
  IntakeRequest r = request();
  const Registration first = submitOk(r);
  for (auto change : std::vector<std::function<void(IntakeRequest&)>>{
           [](IntakeRequest& q) { q.description = "另一件事：占道经营"; },
           [](IntakeRequest& q) { q.complainant_phone = "13900001111"; },
           [](IntakeRequest& q) { q.department_id = std::nullopt; },
           [](IntakeRequest& q) { q.location = "别处"; }}) {
    IntakeRequest other = request();
    other.idempotency_key = r.idempotency_key;
    change(other);
    const IntakeResult result = service_->submit(other);
    EXPECT_TRUE(result.idempotency_conflict);
    EXPECT_FALSE(result.registration);
    EXPECT_TRUE(result.errors.empty());
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), 1);
  EXPECT_EQ(submitOk(r).tracking_code, first.tracking_code) << "the real retry still works";
}

TEST(RegistrationNumber, WhatPeopleTypeIsNormalisedForLookups) {
  EXPECT_EQ(normalizeRegistrationNo("ts-2026-000001"), "TS-2026-000001");
  EXPECT_EQ(normalizeRegistrationNo(" TS-2026-000001 "), "TS-2026-000001");
  EXPECT_EQ(normalizeRegistrationNo("ＴＳ－２０２６－０００００１"), "TS-2026-000001");
  EXPECT_EQ(normalizeRegistrationNo("TS 2026 000001"), "TS2026000001");
  EXPECT_EQ(normalizeRegistrationNo("\u3000ts\u20142026\u2013000001\t"), "TS-2026-000001");
  EXPECT_EQ(normalizeRegistrationNo("投诉TS-1"), "投诉TS-1");
}

TEST_F(IntakeTest, ConcurrentDoubleClicksCreateOneComplaint) {
  const IntakeRequest r = request();
  std::vector<std::string> numbers(6);
  std::vector<std::string> codes(6);
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&, i] {
      IntakeResult result = service_->submit(r);
      if (result.ok()) {
        numbers[i] = result.registration->registration_no;
        codes[i] = result.registration->tracking_code;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(numbers[i], "TS-2025-000001");
    EXPECT_EQ(codes[i], codes[0]);
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) AS n FROM complaints"), 1);
  EXPECT_EQ(scalar("SELECT last_number AS n FROM registration_sequences"), 1);
}

TEST_F(IntakeTest, ReferenceListsForForms) {
  const auto categories = service_->categories();
  ASSERT_EQ(categories.size(), 13u);
  EXPECT_EQ(categories.front().name, "市容环境");
  EXPECT_EQ(categories.back().code, "other");
  EXPECT_EQ(service_->rejectReasons().size(), 6u);
  EXPECT_EQ(service_->departments().size(), 3u);
}

}  // namespace
}  // namespace hotline
