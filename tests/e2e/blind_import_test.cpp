// The blind audits of the list import (tests/data/real-lists/blind3/ to blind6/, see the
// README there): every published list gathered for one, and the .xlsx (merged cells) and GBK
// variants derived from some of them, uploaded through the staff import page as a department would,
// then read back from the public pages. Per file: the number of items a person counts in the source
// table, and a few item names that must appear verbatim on the public item pages.
// Real server, real MariaDB.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "db/connection.h"
#include "portal/http/url.h"
#include "tests/e2e/e2e_support.h"

namespace {

using nlohmann::json;
using portal::http::percentEncode;

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The <li> texts of the first list after `heading` in a page (the import's notes or errors).
std::vector<std::string> listAfter(const std::string& body, const std::string& heading) {
  std::vector<std::string> out;
  const auto at = body.find(heading);
  if (at == std::string::npos) return out;
  const auto end = body.find("</ul>", at);
  for (auto p = body.find("<li>", at); p != std::string::npos && p < end;
       p = body.find("<li>", p + 4)) {
    out.push_back(e2e::unescapeHtml(body.substr(p + 4, body.find("</li>", p) - p - 4)));
  }
  return out;
}

struct BlindFile {
  std::string file;   // under the batch's folder
  int items;          // counted by hand in the source table
  std::string types;  // the items' types as a person reads them: "code:count", codes sorted
  std::vector<std::string> names;  // a few item names, verbatim from the source
  std::string phone = {};           // the 监督电话 the named items' pages show, when the list has one
  std::vector<std::string> preview_says = {};  // texts the preview shows (what was read how)
  std::string sheet = {};  // a sheet the person picks in the preview (empty: as previewed first)
};

// blind3/, counted by hand from each table as published (its README says what each row is).
const std::vector<BlindFile>& blind3Files() {
  static const std::vector<BlindFile> kFiles = {
      // Title and 单位名称 lines, one 行政处罚 row; the type only in the title.
      {"49_linjin-town_power.csv",
       1,
       "cf:1",
       {"对农村居民未经批准或者违反规划的规定建住宅的行政处罚"}},
      // One 涉企行政检查 row headed 检查事项; the type only in the title.
      {"50_yongxiu-forestry_power.csv", 1, "jc:1", {"对森林资源的行政检查"}},
      // One 行政许可 row with 责任事项 per stage (受理/审查/决定/送达/事后监管).
      {"51_liupanshui-civil-affairs_resp.csv",
       1,
       "xk:1",
       {"社会团体登记、变更、注销;民办非企业单位登记、变更、注销"}},
      // One 行政检查 row headed 行政检查事项; the type only in the title.
      {"52_guangxi-hrss_power.csv",
       1,
       "jc:1",
       {"对用人单位等遵守《就业促进法》实施情况的监督检查"}},
      // One row under a two-line header; type cell 行政许可 (2项), code 0100.
      {"53_wenan-weather_power.csv", 1, "xk:1", {"防雷装置设计审核和竣工验收"}},
      // 6 行政许可 + 13 行政处罚 rows; the type cell (with its count) written once per type.
      {"54_tibet-weather_power.csv",
       19,
       "cf:13 xk:6",
       {"除大气本底站、国家基准气候站、基本气象站以外的气象台站迁建审批",
        "重要气象设施建设项目审核", "危害气象设施行为的处罚",
        "违反涉外气象资料管理规定活动的处罚"}},
      // 5 行政许可 rows, the type cell written on the first only.
      {"55_chaoyang-civil-air-defence_power.csv",
       5,
       "xk:5",
       {"民用建筑项目修建防空地下室的许可", "城市地下空间开发利用兼顾人民防空要求的审批"}},
      // 8 行政处罚 rows under count rows (总计78项, 行政许可 共0项, ……, 行政处罚 共31项).
      {"56_xixia-finance_power.csv",
       8,
       "cf:8",
       {"供应商违法行为的处罚", "采购人员与供应商有利害关系而不依法回避的处罚"}},
      // One row of type 公共服务 (not one of the ten types: 其他行政权力 until the person maps it).
      {"57_bishan-water_power.csv", 1, "qt:1", {"安全监管属地备案"}},
      // One row under a two-row header (职权名称 over 项目/子项), 子项 无.
      {"58_panshan-economy_both.csv",
       1,
       "xk:1",
       {"架空电力线路保护区作业活动许可;电力电缆线路保护区作业活动许可"}},
      // Two 行政执法事项 rows; no type column, the type only in the names.
      {"59_jingyu-industry_power.csv",
       2,
       "cf:2",
       {"对单用途预付卡行政处罚", "对零售商供应商行政处罚"}},
      // One 行政强制 row.
      {"60_kekedala-land_both.csv", 1, "qz:1", {"查封用于施工的工具、设备、建筑材料"}},
      // Derived (see the README): merged cells in .xlsx, and GBK-encoded CSV.
      {"derived/54_tibet-weather_power.xlsx",
       19,
       "cf:13 xk:6",
       {"人工影响天气作业组织资格审批", "使用不符合规定气象资料的处罚"}},
      {"derived/55_chaoyang-civil-air-defence_power.xlsx",
       5,
       "xk:5",
       {"缴纳防空地下室易地建设费审批"}},
      {"derived/58_panshan-economy_both.xlsx",
       1,
       "xk:1",
       {"架空电力线路保护区作业活动许可;电力电缆线路保护区作业活动许可"}},
      {"derived/49_linjin-town_power.gbk.csv",
       1,
       "cf:1",
       {"对农村居民未经批准或者违反规划的规定建住宅的行政处罚"}},
      {"derived/56_xixia-finance_power.gbk.csv",
       8,
       "cf:8",
       {"采购人、采购代理机构政府采购违法行为的处罚"}},
  };
  return kFiles;
}

// blind4/, counted by hand from each table as published (its README says what each row is).
const std::vector<BlindFile>& blind4Files() {
  static const std::vector<BlindFile> kFiles = {
      // Title and section line; the name column headed 赋权事项名称, no type column: the name
      // and the 赋权范围 say 行政处罚.
      {"61_qijiang-town-enforcement_power.csv",
       1,
       "cf:1",
       {"对天然气用户无正当理由拒绝入户安全检查的行政处罚"}},
      // A 公共服务清单: type cell 依申请类 (not one of the ten types: 其他行政权力 until the
      // person maps it), basis headed 办理依据, a phone number under 监督方式.
      {"62_xiangshan-justice_service.csv", 1, "qt:1", {"法律咨询援助"}, "0561-3195537"},
      // A 总目录 with no header row as stored: number, name, type; 3 行政许可 + 10 行政处罚.
      {"63_maanshan-market_power.csv",
       13,
       "cf:10 xk:3",
       {"企业登记", "合伙企业设立、变更、注销登记", "对侵犯他人商业秘密的处罚",
        "对零售商供应商不公平交易、零售商不规范促销行为的处罚"}},
      // Derived (see the README): the same cells as .xlsx (title merged across) and GBK CSV.
      {"derived/63_maanshan-market_power.xlsx",
       13,
       "cf:10 xk:3",
       {"新闻媒体广告发布登记", "对不正当有奖销售的处罚"}},
      {"derived/63_maanshan-market_power.gbk.csv", 13, "cf:10 xk:3", {"企业登记"}},
  };
  return kFiles;
}

// blind5/, counted by hand from each table as published (its README says what each row is).
const std::vector<BlindFile>& blind5Files() {
  static const std::vector<BlindFile> kFiles = {
      // A 事项总表: 总序号 and a per-type number (类别及序号) on every item row; the types only in
      // section rows (一、行政许可 | 0) whose count stands in the name column (项目名称及数量).
      {"64_shijiazhuang-xinhua-audit_power.csv",
       20,
       "cf:2 qt:16 qz:2",
       {"对被审计单位拒绝、阻碍审计监督检查行为的处罚", "通知财政部门和有关部门暂停拨付款项权",
        "财政审计监督", "查询被审计单位及被审计单位以个人名义在金融机构的账户存款权"}},
      // A list as published on the page: one numbered line per item (1. / 1、) under section
      // lines naming the type (一、行政许可(共7项)); no table, no header.
      {"65_hunan-earthquake_power.csv",
       19,
       "cf:12 xk:7",
       {"建设工程抗震设防要求审批", "省外单位来湘从事地震安全性评价工作备案",
        "破坏典型地震遗址、遗迹", "地震安全性评价单位超越资质许可的范围承揽地震安全性评价业务"}},
      // 赋权事项 (the name), 责任主体 and 原实施主体 (the county department that held the power).
      {"66_qingshuihe-townships_power.csv",
       4,
       "xk:4",
       {"乡村建设规划许可证核发", "在草原上开展经营性旅游活动的许可"}},
      // Derived (see the README), made after the fix: GBK CSV and .xlsx of 64 (title and count
      // line merged across) and of 65 (one column, as a page's lines pasted into a sheet).
      {"derived/64_shijiazhuang-xinhua-audit_power.gbk.csv",
       20,
       "cf:2 qt:16 qz:2",
       {"违反财务收支行为的处罚"}},
      {"derived/64_shijiazhuang-xinhua-audit_power.xlsx",
       20,
       "cf:2 qt:16 qz:2",
       {"封存有关账册、资料、资产,申请法院冻结存款", "专项审计调查"}},
      {"derived/65_hunan-earthquake_power.gbk.csv",
       19,
       "cf:12 xk:7",
       {"地震安全性评价单位资质核准(丙级)"}},
      {"derived/65_hunan-earthquake_power.xlsx",
       19,
       "cf:12 xk:7",
       {"实施大型爆破作业备案", "在地形变观测环境保护范围内进行振动作业"}},
  };
  return kFiles;
}

// blind6/, counted by hand from each table as published (its README says what each row is).
const std::vector<BlindFile>& blind6Files() {
  static const std::vector<BlindFile> kFiles = {
      // A 涉企行政检查事项清单: 行政检查主体 first, the name headed 行政检查事项, 频次上限 and
      // 标准 columns; the type only in the title.
      {"67_jiayu-education-inspection_power.csv",
       3,
       "jc:3",
       {"对民办初中、小学、幼儿园及非学历教育培训机构的年检", "对学校校车安全进行检查",
        "学校食品安全及食堂管理工作检查"}},
      // A sentence above the table; names headed 检查事项名称, two of them ending in ";".
      {"68_huyi-qinling-forestry-inspection_power.csv",
       3,
       "jc:3",
       {"森林防火监督检查"}},
      // A 镇级政务服务清单: 主项名称 / 子项名称 / 业务办理项名称, the 子项 empty; type 公共服务.
      {"69_fusong-townships_service.csv",
       1,
       "qt:1",
       {"城乡居民养老保险参保登记(困难群体参保登记)"}},
      // Derived (see the README), made after the first import: GBK CSV of 67 and 69, .xlsx of
      // 68 and 69 (title and sentence or count line merged across the table).
      {"derived/67_jiayu-education-inspection_power.gbk.csv", 3, "jc:3", {"对学校校车安全进行检查"}},
      {"derived/68_huyi-qinling-forestry-inspection_power.xlsx",
       3,
       "jc:3",
       {"林业有害生物防治、保护林内有益生物的监督检查;"}},
      {"derived/69_fusong-townships_service.gbk.csv",
       1,
       "qt:1",
       {"城乡居民养老保险参保登记(困难群体参保登记)"}},
      {"derived/69_fusong-townships_service.xlsx",
       1,
       "qt:1",
       {"城乡居民养老保险参保登记(困难群体参保登记)"}},
  };
  return kFiles;
}

// full/ and full/blind/: whole lists as the departments published them (.xls/.xlsx, hundreds of
// rows, see the README's "full" section), counted from the workbooks: every row with a 事项名称
// or 子项名称 is an item row; the types as each row's 权力类型 cell writes them (an empty one
// takes its sheet's type, as the sheet names it).
const std::vector<BlindFile>& fullFiles() {
  static const std::vector<BlindFile> kFiles = {
      // Nine sheets, one per type (行政许可（11项）, 行政处罚（254项）, …), under one header.
      // The 行政征收（ 1 项） sheet's rows 2-3 (the same item at the region's and the counties'
      // level) are hidden in the workbook: Excel shows its one item, row 4 (311 before the
      // .xls's hidden rows were read).
      {"70_karamay-agriculture_both.xls",
       310,
       "cf:254 cj:1 jc:17 jl:2 qr:1 qt:3 qz:21 xk:10 zs:1",
       {"种畜禽生产经营许可", "农村土地承包经营纠纷仲裁",
        "对农业机械（产品、维修、作业）质量投诉纠纷的调解", "对生猪屠宰活动的监督检查"},
       "",
       {"全部 9 个工作表（按事项类型分表）", "工作簿按事项类型分为 9 个工作表",
        "2 个隐藏行未导入"}},
      // Five sheets, one per type, each under its own title (…指导目录（行政检查类）).
      {"71_karamay-civil-defence_both.xlsx",
       18,
       "cf:5 jc:3 qt:5 xk:4 zs:1",
       {"对人民防空工程维护管理的监督检查", "拆除人民防空工程的审批", "人防工程平时使用费的征收",
        "安装防空警报设施"}},
      // 327 rows; 子项 rows repeat the 事项名称 and leave 序号 empty.
      {"73_karamay-housing_both.xls",
       327,
       "cf:280 jc:14 qt:14 xk:19",
       {"建设工程消防设计审查", "商品房预售许可"},
       "",
       {"按“追责情形”列导入，“追责对象范围”列未导入"}},
      // 778 sheet rows, 360 items: every item's cells merged down over its duty rows.
      {"74_karamay-transport_both.xlsx",
       360,
       "cf:270 cj:1 jc:21 jl:2 qr:6 qt:20 qz:24 xk:16",
       {"道路旅客运输经营许可", "对船舶、浮动设施、船员和通航安全环境的检查"}},
      // The second batch (fulllists2 session); see the README's "full/, second batch" section.
      // 消防: an .xls named .xlsx; 职权类型/项目 columns, two title rows, 26 columns.
      {"76_karamay-fire_both.xlsx",
       75,
       "cf:68 qz:6 xk:1",
       {"公众聚集场所投入使用营业前消防安全检查", "对其他可能严重威胁公共安全的火灾隐患的行政强制",
        "出具虚假文件的处罚", "对转包、分包消防技术服务项目的处罚"},
       "",
       {"“状态”列写作“实施”的 75 行按“有效”导入。",
        "事项编码“650200207CF49000”在第 24 行、第 26 行用于名称不同的 2 个事项"}},
      // 发改委: 857 merged areas, an empty row under some items.
      {"78_karamay-development-reform_both.xls",
       57,
       "cf:24 jc:21 jl:2 qt:5 qz:2 xk:3",
       {"企业投资建设的固定资产投资项目核准",
        "对价格监测工作取得突出成绩的单位和个人给予表彰和奖励"}},
      // 商务局: sheet named 1, 责任事项依据…备注 written twice in the header: the first copy
      // (columns L-O) is hidden in the workbook, the visible one is read.
      {"79_karamay-commerce_both.xlsx",
       21,
       "cf:13 jc:2 qt:4 xk:2",
       {"成品油零售经营许可", "对外劳务合作经营资格核准"},
       "",
       {"L、M、N、O 列（第 12、13、14、15 列）在 Excel 中是隐藏的，其内容未导入。"}},
      // 宣传部: one item; 实施层级/及权限 holds the level and the duty in one cell.
      {"80_karamay-publicity_both.xlsx",
       1,
       "xk:1",
       {"企业从事包装装潢印刷品和其他印刷品印刷经营活动的审批"}},
      // 机关事务管理局: a 部门名称 line above the header.
      {"82_karamay-government-offices_both.xls",
       10,
       "jc:4 jl:1 qr:1 qt:4",
       {"公共机构节能监督检查", "市本级行政事业单位国有资产管理"}},
      // 林草: one sheet per level (地州级, 区县级), not per type: the first as previewed, the
      // second as picked.
      {"83_karamay-forestry_both.xls",
       149,
       "cf:88 jc:12 jf:2 jl:7 qr:3 qt:2 qz:12 xk:22 zs:1",
       {"权限内林草种子生产经营许可证的核发"}},
      {"83_karamay-forestry_both.xls",
       161,
       "cf:91 jc:14 jf:3 jl:7 qr:7 qt:4 qz:12 xk:22 zs:1",
       {"对机动车辆离开道路在草原上行驶的备案"},
       "",
       {},
       "区县级"},
      // 档案局: 169 merged areas.
      {"84_karamay-archives_both.xlsx",
       12,
       "cf:1 jc:1 jl:1 qt:9",
       {"对提前或延期向档案馆移交档案的批准"}},
      // 财政局: an .xls named .xlsx; 附件 line and title above the header, 行使主体 before
      // 实施依据.
      {"86_karamay-finance_both.xlsx",
       19,
       "cf:9 cj:1 jc:3 qr:1 qt:3 xk:2",
       {"对执行财政法规情况以及财政、财务管理事项的检查",
        "交易场所设立审核、变更事项审批及变更事项备案"}},
  };
  return kFiles;
}

const std::vector<BlindFile>& fullBlindFiles() {
  static const std::vector<BlindFile> kFiles = {
      // Four items; rows 4 and 6 hold only the 追责对象范围/追责情形 of the item above.
      {"72_karamay-science_both.xls",
       4,
       "cf:1 qr:2 qt:1",
       {"对违反科技成果管理规定行为的处罚", "技术合同认定登记", "自治区级科技企业孵化器初审",
        "自治区科学技术奖组织提名"}},
  };
  return kFiles;
}

// full/blind2/ (fulllists2 session): imported once, untuned, before the importer was changed for
// the second batch; counted from the workbooks as above.
const std::vector<BlindFile>& fullBlind2Files() {
  static const std::vector<BlindFile> kFiles = {
      {"75_karamay-statistics_both.xlsx", 3, "cf:2 jc:1", {}},
      {"77_karamay-hrss_both.xls", 108, "cf:76 jc:14 qt:2 qz:2 xk:14", {"人力资源服务许可审批"}},
      {"81_karamay-culture-tourism_both.xlsx",
       301,
       "cf:256 jc:6 jf:1 jl:3 qr:10 qt:5 qz:3 xk:17",
       {"建设工程文物保护许可", "对擅自从事信息网络传播视听节目服务的处罚"}},
      {"85_karamay-ecology_both.xls",
       217,
       "cf:185 jc:2 jl:1 qr:1 qt:4 qz:15 xk:9",
       {"一般建设项目环境影响评价审批"}},
  };
  return kFiles;
}

// Every item of a department, through the public API's pages of 100.
json allItems(e2e::RunningPortal& portal, const std::string& slug) {
  json all = json::array();
  for (int page = 1;; ++page) {
    auto listed = portal.client().Get(
        ("/api/v1/departments/" + slug + "/items?page_size=100&page=" + std::to_string(page))
            .c_str());
    if (!listed || listed->status != 200) break;
    const json items = json::parse(listed->body)["items"];
    for (const auto& i : items) all.push_back(i);
    if (items.size() < 100) break;
  }
  return all;
}

// Uploads every file of `batch` (a folder of tests/data/real-lists) to a department of its own,
// applies it, and checks the items against the hand counts and names.
void importEveryFile(const std::string& batch, const std::vector<BlindFile>& files) {
  test_support::TestDatabase database;
  portal::Config config = e2e::testConfig(database.options());
  config.server.max_request_bytes = 4 << 20;
  e2e::RunningPortal portal(config);
  std::string admin_name = batch + "_admin";
  std::replace(admin_name.begin(), admin_name.end(), '/', '_');
  e2e::createStaff(portal, admin_name, "admin");
  e2e::StaffBrowser admin(portal);
  ASSERT_EQ(admin.login(admin_name), 303);
  db::Connection conn(database.options());

  const std::regex kSummary("读出 (\\d+) 行事项(?:，其中 (\\d+) 行有误)?。新增 (\\d+) 项");
  int n = 0;
  int total_items = 0;
  int total_rows = 0;
  int total_refused = 0;
  for (const auto& f : files) {
    SCOPED_TRACE(f.file);
    total_items += f.items;
    std::string slug = batch + "f" + std::to_string(++n);
    std::replace(slug.begin(), slug.end(), '/', '-');
    conn.execute(
        "INSERT INTO departments (slug, name, short_name, description, main_duties, "
        "complaint_scope, hotline_phone, complaint_email, postal_address, office_hours) VALUES ('" +
        slug + "', '盲测部门" + std::to_string(n) + "', '盲测" + std::to_string(n) +
        "', '', '', '', '', '', '', '')");
    const std::string bytes = readFile(std::string(REAL_LISTS_DIR) + "/" + batch + "/" + f.file);
    ASSERT_FALSE(bytes.empty());
    const std::string filename = f.file.substr(f.file.rfind('/') + 1);
    admin.get("/admin/departments/" + slug + "/import");
    const auto started = std::chrono::steady_clock::now();
    auto page = admin.postMultipart("/admin/departments/" + slug + "/import/preview",
                                    {{"file", bytes, filename, "application/octet-stream"},
                                     {"reason", "导入已公布的清单", "", ""},
                                     {"mode", "whole", "", ""}});
    ASSERT_TRUE(page);
    if (!f.sheet.empty() && page->status == 200) {
      // The person picks another sheet in the preview's sheet picker.
      page = admin.postMultipart(
          "/admin/departments/" + slug + "/import/preview",
          {{"import_token", e2e::hiddenValue(page->body, "import_token"), "", ""},
           {"choices_json", e2e::hiddenValue(page->body, "choices_json"), "", ""},
           {"previewed_sheet", e2e::hiddenValue(page->body, "previewed_sheet"), "", ""},
           {"sheet", f.sheet, "", ""},
           {"reason", "导入已公布的清单", "", ""},
           {"mode", "whole", "", ""}});
      ASSERT_TRUE(page);
    }
    const double preview_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    EXPECT_EQ(page->status, 200);
    std::smatch m;
    if (page->status != 200 || !std::regex_search(page->body, m, kSummary)) {
      // A file the import cannot read at all is refused as a whole: every row refused.
      std::cout << f.file << ": whole file refused (" << f.items << " items), status "
                << page->status << "\n";
      for (const auto& e : listAfter(page->body, "以下各行有误"))
        std::cout << "  误：" << e << "\n";
      ADD_FAILURE() << "whole file refused";
      total_refused += f.items;
      continue;
    }
    const int rows = std::stoi(m[1].str());
    const int refused = m[2].matched ? std::stoi(m[2].str()) : 0;
    total_rows += rows;
    total_refused += refused;
    std::cout << f.file << ": " << rows << " rows read, " << refused << " refused, " << m[3].str()
              << " to create (expected " << f.items << ")\n";
    for (const auto& e : listAfter(page->body, "以下各行有误")) std::cout << "  误：" << e << "\n";
    for (const auto& note : listAfter(page->body, "导入时的理解")) {
      std::cout << "  注：" << note << "\n";
    }
    for (const auto& text : f.preview_says) {
      EXPECT_NE(e2e::unescapeHtml(page->body).find(text), std::string::npos) << text;
    }
    EXPECT_EQ(refused, 0);
    EXPECT_EQ(rows, f.items);
    EXPECT_EQ(std::stoi(m[3].str()), f.items);

    const auto apply_started = std::chrono::steady_clock::now();
    auto done = admin.post(
        "/admin/departments/" + slug + "/import/apply",
        "import_token=" + percentEncode(e2e::hiddenValue(page->body, "import_token")) +
            "&choices_json=" + percentEncode(e2e::hiddenValue(page->body, "choices_json")) +
            "&mode=whole&reason=" + percentEncode("导入已公布的清单"));
    ASSERT_TRUE(done);
    std::cout
        << f.file << ": preview " << preview_s << " s, apply "
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - apply_started).count()
        << " s (" << bytes.size() << " bytes)\n";
    if (refused == 0) {
      EXPECT_EQ(done->status, 200) << done->body;
      EXPECT_NE(done->body.find("已导入"), std::string::npos);
    }

    const json items = allItems(portal, slug);
    EXPECT_EQ(static_cast<int>(items.size()), f.items);
    std::map<std::string, int> by_type;
    for (const auto& i : items) {
      ++by_type[i["type"].get<std::string>()];
      std::cout << "  项：" << i["type"].get<std::string>() << " " << i["name"].get<std::string>()
                << "\n";
    }
    std::string types;
    for (const auto& [code, count] : by_type) {
      types += (types.empty() ? "" : " ") + code + ":" + std::to_string(count);
    }
    EXPECT_EQ(types, f.types);
    for (const auto& name : f.names) {
      std::string code;
      for (const auto& i : items) {
        if (i["name"] == name) code = i["code"].get<std::string>();
      }
      EXPECT_FALSE(code.empty()) << "no item named " << name << " in " << items.dump();
      if (code.empty()) continue;
      auto shown = portal.client().Get(("/items/" + slug + "/" + percentEncode(code)).c_str());
      ASSERT_TRUE(shown);
      EXPECT_EQ(shown->status, 200);
      EXPECT_NE(shown->body.find(name), std::string::npos) << name;
      if (!f.phone.empty()) {
        EXPECT_NE(shown->body.find(f.phone), std::string::npos) << name;
      }
    }
  }
  std::cout << batch << ": " << total_items << " items counted, " << total_rows << " rows read, "
            << total_refused << " refused\n";
}

TEST(Blind3Import, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("blind3", blind3Files());
}

// Imported once before the importer was changed: 2 of 15 items went in (63 has no header row).
TEST(Blind4Import, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("blind4", blind4Files());
}

// Imported once before the importer was changed: 20 of 43 items read right (65 refused whole,
// the section rows of 64 imported as items); see the README's blind5 section.
TEST(Blind5Import, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("blind5", blind5Files());
}

// Whole published lists (full/, tune): see the README's "full" section for the first import.
TEST(FullListImport, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("full", fullFiles());
}

// full/blind/: imported once before the importer was changed and once after, never tuned on.
TEST(FullListBlindImport, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("full/blind", fullBlindFiles());
}

// full/blind2/: see fullBlind2Files.
TEST(FullListBlind2Import, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("full/blind2", fullBlind2Files());
}

// Imported once before the importer was changed; see the README's blind6 section.
TEST(Blind6Import, EveryPublishedItemGoesInAndIsShownByName) {
  importEveryFile("blind6", blind6Files());
}

}  // namespace
