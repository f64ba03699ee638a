#include "hotline/calendar_service.h"

#include <algorithm>
#include <set>
#include <utility>

#include "db/generations.h"
#include "db/transaction.h"
#include "hotline/calendar_store.h"
#include "hotline/complaint.h"
#include "hotline/complaint_store.h"
#include "hotline/deadline.h"

namespace hotline {
namespace {

std::string describeChange(const char* what, const CivilDate& before, const Deadline& after) {
  std::string text = std::string(what) + "：" + before.toString();
  text += before == after.due ? "（不变）" : "改为" + after.due.toString();
  return text;
}

}  // namespace

CalendarLoadResult CalendarService::loadTsv(std::string_view text, CalendarLoadMode mode) {
  CalendarLoadResult result;
  CalendarParseResult parsed = parseCalendarTsv(text);
  if (!parsed.ok()) {
    result.errors = std::move(parsed.errors);
    return result;
  }

  auto conn = pool_.acquire();
  std::shared_ptr<const WorkingCalendar> fresh;
  {
    db::Transaction tx(*conn);
    CalendarStore calendar_store(*conn);
    const std::vector<int> existing = calendar_store.loadedYears();
    std::set<int> file_years;
    for (const CalendarEntry& e : parsed.entries) file_years.insert(e.date.year());
    for (int year : file_years) {
      const bool present = std::find(existing.begin(), existing.end(), year) != existing.end();
      if (present && mode == CalendarLoadMode::OnlyMissingYears) {
        result.years_skipped.push_back(year);
        continue;
      }
      calendar_store.deleteYear(year);
      result.years_loaded.push_back(year);
    }
    for (const CalendarEntry& e : parsed.entries) {
      if (std::find(result.years_loaded.begin(), result.years_loaded.end(), e.date.year()) ==
          result.years_loaded.end()) {
        continue;
      }
      calendar_store.insert(e);
      ++result.days_written;
    }

    fresh = std::make_shared<const WorkingCalendar>(calendar_store.all());
    if (!result.years_loaded.empty()) {
      result.complaints_recomputed = recompute(*conn, *fresh);
      // Every other node reloads its calendar within one poll (see cluster_generations).
      db::bumpGeneration(*conn, "calendar");
    }
    tx.commit();
  }
  std::lock_guard<std::mutex> lock(mu_);
  calendar_ = std::move(fresh);
  ++generation_;
  return result;
}

std::size_t CalendarService::recompute(db::Connection& conn, const WorkingCalendar& calendar) {
  ComplaintStore complaints(conn);
  const std::string now = clock_.now().text;
  std::size_t changed = 0;
  for (ProvisionalDeadlines p : complaints.provisionalForUpdate()) {
    const Deadline ack = computeDeadline(calendar, p.received_date, p.ack_working_days);
    const Deadline handling = computeDeadline(calendar, p.received_date, p.handling_working_days);
    std::optional<Deadline> review;
    if (p.reopened_on && p.review_due && p.review_working_days > 0) {
      review = computeDeadline(calendar, *p.reopened_on, p.review_working_days);
    }
    const bool review_same = !review || (review->due == *p.review_due &&
                                         review->provisional == p.review_due_provisional);
    if (ack.due == p.ack_due && ack.provisional == p.ack_due_provisional &&
        handling.due == p.handling_due && handling.provisional == p.handling_due_provisional &&
        review_same) {
      continue;
    }
    std::string text = describeChange("受理期限", p.ack_due, ack) + "；" +
                       describeChange("办结期限", p.handling_due, handling);
    if (review) {
      text += "；" + describeChange("复核期限", *p.review_due, *review);
      p.review_due = review->due;
      p.review_due_provisional = review->provisional;
    }
    text += "（已按新载入的放假安排重新计算）";
    p.ack_due = ack.due;
    p.ack_due_provisional = ack.provisional;
    p.handling_due = handling.due;
    p.handling_due_provisional = handling.provisional;
    complaints.updateDeadlines(p);
    NewEvent event;
    event.complaint_id = p.id;
    event.kind = EventKind::DeadlineRecomputed;
    event.is_public = false;
    event.actor = "system";
    event.text = text;
    event.created_at = now;
    complaints.appendEvent(event);
    ++changed;
  }
  return changed;
}

std::size_t CalendarService::recomputeProvisionalDeadlines() {
  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  auto fresh = std::make_shared<const WorkingCalendar>(CalendarStore(*conn).all());
  const std::size_t changed = recompute(*conn, *fresh);
  tx.commit();
  std::lock_guard<std::mutex> lock(mu_);
  calendar_ = std::move(fresh);
  ++generation_;
  return changed;
}

std::shared_ptr<const WorkingCalendar> CalendarService::calendar() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (calendar_) return calendar_;
  }
  reload();
  std::lock_guard<std::mutex> lock(mu_);
  return calendar_;
}

void CalendarService::reload() {
  auto conn = pool_.acquire();
  auto fresh = std::make_shared<const WorkingCalendar>(CalendarStore(*conn).all());
  std::lock_guard<std::mutex> lock(mu_);
  calendar_ = std::move(fresh);
  ++generation_;
}

}  // namespace hotline
