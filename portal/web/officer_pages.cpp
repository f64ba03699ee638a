// Enforcement officers and their certificates (seed item 12): the public roster per
// department, the public certificate check, their JSON API, and the staff roster page where
// editors add officers, record inspections, re-issue and revoke certificates.
#include "hotline/local_clock.h"
#include "portal/accounts/audit_service.h"
#include "portal/accounts/permissions.h"
#include "portal/disclosure/officer_service.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::disclosure;

namespace {

// Today in the district (Beijing time): the day certificates are judged on.
hotline::CivilDate today(const Context& ctx) { return ctx.clock.now().date; }

std::string checkUrl(const std::string& number) {
  return "/certificates/check?number=" + http::percentEncode(number);
}

// Why a certificate is or is not valid, in a sentence for the public.
std::string explanation(const CertificateView& v) {
  const auto& c = v.record.certificate;
  const std::string through = v.validity.valid_through.toString();
  switch (v.validity.standing) {
    case CertificateStanding::Valid:
      return "该证件有效，有效期至 " + through + "（每3年须检验一次）。";
    case CertificateStanding::ExpiringSoon:
      return "该证件目前有效，但须在 " + through + " 前完成检验（还剩 " +
             std::to_string(v.validity.days_left) + " 天），逾期未检验即失效。";
    case CertificateStanding::Expired:
      return "该证件应在 " + through + " 前检验，逾期未检验，已失效，不能用于执法。";
    case CertificateStanding::Replaced:
      return "已换发，新证号 " + v.record.replaced_by_number.value_or("") + "（换发日期 " +
             c.ended_on.value_or("") + "），原证件不能再用于执法。";
    case CertificateStanding::Revoked:
      return "该证件已于 " + c.ended_on.value_or("") + " 注销，不能用于执法。";
  }
  return "";
}

// What the public sees of a certificate: nothing about the holder beyond the name the
// roster publishes.
json publicCertificateJson(const CertificateView& v) {
  const auto& c = v.record.certificate;
  const auto standing = v.validity.standing;
  json j{{"number", c.number},
         {"officer_name", v.record.officer_name},
         {"department",
          {{"slug", v.record.department_slug},
           {"name", v.record.department_name},
           {"url", "/departments/" + http::percentEncode(v.record.department_slug)},
           {"officers_url",
            "/departments/" + http::percentEncode(v.record.department_slug) + "/officers"}}},
         {"category", c.category},
         {"region", c.region},
         {"valid", isValidStanding(standing)},
         {"status", standingCode(standing)},
         {"status_name", standingLabel(standing)},
         {"explanation", explanation(v)},
         {"check_url", checkUrl(c.number)}};
  if (standing == CertificateStanding::Replaced || standing == CertificateStanding::Revoked) {
    j["ended_on"] = c.ended_on.value_or("");
  } else {
    j["valid_through"] = v.validity.valid_through.toString();
  }
  if (v.record.replaced_by_number) {
    j["replaced_by"] = *v.record.replaced_by_number;
    j["replaced_by_url"] = checkUrl(*v.record.replaced_by_number);
  }
  return j;
}

// The staff roster shows the register's own fields as well.
// The answer of the public certificate check: whether it is valid, whose it is (the name the
// public roster already shows, so a citizen can match the card to the officer in front of them),
// for which department and category, and what became of it. No other personal data.
json certificateCheckJson(const CertificateView& v) { return publicCertificateJson(v); }

json staffCertificateJson(const CertificateView& v) {
  json j = publicCertificateJson(v);
  const auto& c = v.record.certificate;
  j["post"] = c.post;
  j["issued_on"] = c.issued_on;
  j["last_inspected_on"] = c.last_inspected_on.value_or("未检验");
  j["valid_through"] = v.validity.valid_through.toString();
  j["active"] = c.state == CertificateState::Active;
  j["end_reason"] = c.end_reason;
  return j;
}

struct RosterQuery {
  RosterFilter filter;
  std::string status;    // as in the URL
  std::string category;  // as in the URL
};

RosterQuery parseRosterQuery(const Request& req) {
  RosterQuery q;
  q.status = req.queryValue("status").value_or("");
  if (!q.status.empty()) {
    q.filter.standing = parseStanding(q.status);
    if (!q.filter.standing)
      throw http::HttpError(400, "未知的证件状态：" + q.status + "。", "bad_status");
  }
  q.category = req.queryValue("category").value_or("");
  if (!q.category.empty()) q.filter.category = q.category;
  const Paging paging = parsePaging(req, 50);
  q.filter.page = paging.page;
  q.filter.page_size = paging.page_size;
  return q;
}

std::string rosterUrl(const std::string& base, const std::string& status,
                      const std::string& category, int page) {
  std::string q;
  auto add = [&q](const char* k, const std::string& v) {
    q += (q.empty() ? "?" : "&") + std::string(k) + "=" + http::percentEncode(v);
  };
  if (!status.empty()) add("status", status);
  if (!category.empty()) add("category", category);
  if (page > 1) add("page", std::to_string(page));
  return base + q;
}

publishing::Department requireDepartment(Context& ctx, const std::string& slug_or_id) {
  auto d = ctx.catalog.department(slug_or_id);
  if (!d) throw http::HttpError(404, "未找到该部门。", "not_found");
  return *d;
}

json rosterRowsJson(const RosterPage& page, bool staff) {
  json rows = json::array();
  for (const auto& v : page.rows) {
    rows.push_back(staff ? staffCertificateJson(v) : publicCertificateJson(v));
  }
  return rows;
}

}  // namespace

// --- Public pages -------------------------------------------------------------------------

namespace {

// The status and category filters of the public roster, each a link that keeps the other.
json rosterFiltersJson(const std::string& base, const RosterQuery& q, const RosterPage& page) {
  json statuses = json::array();
  statuses.push_back({{"label", "全部状态"},
                      {"url", rosterUrl(base, "", q.category, 1)},
                      {"active", q.status.empty()}});
  for (auto s : {CertificateStanding::Valid, CertificateStanding::ExpiringSoon,
                 CertificateStanding::Expired, CertificateStanding::Revoked}) {
    statuses.push_back({{"label", standingLabel(s)},
                        {"url", rosterUrl(base, standingCode(s), q.category, 1)},
                        {"active", q.status == standingCode(s)}});
  }
  json categories = json::array();
  categories.push_back({{"label", "全部类别"},
                        {"url", rosterUrl(base, q.status, "", 1)},
                        {"active", q.category.empty()}});
  for (const auto& c : page.categories) {
    categories.push_back(
        {{"label", c}, {"url", rosterUrl(base, q.status, c, 1)}, {"active", q.category == c}});
  }
  return json{{"status_filters", statuses}, {"category_filters", categories}};
}

json rosterView(const publishing::Department& d, const RosterQuery& q, const RosterPage& page,
                int warning_days) {
  const std::string base = "/departments/" + http::percentEncode(d.slug) + "/officers";
  json rows = rosterRowsJson(page, false);
  json view{{"department", departmentJson(d)},
            {"officers", rows},
            {"has_officers", !rows.empty()},
            {"filtered", !q.status.empty() || !q.category.empty()},
            {"total", page.total},
            {"page", page.page},
            {"page_count", page.pageCount()},
            {"none", page.total == 0},
            {"past_end", page.total > 0 && rows.empty()},
            {"first_url", base},
            {"warning_days", warning_days}};
  view.update(rosterFiltersJson(base, q, page));
  if (page.page > 1) view["prev_url"] = rosterUrl(base, q.status, q.category, page.page - 1);
  if (page.page < page.pageCount()) {
    view["next_url"] = rosterUrl(base, q.status, q.category, page.page + 1);
  }
  return view;
}

}  // namespace

Response officerRosterPage(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  const RosterQuery q = parseRosterQuery(req);
  const RosterPage page = ctx.officers.roster(d.id, q.filter, today(ctx));
  json view = rosterView(d, q, page, ctx.config.officers.expiry_warning_days);
  view.update(layoutJson(ctx.config.site, req, d.name + "执法人员名单", "certificates"));
  return Response::html(ctx.renderer.render("officers", view));
}

Response certificateCheckPage(Context& ctx, const Request& req) {
  json view{{"number", ""}};
  int status = 200;
  if (auto typed = req.queryValue("number")) {
    const CertificateCheck result = ctx.officers.check(*typed, today(ctx));
    view["number"] = *typed;
    view["checked"] = true;
    switch (result.outcome) {
      case CertificateCheck::Outcome::Malformed:
        status = 400;
        view["problem"] = result.problem;
        break;
      case CertificateCheck::Outcome::Unknown:
        status = 404;
        view["unknown"] = true;
        view["normalised"] = result.number;
        break;
      case CertificateCheck::Outcome::Found:
        view["certificate"] = certificateCheckJson(*result.found);
        break;
    }
  }
  view.update(layoutJson(ctx.config.site, req, "执法证件查询", "certificates"));
  return Response::html(ctx.renderer.render("certificate_check", view), status);
}

// --- JSON API -----------------------------------------------------------------------------

Response apiCertificate(Context& ctx, const Request& req) {
  const CertificateCheck result = ctx.officers.check(req.params.at("number"), today(ctx));
  if (result.outcome == CertificateCheck::Outcome::Malformed) {
    throw http::HttpError(400, result.problem, "bad_number");
  }
  if (result.outcome == CertificateCheck::Outcome::Unknown) {
    throw http::HttpError(404, "未查到执法证号为 " + result.number + " 的证件。", "not_found");
  }
  return Response::json(certificateCheckJson(*result.found).dump());
}

Response apiDepartmentOfficers(Context& ctx, const Request& req) {
  const auto d = requireDepartment(ctx, req.params.at("id"));
  const RosterQuery q = parseRosterQuery(req);
  const RosterPage page = ctx.officers.roster(d.id, q.filter, today(ctx));
  return Response::json(
      json{{"department", departmentJson(d)},
           {"officers", rosterRowsJson(page, false)},
           {"categories", page.categories},
           {"page", pageInfoJson(page.total, page.page, page.page_size, page.pageCount())}}
          .dump());
}

// --- Staff pages --------------------------------------------------------------------------

namespace {

publishing::Department requireEditableDepartment(Context& ctx, const Request& req,
                                                 const accounts::Principal& p) {
  const auto d = requireDepartment(ctx, req.params.at("slug"));
  if (!accounts::canEditItemOf(p, d.id)) {
    throw http::HttpError(403, "您只能管理本部门的执法人员。", "forbidden");
  }
  return d;
}

std::string staffRosterUrl(const publishing::Department& d) {
  return "/admin/departments/" + http::percentEncode(d.slug) + "/officers";
}

// The page that asks before a certificate is revoked; its form posts to the revoke route.
std::string revokeConfirmUrl(const publishing::Department& d, const std::string& number) {
  return staffRosterUrl(d) + "/revoke?number=" + http::percentEncode(number);
}

Response renderStaffRoster(Context& ctx, const Request& req, const accounts::Principal& p,
                           const publishing::Department& d, json view, int status) {
  RosterFilter all;
  all.page_size = 200;
  all.page = 1;
  const auto t = today(ctx);
  json rows = json::array();
  std::int64_t shown = 0;
  std::int64_t total = 0;
  for (int page = 1;; ++page) {
    all.page = page;
    const RosterPage r = ctx.officers.roster(d.id, all, t);
    total = r.total;
    for (const auto& v : r.rows) {
      rows.push_back(staffCertificateJson(v));
      rows.back()["revoke_url"] = revokeConfirmUrl(d, v.record.certificate.number);
    }
    shown += static_cast<std::int64_t>(r.rows.size());
    if (r.rows.empty() || shown >= r.total) break;
  }
  const std::string base = staffRosterUrl(d);
  view["department"] = departmentJson(d);
  view["officers"] = rows;
  view["has_officers"] = !rows.empty();
  view["total"] = total;
  view["add_action"] = base;
  view["inspect_action"] = base + "/inspect";
  view["reissue_action"] = base + "/reissue";
  view["public_url"] = "/departments/" + http::percentEncode(d.slug) + "/officers";
  view["today"] = t.toString();
  if (!view.contains("form")) {
    view["form"] = json{{"name", ""}, {"number", ""},    {"category", ""},         {"region", ""},
                        {"post", ""}, {"issued_on", ""}, {"last_inspected_on", ""}};
  }
  return renderAdmin(ctx, req, "admin_officers", d.name + " 执法人员", std::move(view), &p, status);
}

accounts::AuditEntry actorEntry(const accounts::Principal& p, const Request& req) {
  return accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
}

// After a staff write: back to the roster, or the roster again with the reasons.
Response afterWrite(Context& ctx, const Request& req, const accounts::Principal& p,
                    const publishing::Department& d,
                    const std::variant<CertificateView, OfficerRefusal>& result, json view) {
  if (std::holds_alternative<CertificateView>(result)) {
    ctx.feeder.wake();
    return Response::redirect("/admin/departments/" + http::percentEncode(d.slug) + "/officers");
  }
  const auto& refused = std::get<OfficerRefusal>(result);
  view["errors"] = refused.errors;
  view["has_errors"] = true;
  return renderStaffRoster(ctx, req, p, d, std::move(view), refused.status);
}

}  // namespace

Response adminOfficersPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto d = requireEditableDepartment(ctx, req, p);
  return renderStaffRoster(ctx, req, p, d, json::object(), 200);
}

Response adminAddOfficer(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const auto d = requireEditableDepartment(ctx, req, p);
  NewOfficer o;
  o.department_id = d.id;
  o.name = http::formValue(form, "name");
  o.number = http::formValue(form, "number");
  o.category = http::formValue(form, "category");
  o.region = http::formValue(form, "region");
  o.post = http::formValue(form, "post");
  o.issued_on = http::formValue(form, "issued_on");
  o.last_inspected_on = http::formValue(form, "last_inspected_on");
  const auto result = ctx.officers.addOfficer(o, today(ctx), actorEntry(p, req));
  json view{{"form",
             {{"name", o.name},
              {"number", o.number},
              {"category", o.category},
              {"region", o.region},
              {"post", o.post},
              {"issued_on", o.issued_on},
              {"last_inspected_on", o.last_inspected_on}}},
            {"error_context", "新增执法人员"}};
  return afterWrite(ctx, req, p, d, result, std::move(view));
}

namespace {

// What every action on a certificate starts from: who, the form (CSRF checked), the department
// and the certificate number typed.
struct CertificateAction {
  accounts::Principal principal;
  Form form;
  publishing::Department department;
  std::string number;

  std::string field(const std::string& name) const { return http::formValue(form, name); }
};

CertificateAction readCertificateAction(Context& ctx, const Request& req) {
  CertificateAction a{requireStaff(ctx, req), req.form(), {}, {}};
  requireCsrf(a.principal, a.form);
  a.department = requireEditableDepartment(ctx, req, a.principal);
  a.number = a.field("number");
  return a;
}

// The roster view that shows a refusal of `what` (登记检验, 换发证件, 注销证件).
json refusalView(const CertificateAction& a, const std::string& what) {
  return json{{"error_number", a.number}, {"error_context", what + "（" + a.number + "）"}};
}

}  // namespace

Response adminInspectOfficer(Context& ctx, const Request& req) {
  const CertificateAction a = readCertificateAction(ctx, req);
  const auto result = ctx.officers.recordInspection(a.department.id, a.number,
                                                    a.field("inspected_on"), today(ctx),
                                                    actorEntry(a.principal, req));
  return afterWrite(ctx, req, a.principal, a.department, result, refusalView(a, "登记检验"));
}

Response adminReissueCertificate(Context& ctx, const Request& req) {
  const CertificateAction a = readCertificateAction(ctx, req);
  Reissue change;
  change.new_number = a.field("new_number");
  change.category = a.field("category");
  change.region = a.field("region");
  change.post = a.field("post");
  change.issued_on = a.field("issued_on");
  const auto result = ctx.officers.reissue(a.department.id, a.number, change, today(ctx),
                                           actorEntry(a.principal, req));
  return afterWrite(ctx, req, a.principal, a.department, result, refusalView(a, "换发证件"));
}

namespace {

// Ends the request with the refusal's first reason (404 not in this department, 409 ended).
[[noreturn]] void throwRefusal(const OfficerRefusal& r) {
  const std::string message = r.errors.empty() ? "" : r.errors.front();
  throw http::HttpError(r.status, message, r.status == 404 ? "not_found" : "conflict");
}

// The confirmation page of a revocation: whose certificate, what follows, and the reason asked
// for; `reason` and `errors` are what a refused post typed and why it was refused.
Response renderRevokeConfirm(Context& ctx, const Request& req, const accounts::Principal& p,
                             const publishing::Department& d, const CertificateView& v,
                             const std::string& reason, const std::vector<std::string>& errors,
                             int status) {
  const std::string& number = v.record.certificate.number;
  json view{{"department", departmentJson(d)},
            {"certificate", staffCertificateJson(v)},
            {"roster_url", staffRosterUrl(d)},
            {"post_url", staffRosterUrl(d) + "/revoke"},
            {"reason", reason},
            {"errors", errors},
            {"has_errors", !errors.empty()}};
  return renderAdmin(ctx, req, "admin_officer_revoke", "注销执法证件 " + number, std::move(view),
                     &p, status);
}

}  // namespace

Response adminRevokeConfirmPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const auto d = requireEditableDepartment(ctx, req, p);
  const auto found =
      ctx.officers.activeCertificate(d.id, req.queryValue("number").value_or(""), today(ctx));
  if (const auto* refused = std::get_if<OfficerRefusal>(&found)) throwRefusal(*refused);
  return renderRevokeConfirm(ctx, req, p, d, std::get<CertificateView>(found), "", {}, 200);
}

// The confirmation page's form. A reason that is missing or too long shows the page again with
// what was typed; a certificate gone or ended meanwhile shows the roster with why.
Response adminRevokeCertificate(Context& ctx, const Request& req) {
  const CertificateAction a = readCertificateAction(ctx, req);
  const auto result = ctx.officers.revoke(a.department.id, a.number, a.field("reason"),
                                          today(ctx), actorEntry(a.principal, req));
  const auto* refused = std::get_if<OfficerRefusal>(&result);
  if (refused && refused->status == 422) {
    const auto still = ctx.officers.activeCertificate(a.department.id, a.number, today(ctx));
    if (const auto* v = std::get_if<CertificateView>(&still)) {
      return renderRevokeConfirm(ctx, req, a.principal, a.department, *v, a.field("reason"),
                                 refused->errors, 422);
    }
  }
  return afterWrite(ctx, req, a.principal, a.department, result, refusalView(a, "注销证件"));
}

}  // namespace portal::web
