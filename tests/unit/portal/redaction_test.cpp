#include "portal/disclosure/redaction.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace {

using portal::disclosure::Finding;
using portal::disclosure::findingCode;
using portal::disclosure::findingConfirmable;
using portal::disclosure::findingContext;
using portal::disclosure::FindingKind;
using portal::disclosure::findingLabel;
using portal::disclosure::findPersonalData;
using portal::disclosure::maskPersonName;

// One row: a text, and the single finding it must produce (kind and matched text), or none.
struct Row {
  const char* text;
  std::optional<FindingKind> kind;
  const char* match;
};

std::string describe(const std::vector<Finding>& fs) {
  std::string s;
  for (const auto& f : fs) s += std::string("[") + findingCode(f.kind) + " " + f.text + "] ";
  return s;
}

void expectRow(const Row& row) {
  const std::string text = row.text;
  const auto fs = findPersonalData(text);
  if (!row.kind) {
    EXPECT_TRUE(fs.empty()) << text << " -> " << describe(fs);
    return;
  }
  ASSERT_EQ(fs.size(), 1u) << text << " -> " << describe(fs);
  EXPECT_EQ(fs[0].kind, *row.kind) << text << " -> " << describe(fs);
  EXPECT_EQ(fs[0].text, row.match) << text;
  EXPECT_EQ(text.substr(fs[0].offset, fs[0].length), fs[0].text) << text;
}

constexpr auto kId = FindingKind::IdNumber;
constexpr auto kMobile = FindingKind::Mobile;
constexpr auto kLandline = FindingKind::Landline;
constexpr auto kCard = FindingKind::BankCard;
constexpr auto kAddress = FindingKind::Address;
constexpr auto kName = FindingKind::PersonName;
constexpr auto kMinor = FindingKind::Minor;
constexpr std::optional<FindingKind> kNone = std::nullopt;

// Check digits below were computed independently (ISO 7064 MOD 11-2, weights 7 9 10 5 8 4 2 1 6 3
// 7 9 10 5 8 4 2; Luhn for cards); IdCheckDigits below recomputes them in the test as well.
const Row kPositives[] = {
    // 居民身份证号码
    {"当事人身份证号码：11010519491231002X。", kId, "11010519491231002X"},  // GB 11643 example
    {"身份证号11010519491231002x，", kId, "11010519491231002x"},
    {"张某（公民身份号码220102199003071235）", kId, "220102199003071235"},
    {"220105198506114326", kId, "220105198506114326"},
    {"身份证：２２０１０２１９９００３０７１２３５。", kId, "２２０１０２１９９００３０７１２３５"},
    {"旧身份证号220102900307123，", kId, "220102900307123"},  // 15 digits, born 1990-03-07
    // Mobile numbers
    {"联系电话13912345678。", kMobile, "13912345678"},
    {"手机：+86 139 1234 5678", kMobile, "+86 139 1234 5678"},
    {"手机86-139-1234-5678", kMobile, "86-139-1234-5678"},
    {"电话139-1234-5678，", kMobile, "139-1234-5678"},
    {"+8615543210987", kMobile, "+8615543210987"},
    {"拨打19812345678后", kMobile, "19812345678"},
    // Landlines
    {"电话0431-81912345。", kLandline, "0431-81912345"},
    {"电话(0431)81912345", kLandline, "(0431)81912345"},
    {"电话（0431）81912345", kLandline, "（0431）81912345"},
    {"010-12345678", kLandline, "010-12345678"},
    {"0431 81912345", kLandline, "0431 81912345"},
    {"0431-81912345-8001", kLandline, "0431-81912345-8001"},
    {"0431-81912345转8001", kLandline, "0431-81912345转8001"},
    // Bank cards
    {"6222021234567890128", kCard, "6222021234567890128"},  // 19 digits, Luhn valid
    {"卡4111111111111111。", kCard, "4111111111111111"},
    {"6222 0212 3456 7890 128", kCard, "6222 0212 3456 7890 128"},
    {"6228-4800-1234-5671", kCard, "6228-4800-1234-5671"},
    {"银行卡号：6222021234567890121", kCard, "6222021234567890121"},  // fails Luhn, cue word
    {"开户行：中国工商银行长春分行，账号：0701234567890123", kCard, "0701234567890123"},
    // Home addresses
    {"家住长春市朝阳区人民大街123号4栋501室，", kAddress, "长春市朝阳区人民大街123号4栋501室"},
    {"当事人在长新区幸福小区3栋2单元501室经营", kAddress, "长新区幸福小区3栋2单元501室"},
    {"阳光花园5号楼1单元302室", kAddress, "阳光花园5号楼1单元302室"},
    {"人民大街123号4栋501室", kAddress, "人民大街123号4栋501室"},
    {"前进路88号3-2-501", kAddress, "前进路88号3-2-501"},
    {"住址：长春市朝阳区人民大街123号，", kAddress, "长春市朝阳区人民大街123号"},
    {"当事人：张某，男，住所：长春市朝阳区红旗街5号", kAddress, "长春市朝阳区红旗街5号"},
    {"家住长新区某某镇东风村三组。", kAddress, "长新区某某镇东风村三组"},
    // Third persons' names after a cue word
    {"证人张三证实", kName, "张三"},
    {"投诉人：王小明称", kName, "王小明"},
    {"法定代表人：欧阳小明，", kName, "欧阳小明"},
    {"其妻李红在场", kName, "李红"},
    {"消费者刘德华购买了", kName, "刘德华"},
    {"举报人: 陈静反映", kName, "陈静"},
    {"受害人孙丽。", kName, "孙丽"},
};

// The outside audit's findings (2026-12) and more of the same kinds. Names and numbers are made
// up; no row is a real person.
const Row kAuditPositives[] = {
    // 1. A private person named by a relation to the case: a neighbour, a bystander, a witness
    {"因噪音扰民，邻居李娜多次投诉。", kName, "李娜"},
    {"群众刘丽华反映当事人占道经营。", kName, "刘丽华"},
    {"经群众刘丽华举报，执法人员到场。", kName, "刘丽华"},
    {"证人王建国证实当事人在此经营。", kName, "王建国"},
    {"证人王建国的证言", kName, "王建国"},
    {"村民赵铁柱称该处夜间施工。", kName, "赵铁柱"},
    {"报案人孙海燕于当日报警。", kName, "孙海燕"},
    {"房东周立新提供了租赁合同。", kName, "周立新"},
    {"业主何佳在现场指认。", kName, "何佳"},
    {"乘客韩冰证实未打表。", kName, "韩冰"},
    {"其妻子徐慧在店内收银。", kName, "徐慧"},
    {"雇员郭小军未取得健康证明。", kName, "郭小军"},
    {"路人唐文目睹了经过。", kName, "唐文"},
    // 2. A minor: an age under 18, with the name written before it
    {"当事人之子刘洋（15岁）在店内销售香烟。", kMinor, "刘洋（15岁）"},
    {"其子刘洋（十五岁）", kMinor, "刘洋（十五岁）"},
    {"购烟者马超（16周岁）系在校学生", kMinor, "马超（16周岁）"},
    {"当事人张某，男，16周岁，", kMinor, "16周岁"},
    {"年仅十五岁的购买者", kMinor, "十五岁"},
    {"购买者为一名14岁学生。", kMinor, "14岁"},
    {"其女（9岁）在店内玩耍", kMinor, "（9岁）"},
    {"向一名１７岁的顾客出售", kMinor, "１７岁"},
    // 3. An ID number after its label, whatever the check digit (the right one here is 5)
    {"当事人身份证号：220102199003071234。", kId, "220102199003071234"},
    {"身份证号码220102199003071236", kId, "220102199003071236"},
    {"公民身份号码：22010219900307123X，", kId, "22010219900307123X"},
    {"证件号码：990102199013071234", kId, "990102199013071234"},  // no such region or month
    {"身份证号：220102901307123。", kId, "220102901307123"},      // 15 digits, month 13
};

const Row kNegatives[] = {
    // Legal citations and decision numbers
    {"依据《中华人民共和国食品安全法》第一百二十二条第一款", kNone, ""},
    {"违反了第三十二条第一款第（二）项的规定", kNone, ""},
    {"第2款", kNone, ""},
    {"长新综执罚决字〔2026〕第0012号", kNone, ""},
    {"长新市监罚〔2026〕15号", kNone, ""},
    {"《中华人民共和国道路交通安全法》第九十条", kNone, ""},
    // Amounts, dates, times, codes
    {"罚款人民币5000元", kNone, ""},
    {"没收违法所得50000.00元", kNone, ""},
    {"罚款1234567890123456元", kNone, ""},
    {"2026年3月5日", kNone, ""},
    {"2026-03-05 14:30", kNone, ""},
    {"14时30分", kNone, ""},
    {"统一社会信用代码：91220101MA0XXXXXXX", kNone, ""},
    {"统一社会信用代码：912201016051234567", kNone, ""},
    {"执法证号：22010012345", kNone, ""},
    {"邮编130000", kNone, ""},
    {"批号13020260305", kNone, ""},
    // Not an ID: wrong check digit (the right one is 5); the first fails Luhn too, the second
    // passes Luhn but has an ID's shape, so it is not taken for a card either
    {"220102199003071234", kNone, ""},
    {"220102199003071231", kNone, ""},
    // Not an ID: 2010-02-29 does not exist (check digit 4 is right for the other 17)
    {"220102201002290014", kNone, ""},
    // Inside longer digit runs
    {"920102199003071235999", kNone, ""},
    {"订单913912345678", kNone, ""},
    {"1391234567890", kNone, ""},
    {"1391234567", kNone, ""},
    {"12345678901", kNone, ""},
    // Service hotlines are not personal
    {"拨打12345政务服务便民热线", kNone, ""},
    {"12315投诉举报电话", kNone, ""},
    {"0431-12345", kNone, ""},
    {"12369环保举报热线", kNone, ""},
    // Random long numbers failing Luhn without a bank cue
    {"6222021234567890121", kNone, ""},
    // A card-like tail of a longer run written in fours is not a card (3456 ... 0000 passes Luhn)
    {"6222 0212 3456 7890 1280 0000", kNone, ""},
    // Organisation premises are public
    {"经营场所：长春市新区前进大街1234号5栋301室", kNone, ""},
    {"当事人：长春市某某商贸有限公司，住所：长春市新区前进大街1234号5栋301室", kNone, ""},
    {"注册地址：长新区幸福小区3栋101室", kNone, ""},
    {"营业地址为前进大街1234号", kNone, ""},
    {"前进大街1234号", kNone, ""},
    {"执法人员在政府3楼会议室", kNone, ""},
    // Names: already masked, or not a name at all
    {"证人证言", kNone, ""},
    {"负责人员", kNone, ""},
    {"证人张某证实", kNone, ""},
    {"举报人李某某称", kNone, ""},
    {"《消费者权益保护法》", kNone, ""},
    {"联系人电话", kNone, ""},
    {"其子女", kNone, ""},
    {"消费者刘女士", kNone, ""},
    {"负责人陈述称", kNone, ""},
    {"员工未经培训", kNone, ""},
    {"负责人于2026年3月5日", kNone, ""},
    // Found by review: safety and product wording that is no person and no minor's age
    {"工人高处作业未系安全带", kNone, ""},
    {"员工高温作业", kNone, ""},
    {"学生于放学后聚集", kNone, ""},
    {"学生高峰时段", kNone, ""},
    {"群众万人次", kNone, ""},
    {"玩具标称适用年龄为3岁", kNone, ""},
    {"该产品标注适合8岁儿童使用", kNone, ""},
    {"游泳馆未对12岁儿童设置防护", kNone, ""},
    {"", kNone, ""},
};

// Ordinary decision wording the wider cues must leave alone. Phrases follow published decisions
// and reports on them, shortened and with names and numbers changed:
//   http://www.beihai.gov.cn/xxgkbm/bhsscjdglj/xzcfxx/t19527081.shtml (market supervision
//     decision: 根据投诉信息 ... 现场未能出示《营业执照》 ... 违法所得682元)
//   https://0shouji.com/wuhuayanzixun/2021121216555.html (接到群众举报 ... 未满18周岁，属于
//     未成年人 ... 向未成年人销售烟)
//   http://ya.gov.cn/ztzl/csjsglxx/cszf/202112/t20211215_1737733.htm (接群众反映 ... 周边群众的
//     休息 ... 小区业主装修)
//   https://dawenxue.cn/fanwen/jueding/140/140343.html (年龄：67岁 ... 1名患者正在接受输液)
//   https://lvyangbo.com/blog/10603.html (统一社会信用代码、住所、法定代表人(负责人) 的写法)
const Row kDecisionWording[] = {
    // Party, officers, premises, codes
    {"当事人：长春新区某某餐饮有限公司，统一社会信用代码：91220101MA0XXXXXXX，住所：长春新区"
     "前进大街1234号。",
     kNone, ""},
    {"执法人员刘强（执法证号：22010012345）、陈明（执法证号：22010012346）到现场检查。", kNone, ""},
    {"经办人王强（执法证号：22010012345）", kNone, ""},
    {"经营者王某某（身份证号码已隐去）", kNone, ""},
    {"根据投诉信息，我局执法人员依法对位于长新区临河街88号的餐饮店进行检查，经营面积150平方米。",
     kNone, ""},
    {"现场未能出示《营业执照》和《食品经营许可证》。", kNone, ""},
    {"事件单号：D101250102000127", kNone, ""},
    {"期间营业总额为682元，违法所得682元。", kNone, ""},
    // Complaints and bystanders without names
    {"接到群众举报，执法人员立即开展专项检查。", kNone, ""},
    {"接群众反映，严重影响周边群众的休息。", kNone, ""},
    {"要求物业加强对小区业主装修问题的管理。", kNone, ""},
    {"居民区内，居民身份证复印件一份，市民群众反映强烈。", kNone, ""},
    {"证人王某某证实", kNone, ""},
    {"邻居李某反映", kNone, ""},
    {"客厅西侧1名患者正在接受输液。", kNone, ""},
    {"吴某之妻不是食品从业人员。", kNone, ""},
    {"行人通行受阻，乘客安全存在隐患。", kNone, ""},
    {"在校学生，未满18周岁，属于未成年人。", kNone, ""},
    // Minors as a subject of the law, and adult ages
    {"当事人向未成年人销售卷烟。", kNone, ""},
    {"不满十四周岁的未成年人有违法行为的，不予行政处罚。", kNone, ""},
    {"已满十四周岁不满十八周岁的未成年人有违法行为的，应当从轻或者减轻行政处罚。", kNone, ""},
    {"适用年龄：3岁以上，3岁以下婴幼儿不宜。", kNone, ""},
    {"12至16岁", kNone, ""},
    {"性别：男，年龄：67岁", kNone, ""},
    {"当事人，男，45岁，", kNone, ""},
    {"压岁钱", kNone, ""},
    // Law, amounts, dates
    {"依据《中华人民共和国未成年人保护法》第一百二十三条，没收违法所得29元，罚款3000元。", kNone,
     ""},
    {"违反了《中华人民共和国食品安全法》第三十五条第一款的规定。", kNone, ""},
    {"2026年3月5日14时30分", kNone, ""},
    // Unlabelled 18-digit runs with a wrong check digit stay quiet (not an ID, maybe a code)
    {"单据220102199003071234", kNone, ""},
};

TEST(Redaction, FindsEachKindOfPersonalData) {
  for (const auto& row : kPositives) expectRow(row);
}

TEST(Redaction, RaisesNoFalseAlarms) {
  for (const auto& row : kNegatives) expectRow(row);
}

// The audit's corpus: what it found missing is reported, and the wider cues and the new kind
// raise no alarm on ordinary decision wording.
TEST(Redaction, TheAuditCorpusIsFoundWithoutFalseAlarms) {
  for (const auto& row : kAuditPositives) expectRow(row);
  for (const auto& row : kDecisionWording) expectRow(row);
}

// A whole decision as an editor would type it: only the neighbour's name, the child and the
// mistyped ID are reported, each once.
TEST(Redaction, AWholeDecisionYieldsExactlyItsPersonalData) {
  const std::string text =
      "当事人：长春新区某某餐饮有限公司，统一社会信用代码：91220101MA0XXXXXXX，住所：长春新区"
      "前进大街1234号。2026年3月5日，接群众反映，执法人员刘强（执法证号：22010012345）到现场"
      "检查，发现当事人在店外占道经营。邻居李娜多次投诉其油烟扰民。当事人之子刘洋（15岁）在店内"
      "帮忙。经营者身份证号：220102199003071234。依据《城市市容和环境卫生管理条例》第三十六条，"
      "罚款人民币伍佰元整。";
  const auto fs = findPersonalData(text);
  ASSERT_EQ(fs.size(), 3u) << describe(fs);
  EXPECT_EQ(fs[0].kind, FindingKind::PersonName);
  EXPECT_EQ(fs[0].text, "李娜");
  EXPECT_EQ(fs[1].kind, FindingKind::Minor);
  EXPECT_EQ(fs[1].text, "刘洋（15岁）");
  EXPECT_EQ(fs[2].kind, FindingKind::IdNumber);
  EXPECT_EQ(fs[2].text, "220102199003071234");
  for (const auto& f : fs) EXPECT_EQ(text.substr(f.offset, f.length), f.text);
}

TEST(Redaction, AMinorCannotBeConfirmedOtherFindingsCan) {
  EXPECT_FALSE(findingConfirmable(FindingKind::Minor));
  EXPECT_TRUE(findingConfirmable(FindingKind::PersonName));
  EXPECT_TRUE(findingConfirmable(FindingKind::IdNumber));
  EXPECT_STREQ(findingLabel(FindingKind::Minor), "未成年人信息");
  EXPECT_STREQ(findingCode(FindingKind::Minor), "minor");
}

TEST(FindingContext, QuotesTheWordsAroundInTheSameSentence) {
  const std::string text = "2026年3月5日，因噪音扰民，邻居李娜多次投诉，执法人员到场。";
  const auto fs = findPersonalData(text);
  ASSERT_EQ(fs.size(), 1u) << describe(fs);
  EXPECT_EQ(findingContext(text, fs[0], 6), "…音扰民，邻居李娜多次投诉，执…");
  EXPECT_EQ(findingContext(text, fs[0], 40), text) << "no … when nothing is left out";
  const std::string sentences = "经责令改正拒不改正。因油烟扰民，邻居李娜多次投诉。执法人员到场。";
  const auto ss = findPersonalData(sentences);
  ASSERT_EQ(ss.size(), 1u) << describe(ss);
  EXPECT_EQ(findingContext(sentences, ss[0]), "因油烟扰民，邻居李娜多次投诉。") << "its sentence";
  const std::string lines = "第一行\n证人王建国证实\n第三行";
  const auto gs = findPersonalData(lines);
  ASSERT_EQ(gs.size(), 1u) << describe(gs);
  EXPECT_EQ(findingContext(lines, gs[0]), "证人王建国证实") << "stops at the line's ends";
  EXPECT_EQ(findingContext("短", Finding{FindingKind::PersonName, 5, 3, "x"}), "");
  const std::string bad = "\xff邻居李娜\xfe";
  const auto hs = findPersonalData(bad);
  ASSERT_EQ(hs.size(), 1u);
  EXPECT_EQ(findingContext(bad, hs[0]), bad);
}

TEST(Redaction, IdCheckDigitsDecide) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int found = 0;
  for (int year = 1950; year <= 2010; year += 7) {
    for (int seq = 100; seq < 1000; seq += 97) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "220104%04d%02d%02d%03d", year, 1 + year % 12, 1 + seq % 28,
                    seq);
      const std::string d17 = buf;
      int sum = 0;
      for (int i = 0; i < 17; ++i) sum += (d17[i] - '0') * kWeights[i];
      const char check = "10X98765432"[sum % 11];
      const auto fs = findPersonalData("身份证号" + d17 + check + "。");
      ASSERT_EQ(fs.size(), 1u) << d17 << check;
      EXPECT_EQ(fs[0].kind, FindingKind::IdNumber);
      EXPECT_EQ(fs[0].text, d17 + check);
      ++found;
      const char wrong = check == '0' ? '1' : '0';
      for (const auto& f : findPersonalData(d17 + wrong)) {
        EXPECT_NE(f.kind, FindingKind::IdNumber) << d17 << wrong;
      }
    }
  }
  EXPECT_GT(found, 50);
}

TEST(Redaction, ReportsSeveralFindingsInOrderWithByteOffsets) {
  const std::string text =
      "证人张三（身份证号220102199003071235，电话13912345678）家住幸福小区3栋2单元501室。";
  const auto fs = findPersonalData(text);
  ASSERT_EQ(fs.size(), 4u) << describe(fs);
  EXPECT_EQ(fs[0].kind, FindingKind::PersonName);
  EXPECT_EQ(fs[0].text, "张三");
  EXPECT_EQ(fs[1].kind, FindingKind::IdNumber);
  EXPECT_EQ(fs[2].kind, FindingKind::Mobile);
  EXPECT_EQ(fs[3].kind, FindingKind::Address);
  EXPECT_EQ(fs[3].text, "幸福小区3栋2单元501室");
  for (const auto& f : fs) EXPECT_EQ(text.substr(f.offset, f.length), f.text);
  EXPECT_EQ(fs[0].offset, std::string("证人").size());
}

TEST(Redaction, ListsSeveralNamesAfterOneCue) {
  const auto fs = findPersonalData("员工赵六、孙七均未取得健康证明");
  ASSERT_EQ(fs.size(), 2u) << describe(fs);
  EXPECT_EQ(fs[0].text, "赵六");
  EXPECT_EQ(fs[1].text, "孙七");
}

TEST(Redaction, SurvivesInvalidUtf8) {
  const std::string text =
      std::string("\xff\xfe证人张三") + "\xe5\xbc" + " 13912345678 " + "\xed\xa0\x80" + "\xc3";
  const auto fs = findPersonalData(text);
  ASSERT_EQ(fs.size(), 2u) << describe(fs);
  EXPECT_EQ(fs[0].text, "张三");
  EXPECT_EQ(fs[1].text, "13912345678");
  for (const auto& f : fs) EXPECT_EQ(text.substr(f.offset, f.length), f.text);
  for (const char* garbage : {"\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\xe5", "(0", "（", "１",
                              "0431-", "+", "证人", "家住", "小区3栋"}) {
    EXPECT_NO_THROW(findPersonalData(garbage)) << garbage;
  }
}

TEST(Redaction, FinishesOnAMegabyteAndFindsWhatWasPlanted) {
  const std::string filler =
      "依据《中华人民共和国食品安全法》第一百二十二条第一款，长新综执罚决字〔2026〕第0012号，"
      "罚款人民币50000.00元，2026年3月5日作出，统一社会信用代码91220101MA0XXXXXXX，"
      "邮编130000，咨询12345热线。\n";
  std::string text;
  int planted = 0;
  while (text.size() < (1u << 20)) {
    text += filler;
    if (text.size() / filler.size() % 500 == 0) {
      text +=
          "证人张三证实，身份证号220102199003071235，电话13912345678，"
          "家住幸福小区3栋2单元501室。\n";
      planted += 4;
    }
  }
  text += std::string(20000, '7') + " " + std::string(20000, '-') + std::string(5000, ' ');
  const auto fs = findPersonalData(text);
  EXPECT_GT(planted, 0);
  ASSERT_EQ(fs.size(), static_cast<std::size_t>(planted));
  for (std::size_t i = 0; i < fs.size(); i += 4) {
    EXPECT_EQ(fs[i].text, "张三");
    EXPECT_EQ(fs[i + 1].text, "220102199003071235");
    EXPECT_EQ(fs[i + 2].text, "13912345678");
    EXPECT_EQ(fs[i + 3].text, "幸福小区3栋2单元501室");
  }
}

TEST(Redaction, LabelsAndCodes) {
  EXPECT_STREQ(findingLabel(FindingKind::IdNumber), "身份证号码");
  EXPECT_STREQ(findingLabel(FindingKind::Address), "住址");
  EXPECT_STREQ(findingLabel(FindingKind::PersonName), "第三人姓名");
  EXPECT_STREQ(findingCode(FindingKind::BankCard), "bank_card");
  EXPECT_STREQ(findingCode(FindingKind::Landline), "landline");
}

TEST(MaskPersonName, KeepsTheSurname) {
  const std::pair<const char*, const char*> cases[] = {
      {"张三", "张某"},
      {"张三丰", "张某某"},
      {"欧阳小明", "欧阳某某"},
      {"欧阳明", "欧阳某"},
      {"司马光", "司马某"},
      {"诸葛亮", "诸葛某"},
      {"欧阳", "欧某"},
      {"张", "张某"},
      {"张某", "张某"},
      {"李某某", "李某某"},
      {"", ""},
      {"John Smith", "J某"},
      {" 王五 ", "王某"},
      {"上官婉儿", "上官某某"},
      {"阿不都·热合曼", "阿某某"},
  };
  for (const auto& [name, masked] : cases) EXPECT_EQ(maskPersonName(name), masked) << name;
  EXPECT_NO_THROW(maskPersonName("\xff\xfe"));
}

}  // namespace
