#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hotline/civil_date.h"
#include "hotline/deadline.h"
#include "hotline/working_calendar.h"
#include "portal/disclosure/disclosure_options.h"
#include "portal/disclosure/redaction.h"

namespace portal::disclosure {

// An after-enforcement decision (事后公开): what it is, and where it stands.

enum class DecisionKind { Penalty, Other };  // 行政处罚决定 (7 working days) | 其他执法决定 (20)
enum class PartyKind { Organisation, Person };
enum class DecisionState { Draft, Published, Withdrawn };

std::string_view decisionKindCode(DecisionKind k);  // penalty | other
std::string_view decisionKindName(DecisionKind k);  // 行政处罚决定 | 其他行政执法决定
std::optional<DecisionKind> parseDecisionKind(std::string_view code);
std::string_view partyKindCode(PartyKind k);        // organisation | person
std::string_view partyKindName(PartyKind k);        // 法人或其他组织 | 自然人
std::optional<PartyKind> parsePartyKind(std::string_view code);
std::string_view decisionStateCode(DecisionState s);  // draft | published | withdrawn
std::string_view decisionStateName(DecisionState s);  // 待公开 | 已公开 | 已撤下
std::optional<DecisionState> parseDecisionState(std::string_view code);

// The outcome types (行政处罚法 art. 9 for penalties; the last ones for other decisions).
struct OutcomeType {
  const char* code;
  const char* name;
  bool penalty;  // a penalty type (only with DecisionKind::Penalty)
};
const std::vector<OutcomeType>& outcomeTypes();
const OutcomeType* findOutcomeType(std::string_view code);

// What an editor enters. Strings as typed; validateDecision() trims and checks them.
struct DecisionInput {
  std::string decision_number;  // 决定书文号
  std::string decision_kind;    // code
  std::string party_kind;       // code
  std::string party_name;
  std::string facts;            // 主要违法事实 / 事实摘要
  std::string legal_basis;      // 法律依据
  std::string outcome_type;     // code
  std::string outcome_text;     // 处理结果 in words
  std::string fine_amount;      // 罚款金额（元）, "" when none; "5000" or "5000.50"
  std::string decision_date;    // YYYY-MM-DD
  bool involves_minor = false;  // 涉及未成年人
};

struct Decision {
  std::int64_t id = 0;
  std::int64_t department_id = 0;
  std::string decision_number;
  DecisionKind kind = DecisionKind::Penalty;
  PartyKind party_kind = PartyKind::Organisation;
  std::string party_name;
  std::string facts;
  std::string legal_basis;
  std::string outcome_type;
  std::string outcome_text;
  std::optional<std::int64_t> fine_amount_fen;
  hotline::CivilDate decision_date;
  hotline::CivilDate publish_due;
  bool publish_provisional = false;
  bool involves_minor = false;
  DecisionState state = DecisionState::Draft;
  std::vector<std::string> confirmed_findings;  // findingKey()s the editor confirmed
  std::string published_at;                     // "YYYY-MM-DD HH:MM:SS" or ""
  std::optional<hotline::CivilDate> published_on;
  std::optional<hotline::CivilDate> changed_on;
  std::optional<hotline::CivilDate> withdraw_due;
  bool withdraw_provisional = false;  // withdraw_due reaches into a year without its notice
  std::string withdrawn_at;
  std::optional<hotline::CivilDate> withdrawn_on;
  std::string withdraw_reason;
  bool retired = false;  // past retention: off the public pages and the index
  std::optional<std::int64_t> author_id;  // nullopt: demo data or the console
  std::string created_at;
  // Joined for display.
  std::string department_slug;
  std::string department_name;

  // The party as the public sees it: an organisation's name, a person's name masked.
  std::string publicPartyName() const;
  // `text` with a person-party's full name replaced by the masked one.
  std::string maskParty(const std::string& text) const;
  bool publishedOnTime() const { return published_on && *published_on <= publish_due; }
  bool withdrawnOnTime() const {
    return withdrawn_on && withdraw_due && *withdrawn_on <= *withdraw_due;
  }
};

// The input checked and in stored form; `errors` (Chinese, one per problem) empty when valid.
// `today` refuses decision dates in the future.
struct ValidatedDecision {
  Decision decision;  // number, kind, party, texts, outcome, amount, decision_date, minor
  std::vector<std::string> errors;
};
ValidatedDecision validateDecision(const DecisionInput& in, const hotline::CivilDate& today);

// "5000" / "5000.5" / "5,000.50" -> fen; nullopt when not a non-negative amount with at most
// two decimals (and below 10^13 yuan).
std::optional<std::int64_t> parseYuan(std::string_view text);
// 500050 -> "5000.50"; 500000 -> "5000" (yuan, two decimals when there are fen).
std::string formatYuan(std::int64_t fen);

// The publication clock: penalty_publish_working_days (or other_...) working days counted from
// the day after the decision date.
hotline::Deadline publicationDeadline(const hotline::WorkingCalendar& calendar,
                                      const hotline::CivilDate& decision_date, DecisionKind kind,
                                      const DisclosureOptions& options);
// The withdrawal clock: withdraw_working_days from the day after the decision was changed or
// revoked.
hotline::Deadline withdrawalDeadline(const hotline::WorkingCalendar& calendar,
                                     const hotline::CivilDate& changed_on,
                                     const DisclosureOptions& options);

// The personal data a decision's public text still holds: findPersonalData() over the facts,
// legal basis and outcome (after masking a person-party's name). Each has a key for confirming.
struct DecisionFinding {
  std::string field;        // facts | legal_basis | outcome_text
  std::string field_name;   // 事实摘要 | 法律依据 | 处理结果
  Finding finding;
  std::string key;          // findingKey(): kind code + ":" + text
  std::string context;      // findingContext(): the finding with the words around it
  bool confirmable = true;  // findingConfirmable(): false for a minor, which must be removed
  bool confirmed = false;   // in decision.confirmed_findings (never when not confirmable)
};
std::string findingKey(const Finding& f);
std::vector<DecisionFinding> findingsOf(const Decision& d);
// Why publication stops at an unconfirmed finding, in Chinese, quoting it where it stands:
// 主要事实中疑似第三人姓名“李娜”（“…邻居李娜多次投诉…”）：请删除，或确认可以公开。
std::string findingMessage(const DecisionFinding& f);

// A correction (更正) of a published decision: the public note and when, newest first on the
// public page as "本决定信息已于2026年3月5日更正：…" (correctionLine()).
struct DecisionCorrection {
  std::int64_t id = 0;
  std::int64_t decision_id = 0;
  std::string corrected_at;  // "YYYY-MM-DD HH:MM:SS"
  hotline::CivilDate corrected_on;
  std::string note;         // 更正说明 as shown to the public
  std::string before_json;  // the corrected fields before
  std::string after_json;   // and after
  std::optional<std::int64_t> author_id;
};
std::string correctionLine(const DecisionCorrection& c);
// The fields a correction may change, as JSON (the party's full name included: staff only).
std::string contentJson(const Decision& d);
// Whether two decisions differ in a field a correction may change.
bool sameContent(const Decision& a, const Decision& b);

}  // namespace portal::disclosure
