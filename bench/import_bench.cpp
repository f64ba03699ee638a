// Spreadsheet import at list scale: generates an N-row CSV (default 10,000) for a department of
// its own, then times preview and apply of the new list, an unchanged re-import, and an import
// that amends every tenth row and drops every fiftieth (cancelled).
// Usage: bench_import [N] [csv|xlsx]   (database from PORTAL_DB_* settings; migrated if
// needed). With xlsx the same lists go in as Excel workbooks (title row merged across),
// written with tests/support/xlsx_writer.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "db/migrator.h"
#include "db/pool.h"
#include "portal/config.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/list_import.h"
#include "tests/support/xlsx_writer.h"

extern char** environ;

using namespace portal::publishing;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::vector<std::vector<std::string>> generate(int n, int generation) {
  const std::vector<std::string> subjects = {
      "户外广告", "占道经营", "建筑垃圾", "施工扬尘", "夜间施工噪声", "餐饮油烟",   "露天烧烤",
      "违法建设", "食品经营", "计量器具", "明码标价", "特种设备",     "危险化学品", "道路运输"};
  std::vector<std::vector<std::string>> rows = {
      {"事项编码", "事项名称", "事项类型", "子项", "实施主体", "行使层级", "设定依据", "责任事项",
       "追责情形", "监督电话", "备注", "状态", "生效日期"}};
  for (int i = 0; i < n; ++i) {
    if (generation > 0 && i % 50 == 0) continue;  // dropped: cancelled by the import
    const std::string& subject = subjects[static_cast<std::size_t>(i) % subjects.size()];
    std::string name = "对违反" + subject + "管理规定的行政处罚（" + std::to_string(i) + "）";
    if (generation > 0 && i % 10 == 0) name += "（修订）";
    rows.push_back({
        "BI-" + std::to_string(100000 + i),
        name,
        "行政处罚",
        "情节较轻的；情节严重的",
        "基准测试执法局",
        "区级",
        "《中华人民共和国行政处罚法》第" + std::to_string(1 + i % 80) + "条：违反本法规定，" +
            subject +
            "不符合要求的，由有关部门责令改正，处以罚款。\n"
            "《城市市容和环境卫生管理条例》第三十四条：有下列行为之一者，责令纠正违法行为。",
        "立案责任：对" + subject +
            "线索审查后决定是否立案。\n调查责任：全面、客观、公正地调查取证。",
        "对应当立案而不予立案的；\n违法实施处罚的。",
        "0431-81912345",
        "",
        "有效",
        "2026-01-01",
    });
  }
  return rows;
}

void report(const char* what, double seconds, const ImportReport& r) {
  std::printf("%-28s %7.2f s  新增 %d 变更 %d 取消 %d 无变化 %d 错误 %zu%s\n", what, seconds,
              r.created, r.amended, r.cancelled, r.unchanged, r.errors.size(),
              r.applied ? "  (applied)" : "");
  for (std::size_t i = 0; i < r.errors.size() && i < 5; ++i) {
    std::printf("  %s\n", r.errors[i].describe().c_str());
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  const bool xlsx = argc > 2 && std::string(argv[2]) == "xlsx";
  const auto file = [&](const std::vector<std::vector<std::string>>& rows) {
    if (!xlsx) return writeCsv(rows);
    test_support::XlsxSheet sheet;
    sheet.name = "权力清单";
    sheet.rows.push_back({"导入基准测试执法局权力清单（基准测试）"});
    sheet.rows.insert(sheet.rows.end(), rows.begin(), rows.end());
    sheet.merges = {"A1:M1"};
    return test_support::writeXlsx({sheet});
  };
  portal::Config config;
  portal::applyEnvironment(config, environ);
  db::initDriver();
  db::Pool pool(config.db);
  std::int64_t department_id = 0;
  {
    auto conn = pool.acquire();
    db::migrate(*conn);
    DepartmentStore departments(*conn);
    if (auto d = departments.findBySlug("import-bench")) {
      department_id = d->id;
    } else {
      Department dep;
      dep.slug = "import-bench";
      dep.name = "导入基准测试执法局";
      dep.short_name = "基准局";
      dep.description = "用于导入基准测试的部门。";
      department_id = departments.insert(dep);
    }
  }
  ImportService service(pool);
  const auto run = [&](const char* label, const std::string& csv) {
    std::printf("%s: %zu rows, %.2f MB\n", label, static_cast<std::size_t>(n), csv.size() / 1e6);
    auto t = Clock::now();
    const ImportReport p = service.preview(department_id, csv);
    report("  preview", secondsSince(t), p);
    t = Clock::now();
    ApplyRequest request;
    request.reason = "导入基准测试";
    const ImportReport a = service.apply(department_id, csv, request);
    report("  apply (one transaction)", secondsSince(t), a);
  };
  run(xlsx ? "new list (.xlsx)" : "new list (CSV)", file(generate(n, 0)));
  run("unchanged re-import", file(generate(n, 0)));
  run("10% amended, 2% dropped", file(generate(n, 1)));
  auto t = Clock::now();
  const auto exported = service.exportCsv(department_id);
  std::printf("export: %.2f s, %.2f MB\n", secondsSince(t), exported->size() / 1e6);
  return 0;
}
