#include "portal/disclosure/decision.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/utf8.h"
#include "hotline/text.h"

namespace portal::disclosure {

namespace {


void requireText(std::vector<std::string>& errors, const std::string& value, const char* label,
                 std::size_t max_chars) {
  if (value.empty()) {
    errors.push_back(std::string("请填写") + label + "。");
  } else if (hotline::utf8Length(value) > max_chars) {
    errors.push_back(std::string(label) + "不能超过" + std::to_string(max_chars) + "个字。");
  }
}

}  // namespace

std::string_view decisionKindCode(DecisionKind k) {
  return k == DecisionKind::Penalty ? "penalty" : "other";
}
std::string_view decisionKindName(DecisionKind k) {
  return k == DecisionKind::Penalty ? "行政处罚决定" : "其他行政执法决定";
}
std::optional<DecisionKind> parseDecisionKind(std::string_view code) {
  if (code == "penalty") return DecisionKind::Penalty;
  if (code == "other") return DecisionKind::Other;
  return std::nullopt;
}
std::string_view partyKindCode(PartyKind k) {
  return k == PartyKind::Organisation ? "organisation" : "person";
}
std::string_view partyKindName(PartyKind k) {
  return k == PartyKind::Organisation ? "法人或其他组织" : "自然人";
}
std::optional<PartyKind> parsePartyKind(std::string_view code) {
  if (code == "organisation") return PartyKind::Organisation;
  if (code == "person") return PartyKind::Person;
  return std::nullopt;
}
std::string_view decisionStateCode(DecisionState s) {
  switch (s) {
    case DecisionState::Draft: return "draft";
    case DecisionState::Published: return "published";
    case DecisionState::Withdrawn: return "withdrawn";
  }
  return "draft";
}
std::string_view decisionStateName(DecisionState s) {
  switch (s) {
    case DecisionState::Draft: return "待公开";
    case DecisionState::Published: return "已公开";
    case DecisionState::Withdrawn: return "已撤下";
  }
  return "待公开";
}
std::optional<DecisionState> parseDecisionState(std::string_view code) {
  for (auto s : {DecisionState::Draft, DecisionState::Published, DecisionState::Withdrawn}) {
    if (decisionStateCode(s) == code) return s;
  }
  return std::nullopt;
}

const std::vector<OutcomeType>& outcomeTypes() {
  static const std::vector<OutcomeType> kTypes = {
      {"warning", "警告、通报批评", true},
      {"fine", "罚款", true},
      {"confiscation", "没收违法所得、没收非法财物", true},
      {"qualification", "暂扣许可证件、降低资质等级、吊销许可证件", true},
      {"restriction", "限制开展生产经营活动、责令停产停业、责令关闭、限制从业", true},
      {"detention", "行政拘留", true},
      {"other_penalty", "其他行政处罚", true},
      {"licence", "行政许可决定", false},
      {"coercion", "行政强制决定", false},
      {"inspection", "行政检查结果", false},
      {"other", "其他行政执法决定", false},
  };
  return kTypes;
}

const OutcomeType* findOutcomeType(std::string_view code) {
  for (const auto& t : outcomeTypes()) {
    if (code == t.code) return &t;
  }
  return nullptr;
}

std::optional<std::int64_t> parseYuan(std::string_view text) {
  std::string digits;
  int decimals = -1;
  for (char c : text) {
    if (c == ',') continue;
    if (c == '.') {
      if (decimals >= 0) return std::nullopt;
      decimals = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    if (decimals >= 0 && ++decimals > 2) return std::nullopt;
    digits += c;
  }
  if (digits.empty() || decimals == 0) return std::nullopt;
  const int integer_digits = static_cast<int>(digits.size()) - std::max(decimals, 0);
  if (integer_digits > 13) return std::nullopt;
  std::int64_t fen = 0;
  for (char c : digits) fen = fen * 10 + (c - '0');
  for (int i = std::max(decimals, 0); i < 2; ++i) fen *= 10;
  return fen;
}

std::string formatYuan(std::int64_t fen) {
  std::string s = std::to_string(fen / 100);
  const std::int64_t cents = fen % 100;
  if (cents != 0) {
    s += '.';
    s += static_cast<char>('0' + cents / 10);
    s += static_cast<char>('0' + cents % 10);
  }
  return s;
}

ValidatedDecision validateDecision(const DecisionInput& in, const hotline::CivilDate& today) {
  ValidatedDecision out;
  auto& e = out.errors;
  Decision& d = out.decision;
  d.decision_number = base::trim(in.decision_number);
  requireText(e, d.decision_number, "决定书文号", 64);
  const auto kind = parseDecisionKind(in.decision_kind);
  if (!kind) e.push_back("请选择决定类别。");
  d.kind = kind.value_or(DecisionKind::Penalty);
  const auto party = parsePartyKind(in.party_kind);
  if (!party) e.push_back("请选择当事人类别（法人或其他组织、自然人）。");
  d.party_kind = party.value_or(PartyKind::Organisation);
  d.party_name = base::trim(in.party_name);
  requireText(e, d.party_name, "当事人名称或姓名", d.party_kind == PartyKind::Person ? 20 : 128);
  d.facts = base::trim(in.facts);
  requireText(e, d.facts, "主要事实", 2000);
  d.legal_basis = base::trim(in.legal_basis);
  requireText(e, d.legal_basis, "法律依据", 2000);
  d.outcome_type = base::trim(in.outcome_type);
  const OutcomeType* type = findOutcomeType(d.outcome_type);
  if (!type) {
    e.push_back("请选择处理结果的种类。");
  } else if (kind && type->penalty != (*kind == DecisionKind::Penalty)) {
    e.push_back(*kind == DecisionKind::Penalty ? "行政处罚决定的结果须为一种行政处罚。"
                                               : "行政处罚的种类只能用于行政处罚决定。");
  }
  d.outcome_text = base::trim(in.outcome_text);
  requireText(e, d.outcome_text, "处理结果", 1000);
  const std::string amount = base::trim(in.fine_amount);
  if (!amount.empty()) {
    d.fine_amount_fen = parseYuan(amount);
    if (!d.fine_amount_fen) e.push_back("罚款金额须为以元为单位的数字，最多两位小数，例如 5000 或 5000.50。");
  } else if (type && std::string_view(type->code) == "fine") {
    e.push_back("处罚种类为罚款时，请填写罚款金额。");
  }
  const std::string date_text = base::trim(in.decision_date);
  const auto date = hotline::CivilDate::parse(date_text);
  if (date_text.empty()) {
    e.push_back("请填写作出决定的日期。");
  } else if (!date) {
    e.push_back("决定日期须为有效日期，格式如 2026-03-05。");
  } else if (*date > today) {
    e.push_back("决定日期不能晚于今天。");
  }
  if (date) d.decision_date = *date;
  d.involves_minor = in.involves_minor;
  return out;
}

hotline::Deadline publicationDeadline(const hotline::WorkingCalendar& calendar,
                                      const hotline::CivilDate& decision_date, DecisionKind kind,
                                      const DisclosureOptions& options) {
  return hotline::computeDeadline(calendar, decision_date,
                                  kind == DecisionKind::Penalty
                                      ? options.penalty_publish_working_days
                                      : options.other_publish_working_days,
                                  "作出决定");
}

hotline::Deadline withdrawalDeadline(const hotline::WorkingCalendar& calendar,
                                     const hotline::CivilDate& changed_on,
                                     const DisclosureOptions& options) {
  return hotline::computeDeadline(calendar, changed_on, options.withdraw_working_days,
                                  "决定变更或撤销");
}

std::string Decision::publicPartyName() const {
  return party_kind == PartyKind::Person ? maskPersonName(party_name) : party_name;
}

std::string Decision::maskParty(const std::string& text) const {
  if (party_kind != PartyKind::Person || party_name.empty()) return text;
  const std::string masked = maskPersonName(party_name);
  std::string out;
  std::size_t from = 0;
  for (;;) {
    const std::size_t at = text.find(party_name, from);
    if (at == std::string::npos) break;
    out.append(text, from, at - from);
    out += masked;
    from = at + party_name.size();
  }
  out.append(text, from, std::string::npos);
  return out;
}

std::string findingKey(const Finding& f) { return std::string(findingCode(f.kind)) + ":" + f.text; }

std::vector<DecisionFinding> findingsOf(const Decision& d) {
  std::vector<DecisionFinding> out;
  const struct {
    const char* field;
    const char* name;
    const std::string& text;
  } kFields[] = {{"facts", "主要事实", d.facts},
                 {"legal_basis", "法律依据", d.legal_basis},
                 {"outcome_text", "处理结果", d.outcome_text}};
  for (const auto& f : kFields) {
    const std::string text = d.maskParty(f.text);
    for (Finding finding : findPersonalData(text)) {
      DecisionFinding df{f.field,
                         f.name,
                         finding,
                         findingKey(finding),
                         findingContext(text, finding),
                         findingConfirmable(finding.kind),
                         false};
      df.confirmed = df.confirmable &&
                     std::find(d.confirmed_findings.begin(), d.confirmed_findings.end(), df.key) !=
                         d.confirmed_findings.end();
      out.push_back(std::move(df));
    }
  }
  return out;
}

std::string findingMessage(const DecisionFinding& f) {
  const std::string where = "（“" + f.context + "”）";
  if (!f.confirmable) {
    return f.field_name + "中有" + findingLabel(f.finding.kind) + "“" + f.finding.text + "”" +
           where +
           "：涉及未成年人的信息依法不予公开，不能确认公开，请删除；决定涉及未成年人的，请在"
           "修改时勾选“涉及未成年人”。";
  }
  return f.field_name + "中疑似" + findingLabel(f.finding.kind) + "“" + f.finding.text + "”" +
         where + "：请删除，或确认可以公开。";
}

std::string correctionLine(const DecisionCorrection& c) {
  const hotline::CivilDate& d = c.corrected_on;
  return "本决定信息已于" + std::to_string(d.year()) + "年" + std::to_string(d.month()) + "月" +
         std::to_string(d.day()) + "日更正：" + c.note;
}

std::string contentJson(const Decision& d) {
  nlohmann::json j{{"decision_number", d.decision_number},
                   {"decision_kind", std::string(decisionKindCode(d.kind))},
                   {"party_kind", std::string(partyKindCode(d.party_kind))},
                   {"party_name", d.party_name},
                   {"facts", d.facts},
                   {"legal_basis", d.legal_basis},
                   {"outcome_type", d.outcome_type},
                   {"outcome_text", d.outcome_text},
                   {"fine_amount", d.fine_amount_fen ? formatYuan(*d.fine_amount_fen) : ""},
                   {"decision_date", d.decision_date.toString()},
                   {"involves_minor", d.involves_minor}};
  return j.dump();
}

bool sameContent(const Decision& a, const Decision& b) { return contentJson(a) == contentJson(b); }

}  // namespace portal::disclosure
