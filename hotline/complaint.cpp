#include "hotline/complaint.h"

#include <array>
#include <utility>

namespace hotline {
namespace {

template <typename E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

template <typename E, std::size_t N>
std::string_view lookup(const Table<E, N>& table, E value) {
  for (const auto& [e, text] : table) {
    if (e == value) return text;
  }
  return "";
}

template <typename E, std::size_t N>
std::optional<E> reverse(const Table<E, N>& table, std::string_view text) {
  for (const auto& [e, t] : table) {
    if (t == text) return e;
  }
  return std::nullopt;
}

constexpr Table<Source, 4> kSourceCodes = {{{Source::Complaint, "TS"},
                                            {Source::Inspection, "XC"},
                                            {Source::Assigned, "JB"},
                                            {Source::Referred, "ZB"}}};
constexpr Table<Source, 4> kSourceNames = {{{Source::Complaint, "投诉举报"},
                                            {Source::Inspection, "巡查发现"},
                                            {Source::Assigned, "上级交办"},
                                            {Source::Referred, "部门转办"}}};

constexpr Table<Channel, 6> kChannelCodes = {{{Channel::Web, "web"},
                                              {Channel::Phone, "phone"},
                                              {Channel::Open311, "open311"},
                                              {Channel::Letter, "letter"},
                                              {Channel::Visit, "visit"},
                                              {Channel::Email, "email"}}};
constexpr Table<Channel, 6> kChannelNames = {{{Channel::Web, "网站"},
                                              {Channel::Phone, "电话"},
                                              {Channel::Open311, "第三方平台接入"},
                                              {Channel::Letter, "信件"},
                                              {Channel::Visit, "来访"},
                                              {Channel::Email, "电子邮件"}}};

constexpr Table<ComplaintState, 8> kStateCodes = {{{ComplaintState::Received, "received"},
                                                   {ComplaintState::Accepted, "accepted"},
                                                   {ComplaintState::Rejected, "rejected"},
                                                   {ComplaintState::Transferred, "transferred"},
                                                   {ComplaintState::InProgress, "in_progress"},
                                                   {ComplaintState::Concluded, "concluded"},
                                                   {ComplaintState::Evaluated, "evaluated"},
                                                   {ComplaintState::Reopened, "reopened"}}};
constexpr Table<ComplaintState, 8> kStateNames = {{{ComplaintState::Received, "已登记"},
                                                   {ComplaintState::Accepted, "已受理"},
                                                   {ComplaintState::Rejected, "不予受理"},
                                                   {ComplaintState::Transferred, "已移送"},
                                                   {ComplaintState::InProgress, "办理中"},
                                                   {ComplaintState::Concluded, "已办结"},
                                                   {ComplaintState::Evaluated, "已评价"},
                                                   {ComplaintState::Reopened, "复核中"}}};

constexpr Table<Rating, 3> kRatingCodes = {{{Rating::Satisfied, "satisfied"},
                                            {Rating::BasicallySatisfied, "basically_satisfied"},
                                            {Rating::Unsatisfied, "unsatisfied"}}};
constexpr Table<Rating, 3> kRatingNames = {{{Rating::Satisfied, "满意"},
                                            {Rating::BasicallySatisfied, "基本满意"},
                                            {Rating::Unsatisfied, "不满意"}}};

constexpr Table<EventKind, 12> kEventCodes = {
    {{EventKind::Registered, "registered"},
     {EventKind::Assigned, "assigned"},
     {EventKind::Accepted, "accepted"},
     {EventKind::Rejected, "rejected"},
     {EventKind::Transferred, "transferred"},
     {EventKind::Started, "started"},
     {EventKind::Note, "note"},
     {EventKind::Concluded, "concluded"},
     {EventKind::Evaluated, "evaluated"},
     {EventKind::Reopened, "reopened"},
     {EventKind::DeadlineRecomputed, "deadline_recomputed"},
     {EventKind::PhoneRevealed, "phone_revealed"}}};

}  // namespace

std::string_view sourceCode(Source source) { return lookup(kSourceCodes, source); }
std::string_view sourceName(Source source) { return lookup(kSourceNames, source); }
std::optional<Source> parseSource(std::string_view code) { return reverse(kSourceCodes, code); }

std::string_view channelCode(Channel channel) { return lookup(kChannelCodes, channel); }
std::string_view channelName(Channel channel) { return lookup(kChannelNames, channel); }
std::optional<Channel> parseChannel(std::string_view code) { return reverse(kChannelCodes, code); }

std::string_view stateCode(ComplaintState state) { return lookup(kStateCodes, state); }
std::string_view stateName(ComplaintState state) { return lookup(kStateNames, state); }
std::optional<ComplaintState> parseState(std::string_view code) {
  return reverse(kStateCodes, code);
}
const std::vector<ComplaintState>& allStates() {
  static const std::vector<ComplaintState> all = [] {
    std::vector<ComplaintState> v;
    for (const auto& [state, code] : kStateCodes) v.push_back(state);
    return v;
  }();
  return all;
}

std::string_view ratingCode(Rating rating) { return lookup(kRatingCodes, rating); }
std::string_view ratingName(Rating rating) { return lookup(kRatingNames, rating); }
std::optional<Rating> parseRating(std::string_view code) { return reverse(kRatingCodes, code); }

std::string_view eventKindCode(EventKind kind) { return lookup(kEventCodes, kind); }
std::optional<EventKind> parseEventKind(std::string_view code) {
  return reverse(kEventCodes, code);
}

bool isClosed(ComplaintState state) {
  return state == ComplaintState::Rejected || state == ComplaintState::Concluded ||
         state == ComplaintState::Evaluated;
}

RunningClock runningClock(ComplaintState state, bool has_review_due) {
  using S = ComplaintState;
  if (has_review_due && (state == S::Reopened || state == S::Accepted || state == S::InProgress)) {
    return RunningClock::Review;
  }
  switch (state) {
    case S::Received:
    case S::Transferred:
      return RunningClock::Acknowledgment;
    case S::Accepted:
    case S::InProgress:
      return RunningClock::Handling;
    default:
      return RunningClock::None;
  }
}

}  // namespace hotline
