// Drafts and the optional legal-office review: the item form's "保存草稿" and, in departments
// that require review, "提交审核"; a draft's page with its differences from the public version
// and the actions its viewer may take (edit, submit or publish, recall, approve, return).
#include "portal/accounts/permissions.h"
#include "portal/http/url.h"
#include "portal/publishing/item_diff.h"
#include "portal/web/admin_views.h"
#include "portal/web/staff.h"
#include "portal/web/views.h"

namespace portal::web {

using nlohmann::json;
using namespace portal::publishing;

namespace {

std::string draftUrl(std::int64_t id) { return "/admin/drafts/" + std::to_string(id); }

std::int64_t draftId(const Request& req) {
  const auto id = http::parseWholeNumber(req.params.at("id"));
  if (!id) throw http::HttpError(404, "未找到该草稿。", "not_found");
  return *id;
}

accounts::Actor actorOf(const accounts::Principal& p, const Request& req) {
  return accounts::Actor::staff(p, req.remote_addr);
}

// Refusals that are not about the content end the request; the rest are shown on the page.
void throwUnlessShowable(const Refused& r) {
  const std::string message = r.errors.empty() ? "" : r.errors.front();
  if (r.status == 403) throw http::HttpError(403, message, "forbidden");
  if (r.status == 404) throw http::HttpError(404, message, "not_found");
}

json draftRowJson(const ItemDraft& d) {
  return json{{"id", d.id},
              {"url", draftUrl(d.id)},
              {"code", d.item.code},
              {"name", d.item.name},
              {"state_name", std::string(draftStateName(d.state))},
              {"change_kind_name", std::string(changeKindName(d.item.change_kind))},
              {"author", d.author_name},
              {"review_comment", d.review_comment},
              {"updated_at", d.updated_at}};
}

Response renderDraftForm(Context& ctx, const Request& req, const accounts::Principal& p,
                         const Department& d, const ListItem& item, bool editing,
                         const std::string& expected_version, const std::string& action,
                         const std::string& review_comment, std::vector<std::string> errors,
                         int status) {
  json view{{"item", formJson(item, std::string(changeKindCode(item.change_kind)))},
            {"editing", editing},
            {"expected_version", expected_version},
            {"requires_review", ctx.drafts.requiresReview(d.id)},
            {"review_comment", review_comment},
            {"department", departmentJson(d)},
            {"errors", errors},
            {"action", action}};
  return renderAdmin(ctx, req, "admin_item_form", editing ? "修改事项" : "新增事项", view, &p,
                     status);
}

Department departmentOf(Context& ctx, const ItemDraft& d) {
  auto dept = ctx.catalog.department(std::to_string(d.department_id));
  if (!dept) throw http::HttpError(404, "未找到该部门。", "not_found");
  return *dept;
}

ItemDraft viewableDraft(Context& ctx, const Request& req, const accounts::Principal& p) {
  auto d = ctx.drafts.find(draftId(req));
  if (!d) throw http::HttpError(404, "未找到该草稿。", "not_found");
  if (!canViewDraft(p, *d)) throw http::HttpError(403, "您不能查看其他部门的草稿。", "forbidden");
  return *d;
}

Response renderDraft(Context& ctx, const Request& req, const accounts::Principal& p,
                     std::vector<std::string> errors = {}, int status = 200) {
  const ItemDraft d = viewableDraft(ctx, req, p);
  const Department dept = departmentOf(ctx, d);
  const bool requires_review = ctx.drafts.requiresReview(d.department_id);
  const auto current =
      d.isNewItem() ? std::nullopt : ctx.catalog.item(std::to_string(d.department_id), d.item.code);
  ListItem proposed = d.item;
  if (auto code = itemTypeCode(proposed.type)) proposed.type = *code;
  if (proposed.change_kind == ChangeKind::Cancel) proposed.status = ItemStatus::Cancelled;
  if (proposed.change_kind == ChangeKind::Delegate) proposed.status = ItemStatus::Delegated;
  json diff = json::array();
  int changed = 0;
  for (const auto& f : diffItems(current ? current->item : ListItem{}, proposed)) {
    diff.push_back(
        {{"label", f.label}, {"before", f.before}, {"after", f.after}, {"changed", f.changed}});
    changed += f.changed;
  }
  json draft = draftRowJson(d);
  draft.update({{"state", std::string(draftStateCode(d.state))},
                {"change_reason", d.item.change_reason},
                {"legal_trigger", d.item.legal_trigger},
                {"reviewer", d.reviewer_name},
                {"created_at", d.created_at},
                {"new_item", d.isNewItem()},
                {"base_version", d.base_version.value_or(0)},
                {"published_version", d.published_version.value_or(0)},
                {"published", d.state == DraftState::Published},
                {"item_url", itemPath(dept.slug, d.item.code)}});
  const bool stale = current && d.base_version && current->item.version != *d.base_version &&
                     d.state != DraftState::Published;
  json view{{"draft", draft},
            {"department", departmentJson(dept)},
            {"diff", diff},
            {"changed_count", changed},
            {"current_version", current ? current->item.version : 0},
            {"has_current", current.has_value()},
            {"stale", stale},
            {"requires_review", requires_review},
            {"can_change", canChangeDraft(p, d)},
            {"can_review", canReviewDraft(p, d)},
            {"can_recall", canRecallDraft(p, d)},
            {"errors", errors}};
  return renderAdmin(ctx, req, "admin_draft", "草稿：" + d.item.name, view, &p, status);
}

Response afterAction(Context& ctx, const Request& req, const accounts::Principal& p,
                     const DraftResult& result) {
  if (const auto* ok = std::get_if<DraftOutcome>(&result)) {
    if (ok->published_version) ctx.feeder.wake();
    return Response::redirect(draftUrl(ok->draft_id));
  }
  const auto& refused = std::get<Refused>(result);
  throwUnlessShowable(refused);
  return renderDraft(ctx, req, p, refused.errors, refused.status);
}

}  // namespace

void addDraftLists(Context& ctx, const accounts::Principal& p, json& view) {
  json mine = json::array();
  for (const auto& d : ctx.drafts.openDraftsOf(p.account_id)) mine.push_back(draftRowJson(d));
  view["my_drafts"] = mine;
  view["has_my_drafts"] = !mine.empty();
  view["can_review"] = accounts::canReview(p);
  if (!accounts::canReview(p)) return;
  json queue = json::array();
  for (const auto& d : ctx.drafts.awaitingReview()) {
    if (d.author_id != p.account_id) queue.push_back(draftRowJson(d));
  }
  view["review_queue"] = queue;
  view["has_review_queue"] = !queue.empty();
}

Response draftPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  return renderDraft(ctx, req, p);
}

Response editDraftPage(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const ItemDraft d = viewableDraft(ctx, req, p);
  if (!canChangeDraft(p, d)) {
    throw http::HttpError(403, "只有草稿的作者可以修改未提交或已退回的草稿。", "forbidden");
  }
  return renderDraftForm(ctx, req, p, departmentOf(ctx, d), d.item, !d.isNewItem(),
                         std::to_string(d.base_version.value_or(0)), draftUrl(d.id),
                         d.state == DraftState::Returned ? d.review_comment : "", {}, 200);
}

Response saveDraft(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  const ItemDraft d = viewableDraft(ctx, req, p);
  ListItem item = itemFromForm(form, &d.item);
  item.change_kind =
      d.isNewItem()
          ? ChangeKind::Create
          : parseChangeKind(http::formValue(form, "change_kind")).value_or(ChangeKind::Create);
  const AfterSave then =
      http::formValue(form, "op") == "draft" ? AfterSave::KeepDraft : AfterSave::Submit;
  const auto result = ctx.drafts.update(actorOf(p, req), d.id, item, then);
  if (const auto* ok = std::get_if<DraftOutcome>(&result)) {
    if (ok->published_version) ctx.feeder.wake();
    return Response::redirect(draftUrl(ok->draft_id));
  }
  const auto& refused = std::get<Refused>(result);
  throwUnlessShowable(refused);
  if (item.code.empty()) item.code = d.item.code;
  return renderDraftForm(ctx, req, p, departmentOf(ctx, d), item, !d.isNewItem(),
                         std::to_string(d.base_version.value_or(0)), draftUrl(d.id),
                         d.review_comment, refused.errors, refused.status);
}

Response submitDraft(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  requireCsrf(p, req.form());
  return afterAction(ctx, req, p, ctx.drafts.submit(actorOf(p, req), draftId(req)));
}

Response recallDraft(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  requireCsrf(p, req.form());
  return afterAction(ctx, req, p, ctx.drafts.recall(actorOf(p, req), draftId(req)));
}

Response approveDraft(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  requireCsrf(p, req.form());
  return afterAction(ctx, req, p, ctx.drafts.approve(actorOf(p, req), draftId(req)));
}

Response returnDraft(Context& ctx, const Request& req) {
  const auto p = requireStaff(ctx, req);
  const Form form = req.form();
  requireCsrf(p, form);
  return afterAction(
      ctx, req, p,
      ctx.drafts.returnToAuthor(actorOf(p, req), draftId(req), http::formValue(form, "comment")));
}

}  // namespace portal::web
