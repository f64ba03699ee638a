// 行政执法公示: the hub page that links every disclosure, and the statistics (decisions per
// department, kind and month; on-time publication) as server-rendered SVG charts and CSV.
#include <map>

#include "portal/disclosure/decision_service.h"
#include "portal/disclosure/officer_service.h"
#include "portal/http/url.h"
#include "portal/publishing/csv_reader.h"
#include "portal/web/handlers.h"
#include "portal/web/svg_chart.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::disclosure;

namespace {

struct Period {
  hotline::CivilDate from;
  hotline::CivilDate to;
  std::string label;
  std::string year;  // "" for the last twelve months
};

// ?year=YYYY, or the twelve months up to today. 400 in Chinese for anything else.
Period parsePeriod(Context& ctx, const Request& req) {
  const hotline::CivilDate today = ctx.decisions.today();
  const auto year = req.queryValue("year");
  if (year && !year->empty()) {
    const bool digits = year->size() == 4 && year->find_first_not_of("0123456789") == std::string::npos;
    const auto from = digits ? hotline::CivilDate::parse(*year + "-01-01") : std::nullopt;
    if (!from || from->year() < 2000 || from->year() > today.year()) {
      throw http::HttpError(400, "年份须为2000年至今年之间的四位数字。", "bad_year");
    }
    return {*from, *hotline::CivilDate::parse(*year + "-12-31"), *year + "年", *year};
  }
  const auto first = hotline::CivilDate::fromYmd(today.month() == 12 ? today.year() : today.year() - 1,
                                                 today.month() == 12 ? 1 : today.month() + 1, 1);
  return {*first, today, first->toString() + " 至 " + today.toString(), ""};
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return "—";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

std::string outcomeName(const std::string& code) {
  const OutcomeType* t = findOutcomeType(code);
  return t ? t->name : code;
}

// Every month of the period, "YYYY-MM", in order.
std::vector<std::string> monthsOf(const Period& p) {
  std::vector<std::string> months;
  int y = p.from.year();
  int m = p.from.month();
  while (y < p.to.year() || (y == p.to.year() && m <= p.to.month())) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
    months.push_back(buf);
    if (++m == 13) {
      m = 1;
      ++y;
    }
  }
  return months;
}

}  // namespace

Response enforcementPage(Context& ctx, const Request& req) {
  json departments = json::array();
  for (const auto& department : ctx.catalog.departmentList()) {
    const std::string base = "/departments/" + http::percentEncode(department.slug);
    departments.push_back({{"name", department.name},
                           {"url", base},
                           {"disclosures_url", base + "/disclosures"},
                           {"officers_url", base + "/officers"},
                           {"decisions_url", "/decisions?department=" +
                                                 http::percentEncode(department.slug)}});
  }
  json view{{"departments", departments}};
  view.update(layoutJson(ctx.config.site, req, "行政执法公示", "enforcement"));
  return Response::html(ctx.renderer.render("enforcement", view));
}

Response enforcementStatisticsPage(Context& ctx, const Request& req) {
  const Period period = parsePeriod(ctx, req);
  const auto counts = ctx.decisions.counts(period.from, period.to);
  std::map<std::string, std::int64_t> by_month;
  std::map<std::string, std::int64_t> by_outcome;
  struct DepartmentTotals {
    std::int64_t published = 0, on_time = 0, pending = 0, overdue = 0;
  };
  std::vector<std::pair<std::string, DepartmentTotals>> by_department;  // in department order
  DepartmentTotals all;
  for (const DecisionCount& c : counts) {
    by_month[c.month] += c.published;
    if (c.published > 0) by_outcome[c.outcome_type] += c.published;
    if (by_department.empty() || by_department.back().first != c.department_name) {
      by_department.emplace_back(c.department_name, DepartmentTotals{});
    }
    auto& t = by_department.back().second;
    t.published += c.published;
    t.on_time += c.on_time;
    t.pending += c.pending;
    t.overdue += c.overdue;
    all.published += c.published;
    all.on_time += c.on_time;
    all.pending += c.pending;
    all.overdue += c.overdue;
  }
  std::vector<ChartBar> month_bars;
  for (const std::string& m : monthsOf(period)) {
    const std::int64_t n = by_month.count(m) ? by_month[m] : 0;
    month_bars.push_back({m.substr(2), static_cast<double>(n), std::to_string(n)});
  }
  std::vector<ChartBar> department_bars;
  std::vector<ChartBar> rate_bars;
  json department_rows = json::array();
  for (const auto& [name, t] : by_department) {
    department_bars.push_back({name, static_cast<double>(t.published), std::to_string(t.published)});
    if (t.published > 0) {
      rate_bars.push_back({name, static_cast<double>(t.on_time) / static_cast<double>(t.published),
                           percent(t.on_time, t.published)});
    }
    department_rows.push_back({{"name", name},
                               {"published", t.published},
                               {"on_time_rate", percent(t.on_time, t.published)},
                               {"pending", t.pending},
                               {"overdue", t.overdue}});
  }
  std::vector<ChartBar> outcome_bars;
  for (const auto& [code, n] : by_outcome) {
    outcome_bars.push_back({outcomeName(code), static_cast<double>(n), std::to_string(n)});
  }
  // Certificates whose 3-yearly inspection is due soon or overdue (seed item 12): what the
  // roster publishes anyway (name, number, department), gathered for the legal office.
  const int warning_days = ctx.config.officers.expiry_warning_days;
  json certificates = json::array();
  std::map<std::string, std::pair<int, int>> expiring_by_department;  // name -> (soon, expired)
  for (const ExpiringCertificate& c :
       OfficerService(ctx.pool, ctx.clock.instantSource(), warning_days)
           .expiringCertificates(ctx.decisions.today(), warning_days, true)) {
    auto& counts_of = expiring_by_department[c.department_name];
    (c.days_left < 0 ? counts_of.second : counts_of.first) += 1;
    certificates.push_back({{"department", c.department_name},
                            {"officer", c.officer_name},
                            {"number", c.number},
                            {"category", c.category},
                            {"valid_through", c.valid_through.toString()},
                            {"expired", c.days_left < 0},
                            {"days", c.days_left < 0 ? -c.days_left : c.days_left},
                            {"standing", standingLabel(c.standing)}});
  }
  std::vector<ChartBar> certificate_bars;
  for (const auto& [name, n] : expiring_by_department) {
    certificate_bars.push_back({name, static_cast<double>(n.first + n.second),
                                std::to_string(n.first) + " 即将到期 / " +
                                    std::to_string(n.second) + " 已过期"});
  }
  json view{{"period", period.label},
            {"year", period.year},
            {"published", all.published},
            {"on_time_rate", percent(all.on_time, all.published)},
            {"pending", all.pending},
            {"overdue", all.overdue},
            {"departments", department_rows},
            {"has_data", !counts.empty()},
            {"month_chart", horizontalBarChart("按月份统计的公开决定数（" + period.label + "）", month_bars)},
            {"department_chart", horizontalBarChart("各部门公开决定数", department_bars)},
            {"rate_chart", horizontalBarChart("各部门按期公开率", rate_bars, 1.0)},
            {"outcome_chart", horizontalBarChart("按处理结果种类统计", outcome_bars)},
            {"certificates", certificates},
            {"has_certificates", !certificates.empty()},
            {"warning_days", warning_days},
            {"certificate_chart", horizontalBarChart("各部门即将到期或已过期的执法证件", certificate_bars)},
            {"csv_url", "/enforcement/statistics.csv" +
                            (period.year.empty() ? "" : "?year=" + period.year)}};
  view.update(layoutJson(ctx.config.site, req, "执法公示统计", "enforcement"));
  return Response::html(ctx.renderer.render("enforcement_statistics", view));
}

Response enforcementStatisticsCsv(Context& ctx, const Request& req) {
  const std::string table = req.queryValue("table").value_or("decisions");
  if (table == "certificates") {
    const int warning_days = ctx.config.officers.expiry_warning_days;
    std::vector<std::vector<std::string>> records{
        {"部门", "执法人员", "执法证号", "执法类别", "有效期至", "剩余天数", "状态"}};
    for (const ExpiringCertificate& c :
         OfficerService(ctx.pool, ctx.clock.instantSource(), warning_days)
             .expiringCertificates(ctx.decisions.today(), warning_days, true)) {
      records.push_back({c.department_name, c.officer_name, c.number, c.category,
                         c.valid_through.toString(), std::to_string(c.days_left),
                         standingLabel(c.standing)});
    }
    Response r = Response::text(publishing::writeCsv(records), 200, "text/csv; charset=utf-8");
    r.headers.emplace_back("Content-Disposition",
                           "attachment; filename=\"certificates-due-for-inspection.csv\"");
    return r;
  }
  if (table != "decisions") throw http::HttpError(400, "未知的统计表。", "bad_table");
  const Period period = parsePeriod(ctx, req);
  std::vector<std::vector<std::string>> records{
      {"部门", "月份", "决定类别", "处理结果种类", "已公开", "按期公开", "按期公开率", "待公开",
       "逾期未公开"}};
  for (const DecisionCount& c : ctx.decisions.counts(period.from, period.to)) {
    const auto kind = parseDecisionKind(c.decision_kind);
    records.push_back({c.department_name, c.month,
                       kind ? std::string(decisionKindName(*kind)) : c.decision_kind,
                       outcomeName(c.outcome_type), std::to_string(c.published),
                       std::to_string(c.on_time), percent(c.on_time, c.published),
                       std::to_string(c.pending), std::to_string(c.overdue)});
  }
  Response r = Response::text(publishing::writeCsv(records), 200, "text/csv; charset=utf-8");
  r.headers.emplace_back("Content-Disposition",
                         "attachment; filename=\"enforcement-statistics" +
                             (period.year.empty() ? std::string() : "-" + period.year) + ".csv\"");
  return r;
}

}  // namespace portal::web
