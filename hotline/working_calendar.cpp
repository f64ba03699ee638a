#include "hotline/working_calendar.h"

#include <algorithm>
#include <utility>

#include "hotline/statutory_holidays.h"

namespace hotline {
namespace {

constexpr std::string_view kHeader = "date\tkind\tname\tnotice";
constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kColumns = 4;

std::string_view trim(std::string_view s) {
  const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!s.empty() && isSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && isSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = s.find(separator, start);
    if (end == std::string_view::npos) {
      parts.push_back(s.substr(start));
      return parts;
    }
    parts.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

std::string quoted(std::string_view s) { return "“" + std::string(s) + "”"; }

const StatutoryHoliday* statutoryHolidayOn(const CivilDate& date) {
  for (const StatutoryHoliday& holiday : statutoryHolidays(date.year())) {
    if (holiday.date == date) return &holiday;
  }
  return nullptr;
}

}  // namespace

std::string CalendarParseError::toString() const {
  if (line <= 0) return message;
  return "第" + std::to_string(line) + "行：" + message;
}

CalendarParseResult parseCalendarTsv(std::string_view text) {
  CalendarParseResult result;
  std::map<CivilDate, int> first_line_of;
  bool header_seen = false;
  auto fail = [&result](int line, std::string message) {
    result.errors.push_back({line, std::move(message)});
  };

  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  const std::vector<std::string_view> lines = split(text, '\n');
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int line_no = static_cast<int>(i + 1);
    std::string_view line = lines[i];
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (trim(line).empty() || line.front() == '#') continue;

    if (!header_seen) {
      header_seen = true;
      if (trim(line) == kHeader) continue;
      fail(line_no, "缺少表头，第一行应为“date<TAB>kind<TAB>name<TAB>notice”");
      if (!CivilDate::parse(trim(split(line, '\t').front()))) continue;
    }

    const std::vector<std::string_view> fields = split(line, '\t');
    if (fields.size() != kColumns) {
      fail(line_no, "应有4列（日期、类型、名称、通知），以制表符分隔，实际为" +
                        std::to_string(fields.size()) + "列");
      continue;
    }
    const std::string_view date_text = trim(fields[0]);
    const std::string_view kind_text = trim(fields[1]);
    const std::string_view name = trim(fields[2]);
    const std::string_view notice = trim(fields[3]);

    const std::optional<CivilDate> date = CivilDate::parse(date_text);
    if (!date) fail(line_no, "日期" + quoted(date_text) + "无效，应为YYYY-MM-DD格式的有效日期");

    std::optional<DayKind> kind;
    if (kind_text == "holiday") {
      kind = DayKind::Holiday;
    } else if (kind_text == "workday") {
      kind = DayKind::MakeupWorkday;
    } else {
      fail(line_no, "类型" + quoted(kind_text) + "无效，应为holiday（放假）或workday（调休上班）");
    }

    if (name.empty()) fail(line_no, "名称为空");
    if (notice.empty()) fail(line_no, "通知为空，应写明国务院办公厅通知的文号或标题");

    if (date && kind == DayKind::MakeupWorkday && !date->isWeekend()) {
      fail(line_no, date->toString() + "是" + std::string(weekdayName(date->weekday())) +
                        "，本来就是工作日，调休上班日应为周六或周日");
    }
    if (date) {
      const auto [it, inserted] = first_line_of.emplace(*date, line_no);
      if (!inserted) {
        fail(line_no,
             "日期" + date->toString() + "重复，已在第" + std::to_string(it->second) + "行出现");
      }
    }
    if (date && kind && !name.empty() && !notice.empty()) {
      result.entries.push_back({*date, *kind, std::string(name), std::string(notice)});
    }
  }

  if (!header_seen) fail(0, "日历文件为空：没有表头，也没有任何日期");
  if (!result.errors.empty()) result.entries.clear();
  return result;
}

WorkingCalendar::WorkingCalendar(std::vector<CalendarEntry> entries) {
  for (CalendarEntry& entry : entries) {
    loaded_years_.insert(entry.date.year());
    const CivilDate date = entry.date;
    entries_.insert_or_assign(date, std::move(entry));
  }
}

bool WorkingCalendar::isWorkingDay(const CivilDate& date) const {
  const auto it = entries_.find(date);
  if (it != entries_.end()) return it->second.kind == DayKind::MakeupWorkday;
  if (!isYearLoaded(date.year()) && statutoryHolidayOn(date) != nullptr) return false;
  return !date.isWeekend();
}

DayInfo WorkingCalendar::dayInfo(const CivilDate& date) const {
  DayInfo info;
  info.date = date;
  info.year_loaded = isYearLoaded(date.year());
  const auto it = entries_.find(date);
  if (it != entries_.end()) {
    const CalendarEntry& entry = it->second;
    if (entry.kind == DayKind::Holiday) {
      info.category = DayCategory::Holiday;
      info.working = false;
    } else {
      info.category = DayCategory::MakeupWorkday;
      info.working = true;
    }
    info.reason = entry.name;
    return info;
  }
  if (!info.year_loaded) {
    if (const StatutoryHoliday* holiday = statutoryHolidayOn(date)) {
      info.category = DayCategory::Holiday;
      info.working = false;
      info.reason = holiday->name;
      return info;
    }
  }
  if (date.isWeekend()) {
    info.category = DayCategory::Weekend;
    info.working = false;
    info.reason = std::string(weekdayName(date.weekday()));
  } else {
    info.category = DayCategory::Workday;
    info.working = true;
    info.reason = "工作日";
  }
  return info;
}

bool WorkingCalendar::isYearLoaded(int year) const { return loaded_years_.count(year) > 0; }

std::vector<std::string> WorkingCalendar::noticesForYear(int year) const {
  std::vector<std::string> notices;
  if (!isYearLoaded(year)) return notices;
  const auto begin = entries_.lower_bound(*CivilDate::fromYmd(year, 1, 1));
  const auto end = entries_.upper_bound(*CivilDate::fromYmd(year, 12, 31));
  for (auto it = begin; it != end; ++it) {
    const std::string& notice = it->second.notice;
    if (std::find(notices.begin(), notices.end(), notice) == notices.end()) {
      notices.push_back(notice);
    }
  }
  return notices;
}

std::optional<CalendarEntry> WorkingCalendar::entryFor(const CivilDate& date) const {
  const auto it = entries_.find(date);
  if (it == entries_.end()) return std::nullopt;
  return it->second;
}

}  // namespace hotline
