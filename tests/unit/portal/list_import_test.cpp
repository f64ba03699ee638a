// Spreadsheet import and export of a department's list, against real MariaDB with the demo data.
#include "portal/publishing/list_import.h"

#include <gtest/gtest.h>
#include <iconv.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "db/pool.h"
#include "hotline/local_clock.h"
#include "portal/demo/demo_data.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/department_list_store.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"
#include "portal/publishing/publishing_service.h"
#include "tests/support/test_database.h"

namespace {

using namespace portal::publishing;

// A spreadsheet the test edits like a person would: by code and column name.
class Sheet {
 public:
  explicit Sheet(const std::string& csv) {
    const auto result = CsvReader().read(csv);
    for (const auto& r : std::get<CsvTable>(result).records) rows_.push_back(r.fields);
  }
  std::size_t column(const std::string& header) const {
    const auto& h = rows_.front();
    return static_cast<std::size_t>(std::find(h.begin(), h.end(), header) - h.begin());
  }
  std::vector<std::string>& row(const std::string& code) {
    for (auto& r : rows_) {
      if (r.front() == code) return r;
    }
    throw std::runtime_error("no row " + code);
  }
  // The spreadsheet row number (the header is row 1).
  int rowNumber(const std::string& code) const {
    for (std::size_t i = 0; i < rows_.size(); ++i) {
      if (rows_[i].front() == code) return static_cast<int>(i) + 1;
    }
    return -1;
  }
  void set(const std::string& code, const std::string& header, const std::string& value) {
    row(code).at(column(header)) = value;
  }
  void remove(const std::string& code) {
    rows_.erase(
        std::find_if(rows_.begin(), rows_.end(), [&](const auto& r) { return r.front() == code; }));
  }
  // A copy of `code`'s row under a new code, appended at the end (row number rows_.size()).
  int copy(const std::string& code, const std::string& new_code) {
    auto r = row(code);
    r.front() = new_code;
    rows_.push_back(r);
    return static_cast<int>(rows_.size());
  }
  void dropColumn(const std::string& header) {
    const std::size_t c = column(header);
    for (auto& r : rows_) r.erase(r.begin() + static_cast<std::ptrdiff_t>(c));
  }
  std::vector<std::vector<std::string>>& rows() { return rows_; }
  std::string csv() const { return writeCsv(rows_); }

 private:
  std::vector<std::vector<std::string>> rows_;
};

std::string toGbk(const std::string& utf8) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  std::string in = utf8;
  std::string out(in.size() * 2, '\0');
  char* ip = in.data();
  char* op = out.data();
  std::size_t il = in.size();
  std::size_t ol = out.size();
  const std::size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) throw std::runtime_error("not representable in GBK");
  out.resize(out.size() - ol);
  return out;
}

ApplyRequest because(const std::string& reason) {
  ApplyRequest r;
  r.reason = reason;
  return r;
}

const ImportChange* findChange(const ImportReport& r, const std::string& code) {
  for (const auto& c : r.changes) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

std::string allErrors(const ImportReport& r) {
  std::string out;
  for (const auto& e : r.errors) out += e.describe() + "\n";
  return out;
}

std::string allNotes(const ImportReport& r) {
  std::string out;
  for (const auto& n : r.notes) out += n + "\n";
  return out;
}

class ListImport : public ::testing::Test {
 protected:
  ListImport() : pool_(tdb_.options()) {
    portal::demo::loadDemoData(pool_);
    zhzf_ = CatalogService(pool_).department("zhzf")->id;
    options_.today = "2026-01-15";
  }

  std::int64_t count(const std::string& sql) {
    auto conn = pool_.acquire();
    db::Rows r = conn->query(sql);
    r.next();
    return r.i64("n");
  }
  std::int64_t versions() { return count("SELECT COUNT(*) AS n FROM list_item_versions"); }
  std::int64_t changeLogRows() { return count("SELECT COUNT(*) AS n FROM search_changes"); }
  ListItem item(const std::string& code, std::int64_t department_id = 0) {
    auto conn = pool_.acquire();
    return *ItemStore(*conn).findByCode(department_id ? department_id : zhzf_, code);
  }
  ImportService service() { return ImportService(pool_, options_); }
  // A department of its own for a test's list, with `name` as its short name too.
  std::int64_t addDepartment(const std::string& slug, const std::string& name) {
    Department d;
    d.slug = slug;
    d.name = name;
    d.short_name = name;
    auto conn = pool_.acquire();
    return DepartmentStore(*conn).insert(d);
  }
  Sheet exported(std::int64_t department_id) { return Sheet(*service().exportCsv(department_id)); }

  test_support::TestDatabase tdb_;
  db::Pool pool_;
  std::int64_t zhzf_ = 0;
  ImportOptions options_;
};

TEST_F(ListImport, ExportOpensInExcelAndReimportingItChangesNothing) {
  for (const auto& d : CatalogService(pool_).departments()) {
    SCOPED_TRACE(d.department.slug);
    const std::string csv = *service().exportCsv(d.department.id);
    EXPECT_EQ(
        csv.rfind("\xEF\xBB\xBF事项编码,事项名称,事项类型,子项,实施主体,行使层级,设定依据,责任事项,"
                  "追责情形,监督电话,备注,状态,生效日期\r\n",
                  0),
        0u);
    const ImportReport preview = service().preview(d.department.id, csv);
    EXPECT_TRUE(preview.ok()) << allErrors(preview);
    EXPECT_EQ(preview.encoding, CsvEncoding::Utf8Bom);
    EXPECT_EQ(preview.changeCount(), 0);
    EXPECT_EQ(preview.unchanged, d.items_total);
    for (const auto& c : preview.changes) {
      EXPECT_FALSE(c.kind) << c.code << " " << c.actionName() << " "
                           << (c.changed_fields.empty() ? "" : c.changed_fields.front());
    }
  }
  const auto before = versions();
  const ImportReport applied =
      service().apply(zhzf_, *service().exportCsv(zhzf_), because("年度核对"));
  EXPECT_TRUE(applied.applied) << allErrors(applied);
  EXPECT_EQ(versions(), before);
}

// Regression: the import date came from the host's localtime_r, so on a UTC host an import
// between 00:00 and 08:00 Beijing time was stamped with yesterday's date.
TEST_F(ListImport, AnImportAtOneInTheMorningBeijingTimeOnAUtcHostGetsTodaysBeijingDate) {
  const char* tz = std::getenv("TZ");
  const std::string saved = tz ? tz : "";
  setenv("TZ", "UTC", 1);
  tzset();
  // 2026-01-15 17:00:00 UTC is 2026-01-16 01:00:00 in Beijing.
  const hotline::LocalClock clock([] {
    return std::chrono::system_clock::time_point(std::chrono::seconds(1768496400));
  });
  ASSERT_EQ(clock.now().text, "2026-01-16 01:00:00");
  options_.today.clear();
  Sheet sheet = exported(zhzf_);
  sheet.copy("CF-ZHZF-0003", "CF-ZHZF-0100");
  sheet.set("CF-ZHZF-0100", "事项名称", "对工地车辆未冲洗上路的行政处罚");
  sheet.set("CF-ZHZF-0100", "生效日期", "");
  const ImportReport applied =
      ImportService(pool_, options_, clock).apply(zhzf_, sheet.csv(), because("新增事项"));
  if (tz) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
  ASSERT_TRUE(applied.applied) << allErrors(applied);
  EXPECT_EQ(item("CF-ZHZF-0100").effective_date, "2026-01-16");
}

TEST_F(ListImport, ACellExcelWouldTakeForAFormulaSurvivesTheRoundTrip) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0001", "备注", "-见附件；=不是公式");
  ASSERT_TRUE(service().apply(zhzf_, sheet.csv(), because("备注更正")).applied);
  EXPECT_EQ(item("CF-ZHZF-0001").remarks, "-见附件；=不是公式");
  const std::string csv = *service().exportCsv(zhzf_);
  EXPECT_NE(csv.find(",'-见附件；=不是公式,"), std::string::npos) << "Excel shows it as text";
  EXPECT_EQ(service().preview(zhzf_, csv).changeCount(), 0) << "and it reads back unchanged";
}

TEST_F(ListImport, PreviewShowsAddChangeAndCancelThenApplyWritesThemAsVersions) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0001", "事项名称", "对擅自设置大型户外广告设施的行政处罚");
  sheet.remove("CF-ZHZF-0002");
  const int new_row = sheet.copy("CF-ZHZF-0003", "CF-ZHZF-0100");
  sheet.set("CF-ZHZF-0100", "事项名称", "对工地车辆未冲洗上路的行政处罚");
  sheet.set("CF-ZHZF-0100", "子项", "车辆带泥上路的；车辆未密闭运输的");
  sheet.set("CF-ZHZF-0100", "生效日期", "");
  const std::string csv = sheet.csv();

  const auto versions_before = versions();
  const auto log_before = changeLogRows();
  const ImportReport preview = service().preview(zhzf_, csv);
  ASSERT_TRUE(preview.ok()) << allErrors(preview);
  EXPECT_EQ(preview.created, 1);
  EXPECT_EQ(preview.amended, 1);
  EXPECT_EQ(preview.cancelled, 1);
  EXPECT_EQ(preview.unchanged, 15);
  const ImportChange* added = findChange(preview, "CF-ZHZF-0100");
  ASSERT_TRUE(added);
  EXPECT_EQ(added->actionName(), "新增");
  EXPECT_EQ(added->row, new_row);
  const ImportChange* changed = findChange(preview, "CF-ZHZF-0001");
  ASSERT_TRUE(changed);
  EXPECT_EQ(changed->actionName(), "变更");
  EXPECT_EQ(changed->row, sheet.rowNumber("CF-ZHZF-0001"));
  EXPECT_EQ(changed->changed_fields, std::vector<std::string>{"事项名称"});
  const ImportChange* cancelled = findChange(preview, "CF-ZHZF-0002");
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(cancelled->actionName(), "取消");
  EXPECT_TRUE(cancelled->missing_from_file);
  EXPECT_EQ(versions(), versions_before) << "a preview writes nothing";

  std::vector<std::size_t> progress;
  ApplyRequest request = because("依据2026年清单调整方案更新");
  request.legal_trigger = "《城市市容和环境卫生管理条例》修订";
  request.progress = [&](std::size_t done, std::size_t total) {
    progress.push_back(done);
    EXPECT_EQ(total, 18u);
  };
  const ImportReport applied = service().apply(zhzf_, csv, request);
  ASSERT_TRUE(applied.applied) << allErrors(applied);
  EXPECT_EQ(progress.size(), 18u);
  EXPECT_EQ(progress.back(), 18u);
  EXPECT_EQ(versions(), versions_before + 3);
  EXPECT_EQ(changeLogRows(), log_before + 3);

  const ListItem amended = item("CF-ZHZF-0001");
  EXPECT_EQ(amended.version, 2);
  EXPECT_EQ(amended.name, "对擅自设置大型户外广告设施的行政处罚");
  EXPECT_EQ(amended.change_kind, ChangeKind::Amend);
  EXPECT_EQ(amended.change_reason, "依据2026年清单调整方案更新");
  EXPECT_EQ(amended.legal_trigger, "《城市市容和环境卫生管理条例》修订");
  EXPECT_EQ(amended.effective_date, "2024-03-01") << "an empty date cell keeps the date";
  const ListItem gone = item("CF-ZHZF-0002");
  EXPECT_EQ(gone.status, ItemStatus::Cancelled);
  EXPECT_EQ(gone.change_kind, ChangeKind::Cancel);
  EXPECT_EQ(gone.effective_date, "2026-01-15");
  const ListItem created = item("CF-ZHZF-0100");
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(created.department_id, zhzf_);
  EXPECT_EQ(created.sub_items, (std::vector<std::string>{"车辆带泥上路的", "车辆未密闭运输的"}));
  EXPECT_EQ(created.legal_bases.size(), item("CF-ZHZF-0003").legal_bases.size());
  EXPECT_EQ(created.effective_date, "2026-01-15");

  const ImportReport again = service().preview(zhzf_, csv);
  EXPECT_TRUE(again.ok()) << allErrors(again);
  EXPECT_EQ(again.changeCount(), 0) << "the same file a second time changes nothing";
}

TEST_F(ListImport, WrongRowsAreListedWithRowNumbersAndNothingIsApplied) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0001", "事项名称", "一个本应生效的合法变更");
  sheet.set("CF-ZHZF-0006", "生效日期", "明年");
  const int dup_row = sheet.copy("CF-ZHZF-0007", "CF-ZHZF-0007");
  const int bad_code_row = sheet.copy("CF-ZHZF-0009", "CF/ZHZF/0009");
  const std::string csv = sheet.csv();

  struct Expected {
    int row;
    std::string contains;
  };
  const auto row = [&](const std::string& code) { return sheet.rowNumber(code); };
  const Expected expected[] = {
      {row("CF-ZHZF-0006"), "生效日期“明年”无法识别"},
      {dup_row, "事项编码 CF-ZHZF-0007 与第 " + std::to_string(row("CF-ZHZF-0007")) + " 行重复"},
      {bad_code_row, "只能由字母、数字"},
  };

  const auto versions_before = versions();
  const auto items_before = count("SELECT COUNT(*) AS n FROM list_items");
  const auto log_before = changeLogRows();
  for (const ImportReport& report :
       {service().preview(zhzf_, csv), service().apply(zhzf_, csv, because("年度调整"))}) {
    EXPECT_FALSE(report.ok());
    EXPECT_FALSE(report.applied);
    EXPECT_EQ(report.errors.size(), std::size(expected)) << allErrors(report);
    for (const auto& e : expected) {
      const bool found = std::any_of(report.errors.begin(), report.errors.end(), [&](auto& got) {
        return got.row == e.row && got.message.find(e.contains) != std::string::npos;
      });
      EXPECT_TRUE(found) << "row " << e.row << ": " << e.contains << "\n" << allErrors(report);
    }
    EXPECT_TRUE(findChange(report, "CF-ZHZF-0001")) << "the valid rows are still previewed";
  }
  EXPECT_EQ(versions(), versions_before);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM list_items"), items_before);
  EXPECT_EQ(changeLogRows(), log_before);
  EXPECT_EQ(item("CF-ZHZF-0001").version, 1);
}

TEST_F(ListImport, ErrorMessagesNameTheRowAndTheCode) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0003", "生效日期", "明年");
  const ImportReport report = service().preview(zhzf_, sheet.csv());
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors.front().describe(),
            "第 " + std::to_string(sheet.rowNumber("CF-ZHZF-0003")) +
                " 行（事项编码 CF-ZHZF-0003，文件第 53 行）：生效日期“明年”无法识别，请写成 "
                "2024-03-01 的形式。");
}

// A list split into one sheet per type (tests/data/real-lists/full/70_*, 克拉玛依市农业农村局's
// nine sheets): the row numbers repeat from sheet to sheet, so each change and error names its
// sheet.
TEST_F(ListImport, RowsOfAListSplitOverSheetsNameTheirSheet) {
  std::ifstream in(std::string(REAL_LISTS_DIR) + "/full/70_karamay-agriculture_both.xls",
                   std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  const ImportReport report = service().preview(zhzf_, bytes.str());
  EXPECT_TRUE(report.ok()) << allErrors(report);
  // 311 rows hold items; the 行政征收 sheet's rows 2-3 are hidden in the workbook (its records
  // say so), so Excel shows 310, and 310 are imported.
  EXPECT_EQ(report.item_rows, 310);
  EXPECT_EQ(report.sheets_imported.size(), 9u);
  bool found = false;
  for (const auto& c : report.changes) {
    if (c.name == "农村土地承包经营纠纷仲裁") {
      found = true;
      EXPECT_EQ(c.sheet, "行政裁决（1项）");
      EXPECT_EQ(c.row, 2);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ((ImportError{5, 0, "", "这一行没有事项名称。", "行政处罚（254项）"}).describe(),
            "工作表“行政处罚（254项）”第 5 行：这一行没有事项名称。");
}

TEST_F(ListImport, FileLevelProblemsRefuseTheWholeFile) {
  Sheet no_name = exported(zhzf_);
  no_name.dropColumn("事项名称");
  Sheet header_only = exported(zhzf_);
  header_only.rows().resize(1);
  const struct {
    const char* name;
    std::string csv;
    const char* contains;
  } cases[] = {
      {"no name column", no_name.csv(), "找不到表头"},
      {"header only", header_only.csv(), "没有任何事项"},
      {"unbalanced quote", "事项编码,事项名称\r\n\"CF-1,名称\r\n", "第 2 行：以引号开始的单元格"},
      {"not a CSV", std::string("PK\x03\x04", 4), ".xlsx"},
  };
  const auto before = versions();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const ImportReport report = service().apply(zhzf_, c.csv, because("年度调整"));
    ASSERT_EQ(report.errors.size(), 1u) << allErrors(report);
    EXPECT_EQ(report.errors.front().row, 0);
    EXPECT_NE(report.errors.front().message.find(c.contains), std::string::npos)
        << report.errors.front().message;
    EXPECT_TRUE(report.changes.empty());
  }
  EXPECT_EQ(versions(), before);
  const ImportReport unknown = service().preview(999999, exported(zhzf_).csv());
  ASSERT_EQ(unknown.errors.size(), 1u);
  EXPECT_EQ(unknown.errors.front().message, "所选部门不存在。");
  EXPECT_FALSE(service().exportCsv(999999));
}

TEST_F(ListImport, ApplyNeedsAReason) {
  const ImportReport report = service().apply(zhzf_, *service().exportCsv(zhzf_), because(" "));
  EXPECT_FALSE(report.applied);
  ASSERT_EQ(report.errors.size(), 1u);
  EXPECT_EQ(report.errors.front().message, "请填写本次导入的变更理由。");
}

TEST_F(ListImport, GbkFileFromChineseExcelImports) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0001", "事项名称", "对擅自设置大型户外广告设施的行政处罚");
  std::string utf8 = sheet.csv();
  utf8.erase(0, 3);  // Excel's plain "CSV" on Chinese Windows: GBK, no BOM
  const std::string gbk = toGbk(utf8);
  ASSERT_NE(gbk, utf8);

  const ImportReport preview = service().preview(zhzf_, gbk);
  ASSERT_TRUE(preview.ok()) << allErrors(preview);
  EXPECT_EQ(preview.encoding, CsvEncoding::Gbk);
  EXPECT_EQ(preview.changeCount(), 1);
  const ImportReport applied = service().apply(zhzf_, gbk, because("更正事项名称"));
  ASSERT_TRUE(applied.applied) << allErrors(applied);
  EXPECT_EQ(item("CF-ZHZF-0001").name, "对擅自设置大型户外广告设施的行政处罚");

  const ImportReport plain_utf8 = service().preview(zhzf_, utf8);
  EXPECT_EQ(plain_utf8.encoding, CsvEncoding::Utf8);
  EXPECT_EQ(plain_utf8.changeCount(), 0);
}

TEST_F(ListImport, StatusColumnCancelsDelegatesAndReinstates) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0004", "状态", "已取消");
  sheet.set("CF-ZHZF-0005", "状态", "已下放");
  sheet.set("CF-ZHZF-0011", "状态", "有效");  // delegated in the demo data
  portal::accounts::AuditEntry audit;
  audit.username = "wangli";
  audit.remote_addr = "10.0.0.7";
  audit.action = "list.import";
  ApplyRequest request = because("清单调整");
  request.audit = audit;
  const ImportReport report = service().apply(zhzf_, sheet.csv(), request);
  ASSERT_TRUE(report.applied) << allErrors(report);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'list.import' "
                  "AND username = 'wangli' AND department_id = " +
                  std::to_string(zhzf_) +
                  " AND summary LIKE '导入清单：新增 0 项，变更 1 项，取消 1 项，下放 1 项%' "
                  "AND JSON_VALUE(after_json, '$.cancel[0]') = 'CF-ZHZF-0004'"),
            1);
  EXPECT_EQ(report.cancelled, 1);
  EXPECT_EQ(report.delegated, 1);
  EXPECT_EQ(report.amended, 1);
  EXPECT_EQ(item("CF-ZHZF-0004").status, ItemStatus::Cancelled);
  EXPECT_EQ(item("CF-ZHZF-0004").effective_date, "2026-01-15");
  EXPECT_EQ(item("CF-ZHZF-0005").status, ItemStatus::Delegated);
  EXPECT_EQ(item("CF-ZHZF-0005").change_kind, ChangeKind::Delegate);
  EXPECT_EQ(item("CF-ZHZF-0011").status, ItemStatus::InForce);
  EXPECT_EQ(service().preview(zhzf_, *service().exportCsv(zhzf_)).changeCount(), 0);
}

TEST_F(ListImport, ReadsAFileResavedByExcelWithItsOwnColumnsAndDates) {
  Sheet sheet = exported(zhzf_);
  for (std::size_t i = 0; i < sheet.rows().size(); ++i) {
    auto& r = sheet.rows()[i];
    r.insert(r.begin(), i == 0 ? "序号" : std::to_string(i));  // an extra column, ignored
  }
  sheet.rows().front()[1] = "*事项编码";  // a template's "required" mark
  for (auto& r : sheet.rows()) {
    std::string& date = r.back();
    if (date.size() == 10 && date[4] == '-') {  // 2024-03-01 -> 2024/3/1, as Excel saves it
      date = date.substr(0, 4) + "/" + std::to_string(std::stoi(date.substr(5, 2))) + "/" +
             std::to_string(std::stoi(date.substr(8, 2)));
    }
  }
  sheet.rows().push_back(std::vector<std::string>(14, ""));         // an empty row at the end
  sheet.rows()[3][2] = "  " + sheet.rows()[3][2] + "\xE3\x80\x80";  // stray spaces
  const ImportReport report = service().preview(zhzf_, sheet.csv());
  ASSERT_TRUE(report.ok()) << allErrors(report);
  EXPECT_TRUE(report.ignored_columns.empty());
  ASSERT_FALSE(report.mapping.empty());
  EXPECT_EQ(report.mapping.front().header, "序号");
  EXPECT_EQ(report.mapping.front().field, ListField::Seq);
  EXPECT_EQ(report.changeCount(), 0);

  Sheet minimal = exported(zhzf_);
  minimal.dropColumn("状态");
  minimal.dropColumn("生效日期");
  const ImportReport without = service().preview(zhzf_, minimal.csv());
  ASSERT_TRUE(without.ok()) << allErrors(without);
  EXPECT_EQ(without.changeCount(), 0) << "no 状态 column keeps CF-ZHZF-0011 delegated";
}

TEST_F(ListImport, CodesDifferingOnlyInCaseAreTheSameItem) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0001", "事项编码", "cf-zhzf-0001");
  const ImportReport report = service().preview(zhzf_, sheet.csv());
  ASSERT_TRUE(report.ok()) << allErrors(report);
  EXPECT_EQ(report.changeCount(), 0);
}

TEST_F(ListImport, EditionNotesStayWithTheLawTitle) {
  const auto scjg = CatalogService(pool_).department("scjg")->id;
  Sheet sheet = exported(scjg);
  const std::string basis = sheet.row("XK-SCJG-0002").at(sheet.column("设定依据"));
  EXPECT_EQ(basis.rfind("《中华人民共和国食品安全法》（2018年修正）第三十五条：", 0), 0u) << basis;
  sheet.set("XK-SCJG-0002", "状态", "有效");
  ASSERT_TRUE(service().apply(scjg, sheet.csv(), because("恢复")).applied);
  const ListItem restored = item("XK-SCJG-0002", scjg);
  ASSERT_FALSE(restored.legal_bases.empty());
  EXPECT_EQ(restored.legal_bases.front().law, "《中华人民共和国食品安全法》");
  EXPECT_EQ(restored.legal_bases.front().article, "第三十五条");
  EXPECT_EQ(restored.legal_bases.front().written.rfind(
                "《中华人民共和国食品安全法》（2018年修正）第三十五条：", 0),
            0u);
}

}  // namespace

namespace {

// Regression (issue 11): a remark of two lines saved through the web form (CR LF) and the
// export imported again published a false change ("备注 有变化").
TEST_F(ListImport, MultiLineRemarkFromTheFormRoundTripsWithoutAChange) {
  ListItem edited = item("CF-ZHZF-0001");
  edited.remarks = "第一行备注\r\n第二行备注";
  edited.change_kind = ChangeKind::Amend;
  edited.change_reason = "补充备注";
  ASSERT_TRUE(std::holds_alternative<Published>(
      PublishingService(pool_, hotline::LocalClock().instantSource())
          .publishChange(zhzf_, "CF-ZHZF-0001", edited, edited.version)));
  EXPECT_EQ(item("CF-ZHZF-0001").remarks, "第一行备注\n第二行备注");
  const ImportReport again = service().preview(zhzf_, *service().exportCsv(zhzf_));
  ASSERT_TRUE(again.ok()) << allErrors(again);
  EXPECT_EQ(again.changeCount(), 0);
}

TEST_F(ListImport, AnUnknownTypeIsListedForMappingNotRefusedRowByRow) {
  Sheet sheet = exported(zhzf_);
  sheet.set("CF-ZHZF-0003", "事项类型", "行政备案");
  sheet.set("CF-ZHZF-0004", "事项类型", "行政备案");
  sheet.set("CF-ZHZF-0005", "事项类型", "处罚");  // a common short spelling
  const ImportReport report = service().preview(zhzf_, sheet.csv());
  ASSERT_TRUE(report.ok()) << allErrors(report);
  ASSERT_EQ(report.unknown_types.size(), 1u);
  EXPECT_EQ(report.unknown_types[0].written, "行政备案");
  EXPECT_EQ(report.unknown_types[0].rows, 2);
  EXPECT_EQ(report.unknown_types[0].mapped_to, "qt");
  EXPECT_EQ(report.changeCount(), 2);  // 0003 and 0004 become 其他行政权力; 0005 stays 处罚

  LayoutChoices choices = report.choices;
  choices.types["行政备案"] = "qr";
  const ImportReport mapped = service().preview(zhzf_, sheet.csv(), &choices);
  ASSERT_TRUE(mapped.ok()) << allErrors(mapped);
  ASSERT_EQ(mapped.unknown_types.size(), 1u);
  EXPECT_TRUE(mapped.unknown_types[0].chosen);
  EXPECT_EQ(mapped.unknown_types[0].mapped_to, "qr");
  ApplyRequest request = because("类型调整");
  request.choices = choices;
  ASSERT_TRUE(service().apply(zhzf_, sheet.csv(), request).applied);
  EXPECT_EQ(item("CF-ZHZF-0003").type, "qr");
  // Remembered for the department: the next preview maps it the same way unasked.
  EXPECT_EQ(service().rememberedChoices(zhzf_).types.at("行政备案"), "qr");
  EXPECT_EQ(service().preview(zhzf_, sheet.csv()).changeCount(), 0);
}

TEST_F(ListImport, ListsWithoutCodesGetStableCodesAndMatchByNameOnReimport) {
  const auto scjg = CatalogService(pool_).department("scjg")->id;
  const std::int64_t id = addDepartment("xinqu-lists", "序号清单测试局");
  (void)scjg;
  const std::string file =
      "序号测试局权力清单（2024年版）\r\n"
      "序号,权力名称,权力类别,实施主体,设定依据\r\n"
      "1,对未取得许可从事经营的处罚,处罚,序号清单测试局,《中华人民共和国行政处罚法》第八条\r\n"
      "2,对未取得许可从事经营的处罚,处罚,,\r\n"  // the same name twice; body merged down
      "3,经营许可,许可,,《中华人民共和国行政许可法》\r\n";
  const ImportReport first = service().preview(id, file);
  ASSERT_TRUE(first.ok()) << allErrors(first);
  ASSERT_EQ(first.changes.size(), 3u);
  EXPECT_EQ(first.created, 3);
  EXPECT_NE(first.changes[0].code, first.changes[1].code);
  EXPECT_EQ(first.changes[0].code.rfind("XINQULISTS-CF-", 0), 0u) << first.changes[0].code;
  EXPECT_EQ(first.changes[2].code.rfind("XINQULISTS-XK-", 0), 0u) << first.changes[2].code;
  // The same file gives the same codes.
  EXPECT_EQ(service().preview(id, file).changes[1].code, first.changes[1].code);
  ASSERT_TRUE(service().apply(id, file, because("首次导入")).applied);
  EXPECT_EQ(item(first.changes[2].code, id).implementing_body, "序号清单测试局");
  // Again: matched by name, nothing cancelled and re-created.
  const ImportReport again = service().preview(id, file);
  ASSERT_TRUE(again.ok()) << allErrors(again);
  EXPECT_EQ(again.changeCount(), 0);
  EXPECT_EQ(again.unchanged, 3);
  // A renamed row keeps nothing by name: it is a new item, and the old one is cancelled.
  std::string renamed = file;
  renamed.replace(renamed.find("经营许可,"), std::string("经营许可,").size(), "食品经营许可,");
  const ImportReport changed = service().preview(id, renamed);
  EXPECT_EQ(changed.created, 1);
  EXPECT_EQ(changed.cancelled, 1);
}

// A list stating no type anywhere (靖宇县工信局's 行政执法服务指南, blind3/59): a name that states
// its type gives it, the preview says so, and the apply with the preview's mapping (which carries
// 其他行政权力 for the rows whose name states none) writes the same types the preview showed.
TEST_F(ListImport, ATypeStatedOnlyInTheNameIsUsedAndTheApplyAgreesWithThePreview) {
  const std::int64_t id = addDepartment("xinqu-guide", "执法指南测试局");
  const std::string file =
      "靖宇县工业和信息化局行政执法服务指南\r\n"
      "序号,行政执法事项名称,执法依据,受理机构\r\n"
      "1,对单用途预付卡行政处罚,《单用途商业预付卡管理办法(试行)》第七条,商务综合执法大队\r\n"
      "2,企业名称使用的监督检查,《企业名称登记管理规定》第二条,商务综合执法大队\r\n"
      "3,安全监管属地备案,《水利工程建设安全生产管理规定》第九条,商务综合执法大队\r\n";
  const ImportReport report = service().preview(id, file);
  ASSERT_TRUE(report.ok()) << allErrors(report);
  ASSERT_EQ(report.created, 3);
  const std::string notes = allNotes(report);
  EXPECT_NE(notes.find("按事项名称推定为“行政处罚”"), std::string::npos) << notes;
  EXPECT_NE(notes.find("按事项名称推定为“行政检查”"), std::string::npos) << notes;
  ApplyRequest request = because("首次导入");
  request.choices = report.choices;
  ASSERT_TRUE(service().apply(id, file, request).applied);
  std::map<std::string, std::string> types;
  {
    auto conn = pool_.acquire();
    for (const auto& i : DepartmentListStore(*conn).currentItems(id, false)) types[i.name] = i.type;
  }
  EXPECT_EQ(types["对单用途预付卡行政处罚"], "cf");
  EXPECT_EQ(types["企业名称使用的监督检查"], "jc");
  EXPECT_EQ(types["安全监管属地备案"], "qt");
  EXPECT_EQ(types.size(), 3u);
  EXPECT_EQ(item(report.changes[2].code, id).implementing_body, "商务综合执法大队");
}

// 克拉玛依市消防救援支队's list (full/76_*): a 状态 column with 实施 on every row (the item is in
// force), and a 职权编码 given to two items of different names (650200207CF49000 for 对…不具备
// 从业条件…或者出具虚假文件的处罚 and 出具虚假文件的处罚). Both are read, not refused, and the
// preview says how.
TEST_F(ListImport, AStatusWrittenAsInForceAndACodeSharedByTwoItemsAreReadAndSaid) {
  const std::int64_t id = addDepartment("xinqu-fire", "消防测试支队");
  // Rows 4, 24, 25 and 26 of the published sheet, their 序号, 项目, 职权类型, 职权编码 and 状态
  // cells verbatim (the other columns left out).
  const std::string file =
      "克拉玛依市2025年消防监督执法权责清单\r\n"
      "序  号,项目,职权类型,职权编码,状态\r\n"
      "1,公众聚集场所投入使用营业前消防安全检查,行政许可,650200207XK01600,实施\r\n"
      "21,\"对消防设施维护保养检测、消防安全评估等消防技术服务机构，不具备从业条件从事消防技术服务"
      "活动或者出具虚假文件的处罚\",行政处罚,650200207CF49000,实施\r\n"
      "22,对不按照国家标准、行业标准开展消防技术服务活动的处罚,行政处罚,/,实施\r\n"
      "23,出具虚假文件的处罚,行政处罚,650200207CF49000,实施\r\n";
  const ImportReport report = service().preview(id, file);
  ASSERT_TRUE(report.ok()) << allErrors(report);
  ASSERT_EQ(report.created, 4);
  const std::string notes = allNotes(report);
  EXPECT_NE(notes.find("“状态”列写作“实施”的 4 行按“有效”导入。"), std::string::npos) << notes;
  EXPECT_NE(notes.find("事项编码“650200207CF49000”在第 4 行、第 6 行用于名称不同的 2 个事项"),
            std::string::npos)
      << notes;
  EXPECT_EQ(report.changes[0].code, "650200207XK01600");
  EXPECT_NE(report.changes[1].code, report.changes[3].code);
  EXPECT_EQ(report.changes[1].code.rfind("XINQUFIRE-CF-", 0), 0u) << report.changes[1].code;
  ApplyRequest request = because("首次导入");
  request.choices = report.choices;
  ASSERT_TRUE(service().apply(id, file, request).applied);
  EXPECT_EQ(item(report.changes[3].code, id).name, "出具虚假文件的处罚");
  EXPECT_EQ(item(report.changes[3].code, id).status, ItemStatus::InForce);
  // Imported again: every row matches its item, nothing changes.
  const ImportReport again = service().preview(id, file);
  ASSERT_TRUE(again.ok()) << allErrors(again);
  EXPECT_EQ(again.changeCount(), 0);
  // A status no list means as in force is still refused, naming the row.
  std::string paused = file;
  paused.replace(paused.rfind("实施"), std::string("实施").size(), "暂停");
  const ImportReport refused = service().preview(id, paused);
  EXPECT_FALSE(refused.ok());
  EXPECT_NE(allErrors(refused).find("未知的状态“暂停”"), std::string::npos) << allErrors(refused);
}

}  // namespace

namespace {

// The file kept between preview and confirmation (audit H3): for its department and its
// uploader only, until it expires or is applied.
TEST_F(ListImport, AStagedFileIsForItsDepartmentAndUploaderUntilItExpiresOrIsApplied) {
  const auto scjg = CatalogService(pool_).department("scjg")->id;
  std::int64_t editor = 0;
  std::int64_t other = 0;
  {
    auto conn = pool_.acquire();
    for (auto* id : {&editor, &other}) {
      *id = conn->insertReturningId(
          "INSERT INTO accounts (username, display_name, password_hash, role, department_id, "
          "created_at, password_changed_at) VALUES (?, '', 'x', 'editor', ?, NOW(6), NOW(6))",
          id == &editor ? "staging_editor" : "staging_other", zhzf_);
    }
  }
  auto now = std::chrono::system_clock::now();
  ImportService imports(pool_, options_, hotline::LocalClock([&now] { return now; }));
  const std::string file = exported(zhzf_).csv();
  const std::string token = imports.stage(zhzf_, editor, file);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(imports.staged(zhzf_, editor, token), file);
  EXPECT_FALSE(imports.staged(scjg, editor, token)) << "another department";
  EXPECT_FALSE(imports.staged(zhzf_, other, token)) << "another account";
  EXPECT_FALSE(imports.staged(zhzf_, editor, token.substr(1) + "A")) << "another token";
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM import_staging WHERE id = '" + token + "'"), 0)
      << "the table holds the token's digest";

  // Applied: gone in the same transaction.
  ApplyRequest request = because("核对后重新导入");
  request.staged_token = token;
  ASSERT_TRUE(imports.apply(zhzf_, file, request).applied);
  EXPECT_FALSE(imports.staged(zhzf_, editor, token));

  // Expired after the lifetime, and deleted by the next upload.
  const std::string later = imports.stage(zhzf_, editor, file);
  now += options_.staging_lifetime - std::chrono::minutes(1);
  EXPECT_TRUE(imports.staged(zhzf_, editor, later));
  now += std::chrono::minutes(2);
  EXPECT_FALSE(imports.staged(zhzf_, editor, later));
  imports.stage(zhzf_, other, file);
  EXPECT_EQ(count("SELECT COUNT(*) AS n FROM import_staging"), 1);
}

}  // namespace

namespace {

// A CSV whose second item has an empty 设定依据 (audit H5): the item is imported without a
// basis, not with the first item's, and the preview says which row has none and why.
TEST_F(ListImport, AnEmptyBasisInACsvIsImportedAsNoneAndThePreviewSaysSo) {
  const std::int64_t id = addDepartment("xinqu-basis", "依据测试局");
  const std::string file =
      "序号,事项名称,事项类型,实施主体,设定依据\r\n"
      "1,对违法建设的行政处罚,行政处罚,依据测试局,《中华人民共和国城乡规划法》第六十四条\r\n"
      "2,对占道经营的行政处罚,行政处罚,依据测试局,\r\n"
      "3,对乱倒垃圾的行政处罚,行政处罚,依据测试局,《城市市容和环境卫生管理条例》第三十六条\r\n";
  const ImportReport report = service().preview(id, file);
  ASSERT_TRUE(report.ok()) << allErrors(report);
  ASSERT_EQ(report.created, 3);
  const std::string notes = allNotes(report);
  EXPECT_NE(notes.find("第 3 行没有设定依据"), std::string::npos) << notes;
  EXPECT_NE(notes.find("不会沿用上一行"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("第 2 行没有"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("第 4 行没有"), std::string::npos) << notes;
  EXPECT_EQ(notes.find("沿用了上一行"), std::string::npos) << notes;
  ASSERT_TRUE(service().apply(id, file, because("首次导入")).applied);
  EXPECT_TRUE(item(report.changes[1].code, id).legal_bases.empty());
  ASSERT_EQ(item(report.changes[0].code, id).legal_bases.size(), 1u);
  EXPECT_EQ(item(report.changes[2].code, id).legal_bases.size(), 1u);
}

}  // namespace

namespace {

std::string toUtf16Le(const std::string& utf8) {
  iconv_t cd = iconv_open("UTF-16LE", "UTF-8");
  std::string in = utf8;
  std::string out(in.size() * 4, '\0');
  char* ip = in.data();
  char* op = out.data();
  std::size_t il = in.size();
  std::size_t ol = out.size();
  const std::size_t rc = iconv(cd, &ip, &il, &op, &ol);
  iconv_close(cd);
  if (rc == static_cast<std::size_t>(-1)) throw std::runtime_error("not convertible");
  out.resize(out.size() - ol);
  return "\xFF\xFE" + out;
}

// The same item name on two rows of one file (audit L3): said as a warning, not refused; each
// row is an item of its own. Names under different 主项 are not the same item's.
TEST_F(ListImport, ANameOnSeveralRowsIsAWarningNotARefusal) {
  const std::int64_t id = addDepartment("xinqu-dup", "重名测试局");
  const std::string file =
      "事项编码,事项名称,事项类型,实施主体\r\n"
      "DUP-1,对违法建设的行政处罚,行政处罚,重名测试局\r\n"
      "DUP-2,对占道经营的行政处罚,行政处罚,重名测试局\r\n"
      "DUP-3,对违法建设的 行政处罚,行政处罚,重名测试局\r\n";
  const ImportReport report = service().preview(id, file);
  ASSERT_TRUE(report.ok()) << allErrors(report);
  EXPECT_EQ(report.created, 3);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("事项名称“对违法建设的行政处罚”在第 2 行、第 4 行出现了 2 次"),
            std::string::npos)
      << report.warnings[0];
  ASSERT_TRUE(service().apply(id, file, because("首次导入")).applied);
  EXPECT_EQ(item("DUP-3", id).name, "对违法建设的 行政处罚");

  const std::string sub_items =
      "主项名称,子项名称,事项类型\r\n"
      "建设工程规划许可,延续,行政许可\r\n"
      "乡村建设规划许可,延续,行政许可\r\n";
  const ImportReport parts = service().preview(addDepartment("xinqu-sub", "子项测试局"), sub_items);
  ASSERT_TRUE(parts.ok()) << allErrors(parts);
  EXPECT_TRUE(parts.warnings.empty()) << parts.warnings.front();
}

// Excel's "Unicode 文本" export: UTF-16 with a BOM, tab-separated (audit L3). It imports like
// the CSV, and the report says how it was read.
TEST_F(ListImport, ExcelsUnicodeTextImportsAndSaysItsEncoding) {
  const std::int64_t id = addDepartment("xinqu-utf16", "编码测试局");
  const std::string text =
      "事项编码\t事项名称\t事项类型\t实施主体\t设定依据\r\n"
      "U16-"
      "1\t对违法建设的行政处罚\t行政处罚\t编码测试局\t\"《中华人民共和国城乡规划法》第六十四条\"\r"
      "\n"
      "U16-2\t𪚥字号核准\t行政许可\t编码测试局\t\r\n";
  const ImportReport report = service().preview(id, toUtf16Le(text));
  ASSERT_TRUE(report.ok()) << allErrors(report);
  ASSERT_TRUE(report.encoding);
  EXPECT_EQ(*report.encoding, CsvEncoding::Utf16Le);
  EXPECT_EQ(report.created, 2);
  EXPECT_NE(allNotes(report).find("制表符分隔"), std::string::npos) << allNotes(report);
  ASSERT_TRUE(service().apply(id, toUtf16Le(text), because("首次导入")).applied);
  EXPECT_EQ(item("U16-2", id).name, "𪚥字号核准");
  ASSERT_EQ(item("U16-1", id).legal_bases.size(), 1u);
  EXPECT_EQ(item("U16-1", id).implementing_body, "编码测试局");
}

}  // namespace

namespace {

std::string itemNamed(const std::vector<ListItem>& items, const std::string& name,
                      ListItem* found) {
  for (const auto& i : items) {
    if (i.name == name) {
      *found = i;
      return i.code;
    }
  }
  return {};
}

// 克拉玛依市自然资源局's 2024 list (tests/data/real-lists/README.md, "import29"): rows 4 and
// 164 of the published sheet, their 序号, 事项名称, 子项名称 and 权力类型 cells verbatim and the
// first law of their 实施依据. One 子项名称 cell lists five sub-items apart by runs of spaces,
// the other three on lines of their own: each row is one item named by its 事项名称 with the
// sub-items listed, not an item named "1.新设采矿权审批             2.采矿权延续登记 …".
TEST_F(ListImport, ASubItemCellListingSeveralNumberedSubItemsGivesOneItemWithThem) {
  const std::int64_t id = addDepartment("xinqu-natres", "自然资源测试局");
  const std::string file =
      "克拉玛依市自然资源局2024年权责清单,,,,\r\n"
      "序号,事项名称,子项名称,权力类型,实施依据\r\n"
      "2,开采矿产资源审批,\"1.新设采矿权审批             2.采矿权延续登记            "
      "3.采矿权变更登记               4.采矿权注销登记                   "
      "5.开采矿产资源划定矿区范围批准\",行政许可,"
      "\"【法律】《中华人民共和国矿产资源法》（1986年3月19日中华人民共和国主席令第36号公布，"
      "根据2009年08月27日第十一届全国人民代表大会常务委员会第十次会议《全国人民代表大会常务委员会"
      "关于修改部分法律的决定》第二次修正） \n    第三条第三款：勘查、开采矿产资源，必须依法分别申请、"
      "经批准取得探矿权、采矿权，并办理登记。\"\r\n"
      "162,矿业权范围争议行政裁决,\"1.矿区范围争议行政裁决\n2.矿产勘查范围争议行政裁决\n"
      "3.勘查作业范围和矿区范围争议行政裁决\",行政裁决,"
      "\"【法律】《中华人民共和国矿产资源法》（1986年3月19日中华人民共和国主席令第36号公布，"
      "根据2009年08月27日第十一届全国人民代表大会常务委员会第十次会议《全国人民代表大会常务委员会"
      "关于修改部分法律的决定》第二次修正）\n    第四十九条：矿山企业之间的矿区范围的争议，"
      "由当事人协商解决。\"\r\n"
      // 克拉玛依市应急管理局's list: one numbered 子项 on its own row stays the row's name.
      "2,矿山建设项目安全设施设计审查,1.煤矿建设项目安全设施设计审查,行政许可,\r\n";
  const ImportReport report = service().preview(id, file);
  ASSERT_TRUE(report.ok()) << allErrors(report);
  EXPECT_EQ(report.created, 3);
  const std::string notes = allNotes(report);
  EXPECT_NE(notes.find("第 3 行、第 4 行的“子项名称”一格列出了多个编号的子项（共 8 个）"),
            std::string::npos)
      << notes;
  ASSERT_TRUE(service().apply(id, file, because("首次导入")).applied);
  std::vector<ListItem> items;
  {
    auto conn = pool_.acquire();
    items = DepartmentListStore(*conn).currentItems(id, false);
  }
  ListItem mining;
  ASSERT_FALSE(itemNamed(items, "开采矿产资源审批", &mining).empty());
  EXPECT_EQ(mining.sub_items,
            (std::vector<std::string>{"新设采矿权审批", "采矿权延续登记", "采矿权变更登记",
                                      "采矿权注销登记", "开采矿产资源划定矿区范围批准"}));
  ASSERT_FALSE(mining.legal_bases.empty());
  EXPECT_EQ(mining.legal_bases.front().law, "《中华人民共和国矿产资源法》");
  EXPECT_EQ(mining.type, "xk");
  ListItem ruling;
  ASSERT_FALSE(itemNamed(items, "矿业权范围争议行政裁决", &ruling).empty());
  EXPECT_EQ(ruling.sub_items,
            (std::vector<std::string>{"矿区范围争议行政裁决", "矿产勘查范围争议行政裁决",
                                      "勘查作业范围和矿区范围争议行政裁决"}));
  ListItem coal;
  EXPECT_FALSE(itemNamed(items, "1.煤矿建设项目安全设施设计审查", &coal).empty());
  // Imported again as it is: nothing changes.
  const ImportReport again = service().preview(id, file);
  EXPECT_EQ(again.unchanged, 3) << again.created << " " << again.amended;
}

// Lists of 克拉玛依市 (the 应急管理局's, 自然资源局's, 市场监督管理局's) head two columns
// 实施层级及权限 (a merged header: the level, then the powers at that level). The preview reads
// the first as 行使层级 and the second as its spare; the mapping remembered after the import
// (and the one the preview form sends back unchanged) must say the same, not let the second
// column's 不导入 overwrite the first's choice, which left 行使层级 out of every later import.
TEST_F(ListImport, TwoColumnsWithOneHeaderKeepTheirOwnChoicesForTheNextImport) {
  const std::int64_t id = addDepartment("xinqu-emergency", "应急测试局");
  const std::string head =
      "序号,事项名称,权力类型,行使主体,实施层级及权限,实施层级及权限\r\n"
      "1,生产、储存危险化学品建设项目安全条件审查,行政许可,市应急管理局,地州市级,"
      "\"负责全地州市本级不涉及重点监管危险化学品、重点监管危险化工工艺、一级和二级危险化学品"
      "重大危险源的危险化学品生产、储存建设项目安全条件审查\"\r\n";
  const ImportReport first = service().preview(id, head);
  ASSERT_TRUE(first.ok()) << allErrors(first);
  ApplyRequest request = because("首次导入");
  request.choices = first.choices;  // the mapping as shown, confirmed unchanged
  ASSERT_TRUE(service().apply(id, head, request).applied);
  const std::string next = head +
                           "3,金属冶炼建设项目安全设施设计审查,行政许可,市应急管理局,地州市级,"
                           "负责地州市机械铸造企业的金属冶炼建设项目安全设施设计审查\r\n";
  // The next import with the remembered mapping (scripts/portal import, the upload page).
  const ImportReport second = service().preview(id, next);
  ASSERT_TRUE(second.ok()) << allErrors(second);
  ASSERT_EQ(second.created, 1);
  ASSERT_TRUE(service().apply(id, next, because("增加事项")).applied);
  std::vector<ListItem> items;
  {
    auto conn = pool_.acquire();
    items = DepartmentListStore(*conn).currentItems(id, false);
  }
  ListItem added;
  ASSERT_FALSE(itemNamed(items, "金属冶炼建设项目安全设施设计审查", &added).empty());
  EXPECT_EQ(added.level, "地州市级");
  std::string mapping;
  for (const auto& g : second.mapping) {
    mapping += g.header + "->" + (g.field ? std::string(listFieldName(*g.field)) : "-") + " ";
  }
  EXPECT_NE(mapping.find("实施层级及权限->行使层级"), std::string::npos) << mapping;
}

}  // namespace
