// Generates a large, realistic list-item corpus straight into MariaDB (for the search
// benchmark): variations of the demo items across synthetic departments, with change-log rows,
// in transactions of 1000 items. Usage: bench_corpus N   (database from PORTAL_DB_* settings)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "db/pool.h"
#include "db/transaction.h"
#include "portal/changes/change_log_writer.h"
#include "portal/config.h"
#include "portal/publishing/department_store.h"
#include "portal/publishing/item_store.h"

extern char** environ;

using namespace portal::publishing;

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  portal::Config config;
  portal::applyEnvironment(config, environ);
  db::initDriver();
  db::Pool pool(config.db);
  const std::vector<std::string> subjects = {
      "户外广告", "占道经营", "建筑垃圾", "施工扬尘", "夜间施工噪声", "餐饮油烟", "露天烧烤",
      "违法建设", "食品经营", "过期食品", "计量器具", "明码标价", "特种设备", "医疗机构执业",
      "非法行医", "公共场所卫生", "安全生产培训", "危险化学品", "网约车经营", "道路运输",
      "拖欠工资", "劳动合同", "社会保险", "排放大气污染物", "环境影响评价", "噪声污染"};
  const std::vector<std::pair<std::string, std::string>> forms = {
      {"cf", "对违反{}管理规定的行政处罚"}, {"xk", "{}许可"}, {"jc", "对{}的行政检查"},
      {"qz", "对{}相关物品的查封扣押"}, {"jl", "对{}工作成绩显著单位的奖励"},
      {"qr", "{}情况的确认"}, {"qt", "对{}问题的责令改正"}};
  const std::vector<std::string> laws = {
      "《中华人民共和国行政处罚法》", "《中华人民共和国大气污染防治法》",
      "《中华人民共和国食品安全法》", "《城市市容和环境卫生管理条例》",
      "《中华人民共和国安全生产法》", "《劳动保障监察条例》", "《中华人民共和国噪声污染防治法》"};
  std::mt19937 rng(42);
  const auto started = std::chrono::steady_clock::now();
  auto conn = pool.acquire();
  DepartmentStore departments(*conn);
  ItemStore items(*conn);
  portal::changes::ChangeLogWriter log(*conn);
  std::vector<std::int64_t> dept_ids;
  {
    db::Transaction tx(*conn);
    for (int d = 0; d < 40; ++d) {
      Department dep;
      dep.slug = "bench" + std::to_string(d);
      dep.name = "基准测试第" + std::to_string(d) + "执法局";
      dep.short_name = "第" + std::to_string(d) + "局";
      dep.description = "用于搜索基准测试的部门。";
      dep.complaint_scope = "本局职责范围内的违法行为。";
      dept_ids.push_back(departments.insert(dep));
      log.record(portal::changes::DocKind::Department, dep.slug, false);
    }
    tx.commit();
  }
  for (int start = 0; start < n; start += 1000) {
    db::Transaction tx(*conn);
    for (int i = start; i < std::min(n, start + 1000); ++i) {
      const auto& subject = subjects[rng() % subjects.size()];
      const auto& form = forms[rng() % forms.size()];
      ListItem item;
      item.code = "BN-" + std::to_string(i);
      item.department_id = dept_ids[rng() % dept_ids.size()];
      item.name = form.second;
      item.name.replace(item.name.find("{}"), 2, subject);
      item.name += "（" + std::to_string(i % 97) + "）";
      item.type = form.first;
      item.implementing_body = "基准测试执法局";
      item.level = i % 3 ? "区级" : "区级、街道";
      const auto& law = laws[rng() % laws.size()];
      item.legal_bases = {{law, "第" + std::to_string(1 + rng() % 120) + "条",
                           "违反本法规定，" + subject + "不符合要求的，由有关部门责令改正，处以罚款。", ""}};
      item.responsibilities = {"立案责任：对" + subject + "线索审查后决定是否立案。",
                               "调查责任：全面、客观、公正地调查取证。"};
      item.accountability = {"对" + subject + "违法行为不依法查处的。"};
      item.status = i % 50 == 0 ? ItemStatus::Cancelled : ItemStatus::InForce;
      item.effective_date = std::to_string(2018 + i % 8) + "-0" + std::to_string(1 + i % 9) + "-15";
      item.change_reason = "基准测试数据";
      items.insertPublished(item);
      log.record(portal::changes::DocKind::Item,
                 portal::publishing::itemDocKey(item.department_id, item.code), false);
    }
    tx.commit();
    if ((start / 1000) % 10 == 9) std::fprintf(stderr, "  %d items\n", start + 1000);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("generated %d items in %.1f s\n", n, secs);
  return 0;
}
