#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace portal::disclosure {

// What kind of personal data a finding looks like.
enum class FindingKind {
  IdNumber,    // 居民身份证号码: 18 characters with a valid GB 11643 check digit (or 15 digits)
  Mobile,      // mainland mobile number, with or without +86 / separators
  Landline,    // fixed-line number with area code (0431-81912345)
  BankCard,    // bank card / account number: 16-19 digits passing the Luhn check
  Address,     // a home address down to the building/room (XX路XX号XX栋XX室, XX小区X单元)
  PersonName,  // a third person's name after a cue word (证人张三, 法定代表人：李四)
};

// Chinese label for people: 身份证号码, 手机号码, 固定电话, 银行卡号, 住址, 第三人姓名.
const char* findingLabel(FindingKind kind);
// Stable code for forms and JSON: id_number, mobile, landline, bank_card, address, person_name.
const char* findingCode(FindingKind kind);

// One place in a text that looks like personal data which may not be published.
struct Finding {
  FindingKind kind;
  std::size_t offset = 0;  // byte offset into the UTF-8 text
  std::size_t length = 0;  // bytes
  std::string text;        // the matched text itself
};

// Finds personal data in `text` (UTF-8). Ordered by offset, non-overlapping. Must not raise
// false alarms on legal citations (第一百二十二条, 第2款), decision numbers (长新综执罚决字
// 〔2026〕第0012号), amounts, dates, unified social credit codes (统一社会信用代码, 18 chars
// with letters), or organisation addresses introduced as 经营场所/住所 of a company.
// Pure; never throws on any input, including invalid UTF-8.
std::vector<Finding> findPersonalData(std::string_view text);

// The public form of a natural person's name: the surname kept, the rest replaced by 某
// (张三 -> 张某, 张三丰 -> 张某某, 欧阳小明 -> 欧阳某某 for the common compound surnames).
// An empty or already masked name is returned unchanged.
std::string maskPersonName(std::string_view name);

}  // namespace portal::disclosure
