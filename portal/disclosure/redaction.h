#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace portal::disclosure {

// What kind of personal data a finding looks like.
enum class FindingKind {
  IdNumber,  // 居民身份证号码: 18 characters with a valid GB 11643 check digit (or 15 digits)
  Mobile,    // mainland mobile number, with or without +86 / separators
  Landline,    // fixed-line number with area code (0431-81912345)
  BankCard,    // bank card / account number: 16-19 digits passing the Luhn check
  Address,     // a home address down to the building/room (XX路XX号XX栋XX室, XX小区X单元)
  PersonName,  // a third person's name after a cue word (证人张三, 邻居李娜, 其子刘洋)
  Minor,       // a person's age under 18 (刘洋（15岁）, 男，16周岁)
};

// Chinese label for people: 身份证号码, 手机号码, 固定电话, 银行卡号, 住址, 第三人姓名,
// 未成年人信息.
const char* findingLabel(FindingKind kind);
// Stable code for forms and JSON: id_number, mobile, landline, bank_card, address, person_name,
// minor.
const char* findingCode(FindingKind kind);
// Whether an editor may confirm a finding of this kind as lawful to publish (a company's phone,
// a legal representative's name). Never for Minor: information on minors is not published.
bool findingConfirmable(FindingKind kind);

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
// Pure; never throws on any input, including invalid UTF-8 (each bad byte is skipped as one
// unknown character); time is linear in the input. Thread-safe.
//
// The rules, most certain first (an overlap goes to the earlier kind in this list):
// - Numbers are whole digit runs (ASCII or full-width), never a piece of a longer run or of a
//   code with letters, never followed by 元/万/% or a decimal part. A run after a cue such as
//   编号, 信用代码, 注册号, 证号 (执法证号), 文号, 批号, 单号 in the same clause is never reported.
// - IdNumber: after an identity cue (身份证号, 公民身份号码, 证件号码 ...) any 18 characters (17
//   digits + a digit or X) or 15 digits: a mistyped ID is still a person's ID. Without a cue:
//   17 digits + check digit (0-9, X or x) valid under ISO 7064 MOD 11-2, a province-level
//   region code (11..83) and a real birth date 1900-2099; or 15 digits with a region code and a
//   real YYMMDD. An unlabelled 18-digit run with a region and date but a wrong check digit is
//   reported as nothing (not as an ID, and not as a card even if Luhn passes, unless a bank cue
//   precedes it): it is most likely a code.
// - Mobile: 1[3-9] + 9 digits, optionally +86/86, written whole or 3-4-4 with spaces/hyphens.
// - Landline: area code 0XX/0XXX, then '-', a space or parentheses, then 7-8 digits not
//   starting with 0, optionally an extension (-8001, 转8001, 分机8001). Five-digit service
//   numbers (12345, 12315, 0431-12345) never match.
// - BankCard: 16-19 digits (whole or in groups of four) passing Luhn; after 银行卡/账号/卡号/
//   开户行/账户 in the same clause, any 12-25 digit run.
// - Address: after 住址/家住/现住/户籍地..., or after 住所/住所地/地址 when the party is a person,
//   the place up to its last 号/室/栋/单元/村/组 marker. Without a cue: ...路/街/道/巷 + N号 or
//   ...小区/花园/家园/公寓/新村/苑 followed by building/unit/floor/room parts (4栋501室, 3-2-501).
//   Never after 经营场所/营业地址/单位地址/注册地址/办公地址..., nor after 住所/地址 when the
//   nearest party marker before it in the sentence is an organisation (公司, 店, 厂, 个体工商户
//   ...): an organisation's premises are public.
// - Minor: an age under 18 written N岁 or N周岁 (digits or 一..十七), with a name written right
//   before it in brackets (刘洋（15岁）) taken in. Not a legal threshold: never after 满 (不满
//   十四周岁, 已满16周岁), 足, 于, 过, 至 or a range sign, nor before 以下/以上/以内/至.
// - PersonName: 2-4 Han characters starting with a common surname right after a role (证人,
//   受害人, 举报人, 投诉人, 报案人, 第三人, 法定代表人, 负责人, 联系人, 经办人 ...), a relation
//   to the case (邻居, 群众, 村民, 居民, 业主, 房东, 路人, 乘客, 患者, 学生 ...), or a relation to
//   the party (其妻/其子, 之子/之女, 妻子, 儿子, 父亲, 同事, 亲属 ...) (optionally "：" or ":"),
//   and further names listed with "、". Not when it contains 某, is a title (刘女士, 王经理), a
//   word (证人证言, 负责人陈述), or an officer named with a certificate
//   (经办人王强（执法证号：...）); when the end of the name cannot be told from the following word,
//   nothing is reported.
std::vector<Finding> findPersonalData(std::string_view text);

// Where a finding stands in `text` (the text it was found in), for a message: its sentence, cut
// to at most `chars` characters either side with "…" where it goes on (因油烟扰民，邻居李娜多次
// 投诉。 / …邻居李娜多次投诉，执…). Never throws; a finding outside `text` gives "".
std::string findingContext(std::string_view text, const Finding& f, std::size_t chars = 10);

// The public form of a natural person's name: the surname kept, the rest replaced by 某
// (张三 -> 张某, 张三丰 -> 张某某, 欧阳小明 -> 欧阳某某 for the common compound surnames).
// A compound surname counts only in names of three or more characters (欧阳 -> 欧某). A name
// not starting with a Han character keeps its first character (John Smith -> J某). Surrounding
// spaces are dropped. An empty or already masked name (containing 某) is returned unchanged.
std::string maskPersonName(std::string_view name);

}  // namespace portal::disclosure
