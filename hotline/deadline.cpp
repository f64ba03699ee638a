#include "hotline/deadline.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace hotline {
namespace {

std::string unloadedNote(int year) {
  return "暂定（" + std::to_string(year) + "年放假安排未载入）";
}

// Consecutive skipped days with the same reason, shown as one range.
struct SkippedRun {
  CivilDate first;
  CivilDate last;
  DayCategory category;
  std::string reason;
};

std::vector<SkippedRun> skippedRuns(const std::vector<DeadlineDay>& days) {
  std::vector<SkippedRun> runs;
  for (const DeadlineDay& day : days) {
    if (day.counted()) continue;
    const DayInfo& info = day.info;
    if (!runs.empty()) {
      SkippedRun& run = runs.back();
      const bool adjacent = run.last.addDays(1) == info.date;
      const bool same_reason =
          run.category == info.category &&
          (info.category == DayCategory::Weekend || run.reason == info.reason);
      if (adjacent && same_reason) {
        run.last = info.date;
        if (info.category == DayCategory::Weekend) run.reason = "周末";
        continue;
      }
    }
    runs.push_back({info.date, info.date, info.category, info.reason});
  }
  return runs;
}

std::string describeRun(const SkippedRun& run) {
  std::string text = run.first.toString();
  if (run.last != run.first) text += "至" + run.last.toString();
  return text + "（" + run.reason + "）";
}

std::string joinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += "、";
    out += item;
  }
  return out;
}

std::string summarize(const Deadline& deadline, std::string_view start_event) {
  std::vector<std::string> skipped;
  for (const SkippedRun& run : skippedRuns(deadline.days)) skipped.push_back(describeRun(run));
  std::vector<std::string> makeup;
  for (const DeadlineDay& day : deadline.days) {
    if (day.info.category == DayCategory::MakeupWorkday) {
      makeup.push_back(day.info.date.toString() + "（" + day.info.reason + "）");
    }
  }

  std::string text = "自" + std::string(start_event) + "次日起算" +
                     std::to_string(deadline.working_days) + "个工作日，跳过：";
  text += skipped.empty() ? "无" : joinList(skipped);
  if (!makeup.empty()) text += "，计入调休上班：" + joinList(makeup);
  text += "，截止" + deadline.due.toString();
  if (deadline.provisional) {
    std::vector<std::string> years;
    for (int year : deadline.unloaded_years) years.push_back(std::to_string(year) + "年");
    text += "（暂定：" + joinList(years) + "放假安排未载入，载入后需重新计算）";
  }
  return text;
}

}  // namespace

std::string DeadlineDay::describe() const {
  std::string text;
  if (counted()) {
    text = "第" + std::to_string(ordinal) + "个工作日";
    if (info.category == DayCategory::MakeupWorkday) text += "（" + info.reason + "）";
  } else {
    text = "跳过（" + info.reason + "）";
  }
  if (!info.year_loaded) text += "，" + unloadedNote(info.date.year());
  return text;
}

Deadline computeDeadline(const WorkingCalendar& calendar, const CivilDate& received,
                         int working_days, std::string_view start_event) {
  if (working_days < 1) {
    throw std::invalid_argument("computeDeadline: working_days must be at least 1, got " +
                                std::to_string(working_days));
  }
  Deadline deadline;
  deadline.received = received;
  deadline.working_days = working_days;

  int counted = 0;
  CivilDate date = received;
  while (counted < working_days) {
    date = date.addDays(1);
    DeadlineDay day;
    day.info = calendar.dayInfo(date);
    if (day.info.working) day.ordinal = ++counted;
    if (!day.info.year_loaded) {
      deadline.provisional = true;
      if (std::find(deadline.unloaded_years.begin(), deadline.unloaded_years.end(),
                    date.year()) == deadline.unloaded_years.end()) {
        deadline.unloaded_years.push_back(date.year());
      }
    }
    deadline.days.push_back(std::move(day));
  }
  deadline.due = date;
  deadline.summary = summarize(deadline, start_event);
  return deadline;
}

int workingDaysBetween(const WorkingCalendar& calendar, const CivilDate& from,
                       const CivilDate& to) {
  int count = 0;
  for (CivilDate date = from.addDays(1); date <= to; date = date.addDays(1)) {
    if (calendar.isWorkingDay(date)) ++count;
  }
  return count;
}

bool isOverdue(const Deadline& deadline, const CivilDate& today) { return today > deadline.due; }

}  // namespace hotline
