#include "portal/disclosure/officer_service.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "db/error.h"
#include "db/transaction.h"
#include "base/utf8.h"
#include "hotline/text.h"
#include "portal/changes/change_log_writer.h"
#include "portal/publishing/department_store.h"

namespace portal::disclosure {

using hotline::CivilDate;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxReasonChars = 500;

void requireText(const std::string& value, const char* label, std::size_t max_chars,
                 std::vector<std::string>& errors) {
  if (value.empty()) {
    errors.push_back(std::string("请填写") + label + "。");
  } else if (!hotline::isValidUtf8(value)) {
    errors.push_back(std::string(label) + "含有无法识别的字符。");
  } else if (hotline::utf8Length(value) > max_chars) {
    errors.push_back(std::string(label) + "不能超过" + std::to_string(max_chars) + "个字。");
  }
}

// A date typed by staff: not empty (unless optional), YYYY-MM-DD, not after today.
std::optional<CivilDate> requireDate(const std::string& value, const char* label, bool optional,
                                     const CivilDate& today, std::vector<std::string>& errors) {
  if (value.empty()) {
    if (!optional) errors.push_back(std::string("请填写") + label + "。");
    return std::nullopt;
  }
  auto d = CivilDate::parse(value);
  if (!d) {
    errors.push_back(std::string(label) + "应为有效日期，格式如 2025-03-01。");
    return std::nullopt;
  }
  if (*d > today) errors.push_back(std::string(label) + "不能晚于今天。");
  return d;
}

std::optional<std::string> numberProblem(const std::string& number) {
  return certificateShapeProblem(number);
}

std::string field(const std::string& s) { return base::trim(s); }

json auditJson(const OfficerCertificate& c, const std::string& officer_name) {
  return json{{"officer", officer_name},
              {"number", c.number},
              {"category", c.category},
              {"region", c.region},
              {"post", c.post},
              {"issued_on", c.issued_on},
              {"last_inspected_on", c.last_inspected_on.value_or("")},
              {"status", certificateStateCode(c.state)},
              {"ended_on", c.ended_on.value_or("")},
              {"end_reason", c.end_reason}};
}

void fillAudit(accounts::AuditEntry& audit, const char* action, const OfficerCertificate& c,
               const std::string& summary) {
  audit.action = action;
  audit.department_id = c.department_id;
  audit.object_type = "officer_certificate";
  audit.object_id = c.number;
  audit.summary = summary;
}

OfficerRefusal notInDepartment(const std::string& number) {
  return OfficerRefusal{404, {"本部门没有执法证号为 " + number + " 的证件。"}};
}

OfficerRefusal notActive(const CertificateRecord& r) {
  const std::string what = r.certificate.state == CertificateState::Replaced ? "已换发" : "已注销";
  return OfficerRefusal{409, {"执法证 " + r.certificate.number + " " + what + "，不能再办理。"}};
}

OfficerRefusal numberTaken(const std::string& number) {
  return OfficerRefusal{409, {"执法证号 " + number + " 已经登记过，不能重复登记。"}};
}

// The certificate `number` of `department_id`, locked for the caller's transaction, when it
// is active; otherwise why it cannot be changed.
std::variant<CertificateRecord, OfficerRefusal> lockActive(OfficerStore& store,
                                                         const std::string& number,
                                                         std::int64_t department_id) {
  auto found = store.lockByNumber(number);
  if (!found || found->certificate.department_id != department_id) return notInDepartment(number);
  if (found->certificate.state != CertificateState::Active) return notActive(*found);
  return std::move(*found);
}

// The end of every change to an officer's certificates, before the caller commits: the search
// index learns of it, the audit entry is written, and the certificate `number` is read back as
// it now stands.
CertificateRecord recordChange(db::Connection& conn, const accounts::Clock& clock,
                               OfficerStore& store, std::int64_t officer_id,
                               const accounts::AuditEntry& audit, const std::string& number) {
  changes::ChangeLogWriter(conn).record(changes::DocKind::Officer, std::to_string(officer_id),
                                        false);
  accounts::AuditStore(conn, clock).append(audit);
  return *store.findByNumber(number);
}

}  // namespace

CertificateView OfficerService::view(CertificateRecord record, const CivilDate& today) const {
  const auto& c = record.certificate;
  const auto issued = CivilDate::parse(c.issued_on).value_or(CivilDate());
  std::optional<CivilDate> inspected;
  if (c.last_inspected_on) inspected = CivilDate::parse(*c.last_inspected_on);
  CertificateView v{std::move(record), {}};
  v.validity = assessCertificate(c.state, issued, inspected, today, warning_days_);
  return v;
}

std::variant<CertificateView, OfficerRefusal> OfficerService::addOfficer(
    const NewOfficer& input, const CivilDate& today, accounts::AuditEntry audit) {
  std::vector<std::string> errors;
  OfficerCertificate c;
  c.department_id = input.department_id;
  const std::string name = field(input.name);
  c.number = normaliseCertificateNumber(input.number);
  c.category = field(input.category);
  c.region = field(input.region);
  c.post = field(input.post);
  requireText(name, "姓名", 64, errors);
  if (auto problem = numberProblem(c.number)) errors.push_back(*problem);
  requireText(c.category, "执法类别", 64, errors);
  requireText(c.region, "执法区域", 128, errors);
  requireText(c.post, "工作岗位", 128, errors);
  const auto issued = requireDate(field(input.issued_on), "发证日期", false, today, errors);
  const auto inspected =
      requireDate(field(input.last_inspected_on), "最近检验日期", true, today, errors);
  if (issued && inspected && *inspected < *issued) {
    errors.push_back("最近检验日期不能早于发证日期。");
  }
  if (!errors.empty()) return OfficerRefusal{422, std::move(errors)};
  c.issued_on = issued->toString();
  if (inspected) c.last_inspected_on = inspected->toString();

  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  if (!publishing::DepartmentStore(*conn).findById(c.department_id)) {
    return OfficerRefusal{404, {"所属部门不存在。"}};
  }
  OfficerStore store(*conn);
  if (store.findByNumber(c.number)) return numberTaken(c.number);
  c.officer_id = store.insertOfficer(c.department_id, name);
  try {
    c.id = store.insertCertificate(c);
  } catch (const db::DbError& e) {
    if (e.isDuplicateKey()) return numberTaken(c.number);
    throw;
  }
  fillAudit(audit, "officer.create", c, "登记执法人员“" + name + "”，执法证号 " + c.number);
  audit.after_json = auditJson(c, name).dump();
  auto record = recordChange(*conn, clock_, store, c.officer_id, audit, c.number);
  tx.commit();
  return view(std::move(record), today);
}

std::variant<CertificateView, OfficerRefusal> OfficerService::recordInspection(
    std::int64_t department_id, const std::string& typed_number, const std::string& inspected_on,
    const CivilDate& today, accounts::AuditEntry audit) {
  const std::string number = normaliseCertificateNumber(typed_number);
  std::vector<std::string> errors;
  const auto date = requireDate(field(inspected_on), "检验日期", false, today, errors);
  if (!errors.empty()) return OfficerRefusal{422, std::move(errors)};

  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  OfficerStore store(*conn);
  auto locked = lockActive(store, number, department_id);
  if (const auto* refused = std::get_if<OfficerRefusal>(&locked)) return *refused;
  const CertificateRecord* const found = &std::get<CertificateRecord>(locked);
  const auto& before = found->certificate;
  if (*date < *CivilDate::parse(before.issued_on)) {
    return OfficerRefusal{422, {"检验日期不能早于发证日期（" + before.issued_on + "）。"}};
  }
  if (before.last_inspected_on && date->toString() < *before.last_inspected_on) {
    return OfficerRefusal{422,
                          {"检验日期不能早于上次检验日期（" + *before.last_inspected_on + "）。"}};
  }
  OfficerCertificate after = before;
  after.last_inspected_on = date->toString();
  store.setLastInspected(before.id, *after.last_inspected_on);
  store.touchOfficer(before.officer_id);
  fillAudit(audit, "officer.inspect", before,
            "登记执法证 " + before.number + "（" + found->officer_name + "）检验，检验日期 " +
                *after.last_inspected_on);
  audit.before_json = auditJson(before, found->officer_name).dump();
  audit.after_json = auditJson(after, found->officer_name).dump();
  auto record = recordChange(*conn, clock_, store, before.officer_id, audit, number);
  tx.commit();
  return view(std::move(record), today);
}

std::variant<CertificateView, OfficerRefusal> OfficerService::reissue(
    std::int64_t department_id, const std::string& typed_number, const Reissue& change,
    const CivilDate& today, accounts::AuditEntry audit) {
  const std::string number = normaliseCertificateNumber(typed_number);
  std::vector<std::string> errors;
  OfficerCertificate next;
  next.number = normaliseCertificateNumber(change.new_number);
  next.category = field(change.category);
  next.region = field(change.region);
  next.post = field(change.post);
  if (auto problem = numberProblem(next.number)) errors.push_back("新证号：" + *problem);
  requireText(next.category, "执法类别", 64, errors);
  requireText(next.region, "执法区域", 128, errors);
  requireText(next.post, "工作岗位", 128, errors);
  const auto issued = requireDate(field(change.issued_on), "新证发证日期", false, today, errors);
  if (errors.empty() && next.number == number) errors.push_back("新证号不能与原证号相同。");
  if (!errors.empty()) return OfficerRefusal{422, std::move(errors)};
  next.issued_on = issued->toString();

  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  OfficerStore store(*conn);
  auto locked = lockActive(store, number, department_id);
  if (const auto* refused = std::get_if<OfficerRefusal>(&locked)) return *refused;
  const CertificateRecord* const found = &std::get<CertificateRecord>(locked);
  const OfficerCertificate before = found->certificate;
  if (next.issued_on < before.issued_on) {
    return OfficerRefusal{422, {"新证发证日期不能早于原证发证日期（" + before.issued_on + "）。"}};
  }
  // Seed item 12: a change of post, category or region re-issues the certificate.
  std::string reason;
  if (next.post != before.post)
    reason += "工作岗位由“" + before.post + "”变更为“" + next.post + "”；";
  if (next.category != before.category) {
    reason += "执法类别由“" + before.category + "”变更为“" + next.category + "”；";
  }
  if (next.region != before.region) {
    reason += "执法区域由“" + before.region + "”变更为“" + next.region + "”；";
  }
  if (reason.empty()) {
    return OfficerRefusal{
        422, {"换发证件须因工作岗位、执法类别或执法区域变更，三项均未变化，无需换发。"}};
  }
  if (store.findByNumber(next.number)) return numberTaken(next.number);
  next.officer_id = before.officer_id;
  next.department_id = before.department_id;
  try {
    next.id = store.insertCertificate(next);
  } catch (const db::DbError& e) {
    if (e.isDuplicateKey()) return numberTaken(next.number);
    throw;
  }
  store.markReplaced(before.id, next.id, next.issued_on, reason);
  store.touchOfficer(before.officer_id);
  fillAudit(audit, "officer.reissue", before,
            "换发执法证（" + found->officer_name + "）：" + before.number + " → " + next.number);
  OfficerCertificate ended = before;
  ended.state = CertificateState::Replaced;
  ended.ended_on = next.issued_on;
  ended.end_reason = reason;
  audit.before_json = auditJson(before, found->officer_name).dump();
  audit.after_json = json{{"old", auditJson(ended, found->officer_name)},
                          {"new", auditJson(next, found->officer_name)}}
                         .dump();
  auto record = recordChange(*conn, clock_, store, before.officer_id, audit, next.number);
  tx.commit();
  return view(std::move(record), today);
}

std::variant<CertificateView, OfficerRefusal> OfficerService::revoke(
    std::int64_t department_id, const std::string& typed_number, const std::string& typed_reason,
    const CivilDate& today, accounts::AuditEntry audit) {
  const std::string number = normaliseCertificateNumber(typed_number);
  const std::string reason = field(typed_reason);
  std::vector<std::string> errors;
  requireText(reason, "注销原因", kMaxReasonChars, errors);
  if (!errors.empty()) return OfficerRefusal{422, std::move(errors)};

  auto conn = pool_.acquire();
  db::Transaction tx(*conn);
  OfficerStore store(*conn);
  auto locked = lockActive(store, number, department_id);
  if (const auto* refused = std::get_if<OfficerRefusal>(&locked)) return *refused;
  const CertificateRecord* const found = &std::get<CertificateRecord>(locked);
  const OfficerCertificate before = found->certificate;
  OfficerCertificate after = before;
  after.state = CertificateState::Revoked;
  after.ended_on = today.toString();
  after.end_reason = reason;
  store.markRevoked(before.id, *after.ended_on, reason);
  store.touchOfficer(before.officer_id);
  fillAudit(audit, "officer.revoke", before,
            "注销执法证 " + before.number + "（" + found->officer_name + "）：" + reason);
  audit.before_json = auditJson(before, found->officer_name).dump();
  audit.after_json = auditJson(after, found->officer_name).dump();
  auto record = recordChange(*conn, clock_, store, before.officer_id, audit, number);
  tx.commit();
  return view(std::move(record), today);
}

std::variant<CertificateView, OfficerRefusal> OfficerService::activeCertificate(
    std::int64_t department_id, const std::string& typed_number, const CivilDate& today) {
  const std::string number = normaliseCertificateNumber(typed_number);
  std::optional<CertificateRecord> found;
  {
    auto conn = pool_.acquire();
    found = OfficerStore(*conn).findByNumber(number);
  }
  if (!found || found->certificate.department_id != department_id) return notInDepartment(number);
  if (found->certificate.state != CertificateState::Active) return notActive(*found);
  return view(std::move(*found), today);
}

RosterPage OfficerService::roster(std::int64_t department_id, const RosterFilter& filter,
                                  const CivilDate& today) {
  std::vector<CertificateRecord> records;
  {
    auto conn = pool_.acquire();
    records = OfficerStore(*conn).roster(department_id);
  }
  // A department's roster is tens to a few hundred people, and the standing depends on
  // today, so filtering and paging happen here rather than in SQL.
  RosterPage page;
  page.page_size = std::clamp(filter.page_size, 1, 200);
  page.page = std::max(filter.page, 1);
  std::set<std::string> categories;
  std::vector<CertificateView> matching;
  for (auto& r : records) {
    categories.insert(r.certificate.category);
    CertificateView v = view(std::move(r), today);
    if (filter.standing && v.validity.standing != *filter.standing) continue;
    if (filter.category && v.record.certificate.category != *filter.category) continue;
    matching.push_back(std::move(v));
  }
  page.categories.assign(categories.begin(), categories.end());
  page.total = static_cast<std::int64_t>(matching.size());
  const std::size_t first = static_cast<std::size_t>(page.page - 1) * page.page_size;
  for (std::size_t i = first; i < matching.size() && i < first + page.page_size; ++i) {
    page.rows.push_back(std::move(matching[i]));
  }
  return page;
}

CertificateCheck OfficerService::check(const std::string& typed_number, const CivilDate& today) {
  CertificateCheck out;
  out.number = normaliseCertificateNumber(typed_number);
  if (auto problem = certificateShapeProblem(out.number)) {
    out.outcome = CertificateCheck::Outcome::Malformed;
    out.problem = *problem;
    return out;
  }
  std::optional<CertificateRecord> found;
  {
    auto conn = pool_.acquire();
    OfficerStore store(*conn);
    found = store.findByNumber(out.number);
    // Typed without its province character: found when exactly one certificate matches.
    const bool starts_ascii = static_cast<unsigned char>(out.number.front()) < 0x80;
    if (!found && starts_ascii) {
      std::vector<CertificateRecord> candidates = store.findByNumberWithoutProvince(out.number, 2);
      if (candidates.size() == 1) found = std::move(candidates.front());
    }
  }
  if (!found) {
    out.outcome = CertificateCheck::Outcome::Unknown;
    return out;
  }
  out.outcome = CertificateCheck::Outcome::Found;
  out.found = view(std::move(*found), today);
  return out;
}

std::vector<ExpiringCertificate> OfficerService::expiringCertificates(const CivilDate& today,
                                                                      int within_days,
                                                                      bool include_expired) {
  std::vector<CertificateRecord> records;
  {
    auto conn = pool_.acquire();
    records = OfficerStore(*conn).activeCertificates();
  }
  std::vector<ExpiringCertificate> out;
  for (auto& r : records) {
    const CertificateView v = view(std::move(r), today);
    if (v.validity.days_left > within_days) continue;
    if (v.validity.days_left < 0 && !include_expired) continue;
    const auto& c = v.record.certificate;
    ExpiringCertificate e;
    e.department_id = c.department_id;
    e.department_slug = v.record.department_slug;
    e.department_name = v.record.department_name;
    e.officer_name = v.record.officer_name;
    e.number = c.number;
    e.category = c.category;
    e.valid_through = v.validity.valid_through;
    e.days_left = v.validity.days_left;
    e.standing = v.validity.standing;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.valid_through < b.valid_through; });
  return out;
}

std::map<std::string, ExpiringCount> countByDepartment(
    const std::vector<ExpiringCertificate>& certificates) {
  std::map<std::string, ExpiringCount> counts;
  for (const ExpiringCertificate& c : certificates) {
    auto& n = counts[c.department_name];
    (c.days_left < 0 ? n.expired : n.soon) += 1;
  }
  return counts;
}

}  // namespace portal::disclosure
