#include "portal/http/multipart.h"

#include <gtest/gtest.h>

namespace {

using portal::http::parseMultipart;

TEST(Multipart, ParsesFieldsAndAFileWithCrlfInside) {
  const std::string body =
      "--XyZ\r\nContent-Disposition: form-data; name=\"reason\"\r\n\r\n依据新法调整\r\n"
      "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"清单.csv\"\r\n"
      "Content-Type: text/csv\r\n\r\n事项编码,事项名称\r\nA-1,甲\r\n\r\n--XyZ--\r\n";
  auto parts = parseMultipart("multipart/form-data; boundary=XyZ", body);
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "reason");
  EXPECT_EQ((*parts)[0].content, "依据新法调整");
  EXPECT_EQ((*parts)[1].name, "file");
  EXPECT_EQ((*parts)[1].filename, "清单.csv");
  EXPECT_EQ((*parts)[1].content, "事项编码,事项名称\r\nA-1,甲\r\n");
}

TEST(Multipart, QuotedBoundaryAndEmptyForm) {
  auto parts = parseMultipart("multipart/form-data; boundary=\"a b\"", "--a b--\r\n");
  ASSERT_TRUE(parts);
  EXPECT_TRUE(parts->empty());
}

TEST(Multipart, TypeAndParameterNamesInAnyCase) {
  auto parts = parseMultipart("Multipart/Form-Data;\tBoundary=XyZ",
                              "--XyZ\r\ncontent-disposition: form-data; Name=\"a\"; "
                              "FileName=\"b.txt\"\r\n\r\nx\r\n--XyZ--\r\n");
  ASSERT_TRUE(parts);
  ASSERT_EQ(parts->size(), 1u);
  EXPECT_EQ((*parts)[0].name, "a");
  EXPECT_EQ((*parts)[0].filename, "b.txt");
}

TEST(Multipart, RefusesMalformedBodies) {
  for (const char* body :
       {"", "no delimiter", "--XyZ\r\nno header end",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nnever closed"}) {
    EXPECT_FALSE(parseMultipart("multipart/form-data; boundary=XyZ", body)) << body;
  }
  EXPECT_FALSE(parseMultipart("application/x-www-form-urlencoded", "a=1"));
  EXPECT_FALSE(parseMultipart("multipart/form-data", "--x--"));
}

}  // namespace
