// The legal office's amendment listing (issue 11, item 7): a law was amended or repealed;
// which items of which departments cite it, with the articles; flag them in one action.
#include <nlohmann/json.hpp>

#include "portal/accounts/audit_service.h"
#include "portal/accounts/permissions.h"
#include "portal/http/url.h"
#include "portal/publishing/amendment_service.h"
#include "portal/web/admin_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

accounts::Principal requireLegalOffice(Context& ctx, const Request& req) {
  auto p = requireStaff(ctx, req);
  if (!accounts::canManageAmendments(p)) {
    throw http::HttpError(403, "只有法制审核人员和系统管理员可以登记法律法规的修订并标记事项。",
                          "forbidden");
  }
  return p;
}

json citingJson(const CitingItem& i) {
  return json{{"item_id", i.item_id},
              {"code", i.code},
              {"name", i.name},
              {"url", itemPath(i.department_slug, i.code)},
              {"in_force", i.status == ItemStatus::InForce},
              {"status_name", std::string(statusName(i.status))},
              {"version", i.version},
              {"department_name", i.department_name},
              {"articles", i.articles},
              {"flagged", i.flagged}};
}

Response renderListing(Context& ctx, const Request& req, const accounts::Principal& p,
                       AmendmentService& service, const std::string& law_input,
                       std::vector<std::string> errors, int status) {
  json view{{"law_input", law_input}, {"errors", errors}};
  if (!law_input.empty() && errors.empty()) {
    auto impact = service.impact(law_input);
    if (auto* refused = std::get_if<Refused>(&impact)) {
      view["errors"] = refused->errors;
      status = 422;
    } else {
      const auto& li = std::get<LawImpact>(impact);
      json items = json::array();
      for (const auto& i : li.items) items.push_back(citingJson(i));
      view["impact"] = {{"title", li.title},
                        {"csrf_token", p.csrf_token},
                        {"law", li.law},
                        {"has_items", !li.items.empty()},
                        {"count", li.items.size()},
                        {"department_count", li.departmentCount()},
                        {"items", items}};
    }
  }
  json recent = json::array();
  for (const auto& a : service.recent(50)) {
    recent.push_back({{"url", "/admin/amendments/" + std::to_string(a.id)},
                      {"title", a.title},
                      {"kind_name", std::string(amendmentKindName(a.kind))},
                      {"created_at", a.created_at},
                      {"flagged", a.flagged},
                      {"pending", a.pending},
                      {"flagged_by", a.flagged_by}});
  }
  view["has_recent"] = !recent.empty();
  view["recent"] = recent;
  return renderAdmin(ctx, req, "admin_amendments", "法律法规修订影响", view, &p, status);
}

}  // namespace

Response amendmentsPage(Context& ctx, const Request& req) {
  const auto p = requireLegalOffice(ctx, req);
  AmendmentService& service = ctx.amendments;
  return renderListing(ctx, req, p, service, req.queryValue("law").value_or(""), {}, 200);
}

Response flagAmendment(Context& ctx, const Request& req) {
  const auto p = requireLegalOffice(ctx, req);
  const auto form = req.form();
  requireCsrf(p, form);
  FlagRequest request;
  request.title = http::formValue(form, "law");
  request.kind = http::formValue(form, "kind");
  request.reason = http::formValue(form, "reason");
  for (const auto& [key, value] : form) {
    if (key != "item") continue;
    const auto id = http::parseWholeNumber(value);
    if (!id) throw http::HttpError(400, "所选事项无效。", "bad_item");
    request.item_ids.push_back(*id);
  }
  AmendmentService& service = ctx.amendments;
  auto result = service.flag(request, accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr)));
  if (auto* refused = std::get_if<Refused>(&result)) {
    return renderListing(ctx, req, p, service, request.title, refused->errors, refused->status);
  }
  const auto& done = std::get<FlagOutcome>(result);
  return Response::redirect("/admin/amendments/" + std::to_string(done.amendment_id) +
                            "?flagged=" + std::to_string(done.flagged));
}

Response amendmentPage(Context& ctx, const Request& req) {
  const auto p = requireLegalOffice(ctx, req);
  const auto id = http::parseWholeNumber(req.params.at("id"), 9);
  AmendmentService& service = ctx.amendments;
  const auto a = id ? service.amendment(*id) : std::nullopt;
  if (!a) throw http::HttpError(404, "没有这条修订记录。", "not_found");
  json items = json::array();
  for (const auto& f : service.flaggedItems(a->id)) {
    json j = citingJson(f.item);
    j["pending"] = !f.updated();
    j["current_version"] = f.current_version;
    items.push_back(std::move(j));
  }
  json amendment{{"title", a->title},
                 {"kind_name", std::string(amendmentKindName(a->kind))},
                 {"notice", flagNotice(a->kind)},
                 {"reason", a->reason},
                 {"created_at", a->created_at},
                 {"flagged_by", a->flagged_by},
                 {"flagged", a->flagged},
                 {"pending", a->pending},
                 {"law_query", http::percentEncode(a->title)},
                 {"items", items}};
  if (const auto n = http::parseWholeNumber(req.queryValue("flagged").value_or(""), 6); n && *n > 0) {
    amendment["just_flagged"] = *n;
  }
  return renderAdmin(ctx, req, "admin_amendment", a->title, json{{"amendment", amendment}}, &p);
}

}  // namespace portal::web
