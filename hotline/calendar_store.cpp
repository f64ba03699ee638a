#include "hotline/calendar_store.h"

namespace hotline {

std::vector<CalendarEntry> CalendarStore::all() {
  db::Rows r = conn_.query(
      "SELECT DATE_FORMAT(day, '%Y-%m-%d') AS day, kind, name, notice FROM calendar_days "
      "ORDER BY day");
  std::vector<CalendarEntry> out;
  while (r.next()) {
    const std::optional<CivilDate> date = CivilDate::parse(r.str("day"));
    if (!date) continue;
    out.push_back({*date, r.str("kind") == "workday" ? DayKind::MakeupWorkday : DayKind::Holiday,
                   r.str("name"), r.str("notice")});
  }
  return out;
}

std::vector<int> CalendarStore::loadedYears() {
  db::Rows r = conn_.query("SELECT DISTINCT YEAR(day) AS y FROM calendar_days ORDER BY y");
  std::vector<int> out;
  while (r.next()) out.push_back(static_cast<int>(r.i64("y")));
  return out;
}

void CalendarStore::deleteYear(int year) {
  conn_.execute("DELETE FROM calendar_days WHERE day BETWEEN ? AND ?",
                std::to_string(year) + "-01-01", std::to_string(year) + "-12-31");
}

void CalendarStore::insert(const CalendarEntry& entry) {
  conn_.execute("INSERT INTO calendar_days (day, kind, name, notice) VALUES (?, ?, ?, ?)",
                entry.date.toString(), entry.kind == DayKind::MakeupWorkday ? "workday" : "holiday",
                entry.name, entry.notice);
}

}  // namespace hotline
