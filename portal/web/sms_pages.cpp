#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "hotline/phone_number.h"
#include "hotline/sms_outbox.h"
#include "hotline/text.h"
#include "portal/accounts/audit_store.h"
#include "portal/http/url.h"
#include "portal/web/admin_views.h"
#include "portal/web/handlers.h"
#include "portal/web/staff.h"

namespace portal::web {

namespace {

// Kannel's report type: a small positive number. Anything else is malformed.
std::optional<int> reportType(const std::string& s) {
  if (s.empty() || s.size() > 3) return std::nullopt;
  int n = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n;
}

// The outbox is the legal office's to supervise: it spans every department.
accounts::Principal requireSupervisor(Context& ctx, const Request& req) {
  auto p = requireStaff(ctx, req);
  if (p.role != accounts::Role::Reviewer && p.role != accounts::Role::Admin) {
    throw http::HttpError(403, "只有法制审核人员和系统管理员可以查看短信发送记录。", "forbidden");
  }
  return p;
}

std::string eventName(const std::string& kind) {
  static const std::map<std::string, std::string> kNames = {
      {"registered", "登记"},  {"accepted", "受理"},    {"rejected", "不予受理"},
      {"transferred", "移送"}, {"started", "办理进展"}, {"note", "办理进展"},
      {"concluded", "办结"}};
  const auto it = kNames.find(kind);
  return it == kNames.end() ? kind : it->second;
}

}  // namespace

// The gateway's delivery report, authenticated by the unguessable per-message token in the
// URL we gave it. Two shapes are understood, by GET query or POST form:
//  - Jasmin's (`id`, `message_status`, `level`, ...): always answered 200 with exactly
//    "ACK/Jasmin", or Jasmin sends the report again (and again); a malformed report, an
//    unknown state, an unknown token and an already-final message are acknowledged and
//    ignored alike.
//  - Kannel's (`status`, its %d): answered "OK"; a missing or malformed status is a bare 400.
// A token that is not one of ours in form (32 lowercase hex) is refused with 404, which Jasmin
// does not retry. Nothing about the message is ever echoed; an unknown well-formed token is
// answered like a known one, so a prober learns nothing.
Response smsDeliveryReport(Context& ctx, const Request& req) {
  const auto token_param = req.params.find("token");
  const std::string token = token_param == req.params.end() ? "" : token_param->second;
  std::vector<std::pair<std::string, std::string>> fields = req.query;
  if (req.method == "POST") {
    try {
      for (auto& field : req.form()) fields.push_back(std::move(field));
    } catch (const http::HttpError&) {
      // Not a form: only the query counts.
    }
  }
  const auto field = [&fields](const std::string& name) -> std::optional<std::string> {
    for (const auto& [key, value] : fields) {
      if (key == name) return value;
    }
    return std::nullopt;
  };
  const bool from_jasmin = field("message_status") || (field("id") && field("level"));
  if (!hotline::isDlrToken(token)) {
    return Response::text("未知的回执地址。\n", 404);
  }
  Response r;
  if (from_jasmin) {
    const auto report =
        hotline::jasminDeliveryReport(field("id").value_or(""), field("message_status").value_or(""),
                                      field("level").value_or(""), field("err").value_or(""));
    if (report) ctx.sms.recordDeliveryReport(token, *report);
    r = Response::text("ACK/Jasmin");
  } else {
    const auto type = reportType(field("status").value_or(""));
    if (!type) return Response::text("回执状态缺失或无效。\n", 400);
    ctx.sms.recordDeliveryReport(token, *type);
    r = Response::text("OK\n");
  }
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

// Staff: the outbox, newest first, with state, attempts, last error and delivery report.
// Phones are masked; a registration message's tracking code is masked too (staff never see
// it; see hotline::displayedSmsText).
Response smsOutboxPage(Context& ctx, const Request& req) {
  const auto p = requireSupervisor(ctx, req);
  std::optional<hotline::SmsState> state;
  const std::string filter = req.queryValue("state").value_or("");
  if (!filter.empty()) {
    state = hotline::parseSmsState(filter);
    if (!state) throw http::HttpError(400, "未知的短信状态：" + filter + "。", "bad_state");
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const hotline::SmsMessage& m : ctx.sms.list(state, 200)) {
    const std::string national = m.recipient.rfind("+86", 0) == 0 ? m.recipient.substr(3) : "";
    rows.push_back(
        {{"id", m.id},
         {"created_at", m.created_at},
         {"event", eventName(m.event_kind)},
         {"recipient", hotline::maskPhone(national)},
         {"text", hotline::displayedSmsText(ctx.sms.options(), m)},
         {"segments", m.segments},
         {"state", std::string(hotline::smsStateCode(m.state))},
         {"state_name", std::string(hotline::smsStateName(m.state))},
         {"attempts", m.attempts},
         {"last_error", m.last_error},
         {"gateway", m.gateway},
         {"gateway_message_id", m.gateway_message_id},
         {"sent_at", m.sent_at},
         {"dlr_status", m.dlr_status},
         {"dlr_at", m.dlr_at},
         {"can_resend", m.state == hotline::SmsState::Failed}});
  }
  nlohmann::json counts = nlohmann::json::array();
  for (const auto& [s, n] : ctx.sms.stateCounts()) {
    counts.push_back({{"state", std::string(hotline::smsStateCode(s))},
                      {"state_name", std::string(hotline::smsStateName(s))},
                      {"count", n}});
  }
  nlohmann::json states = nlohmann::json::array();
  for (const hotline::SmsState s : {hotline::SmsState::Queued, hotline::SmsState::Sending,
                                    hotline::SmsState::Sent, hotline::SmsState::Delivered,
                                    hotline::SmsState::Failed}) {
    states.push_back({{"code", std::string(hotline::smsStateCode(s))},
                      {"name", std::string(hotline::smsStateName(s))},
                      {"selected", state == s}});
  }
  nlohmann::json view{{"rows", rows},
                      {"counts", counts},
                      {"states", states},
                      {"filter_state", filter},
                      {"csrf_token", p.csrf_token}};
  if (req.queryValue("resent")) view["notice"] = "已重新发送，请稍后刷新查看结果。";
  if (const auto bulk = req.queryValue("resent_bulk")) {
    const auto n = http::parseWholeNumber(*bulk).value_or(0);
    const auto skipped = http::parseWholeNumber(req.queryValue("over_limit").value_or("0"));
    view["notice"] = "已批量重新发送 " + std::to_string(n) + " 条短信" +
                     (skipped && *skipped > 0
                          ? "；" + std::to_string(*skipped) + " 条因号码已达每日上限未发送"
                          : std::string()) +
                     "。";
  }
  // Accepted by the gateway, no final report for too long: lost at the gateway or the SMSC?
  nlohmann::json overdue = nlohmann::json::array();
  for (const hotline::SmsMessage& m : ctx.sms.reportOverdue(50)) {
    const std::string national = m.recipient.rfind("+86", 0) == 0 ? m.recipient.substr(3) : "";
    overdue.push_back({{"id", m.id},
                       {"sent_at", m.sent_at},
                       {"event", eventName(m.event_kind)},
                       {"recipient", hotline::maskPhone(national)},
                       {"gateway", m.gateway},
                       {"dlr_status", m.dlr_status}});
  }
  view["overdue"] = overdue;
  view["overdue_count"] = ctx.sms.reportOverdueCount();
  view["report_timeout_minutes"] = ctx.sms.options().report_timeout_s / 60;
  view["daily_limit"] = ctx.sms.options().daily_limit_per_number;
  return renderAdmin(ctx, req, "admin_sms", "短信发送记录", view, &p);
}

// Staff: a failed message goes out again (the same row, a new attempt; never a copy). Each
// resend counts against the number's daily cap; beyond it only with the override box ticked
// and a reason, which the audit row records.
Response smsResend(Context& ctx, const Request& req) {
  const auto p = requireSupervisor(ctx, req);
  const auto form = req.form();
  requireCsrf(p, form);
  const std::string id_text = req.params.at("id");
  const auto id = http::parseWholeNumber(id_text);
  if (!id) throw http::HttpError(404, "未找到该短信。", "not_found");
  const bool over_limit = http::formValue(form, "over_limit") == "1";
  const std::string reason = hotline::trimText(http::formValue(form, "over_limit_reason"));
  if (over_limit && reason.empty()) {
    throw http::HttpError(422, "超出每日上限重新发送须填写理由。", "reason_required");
  }
  accounts::AuditEntry audit = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  audit.action = over_limit ? "sms.resend_over_limit" : "sms.resend";
  audit.object_type = "sms";
  audit.object_id = id_text;
  audit.summary = over_limit ? "超出每日上限重新发送短信 #" + id_text + "，理由：" + reason
                             : "重新发送短信 #" + id_text;
  // The audit row commits or rolls back with the requeue.
  const auto append = [&audit, &ctx](db::Connection& conn) {
    accounts::AuditStore(conn, ctx.clock.instantSource()).append(audit);
  };
  switch (ctx.sms.resend(*id, over_limit, append)) {
    case hotline::ResendOutcome::Resent:
      break;
    case hotline::ResendOutcome::NotFailed:
      throw http::HttpError(409, "只有发送失败的短信可以重新发送。", "not_failed");
    case hotline::ResendOutcome::DailyLimit:
      throw http::HttpError(
          409,
          "该号码今日短信已达每日" + std::to_string(ctx.sms.options().daily_limit_per_number) +
              "条的上限，未重新发送。如确需发送，请勾选“超出上限发送”并填写理由（将记入审计日志）。",
          "daily_limit");
  }
  return Response::redirect("/admin/sms?resent=1");
}

// Staff: every failed message of a period goes out again in one audited action, within each
// number's daily cap (those at the cap stay failed and are counted in the notice).
Response smsResendFailed(Context& ctx, const Request& req) {
  const auto p = requireSupervisor(ctx, req);
  const auto form = req.form();
  requireCsrf(p, form);
  const auto from = hotline::CivilDate::parse(http::formValue(form, "from"));
  const auto to = hotline::CivilDate::parse(http::formValue(form, "to"));
  if (!from || !to) throw http::HttpError(422, "请填写起止日期，格式为 YYYY-MM-DD。", "bad_date");
  if (*to < *from) throw http::HttpError(422, "结束日期不能早于开始日期。", "bad_date");
  accounts::AuditEntry audit = accounts::auditEntryFor(accounts::Actor::staff(p, req.remote_addr));
  audit.action = "sms.resend_failed";
  audit.object_type = "sms";
  const auto result = ctx.sms.resendFailed(
      *from, *to, [&](db::Connection& conn, const hotline::BulkResend& r) {
        audit.summary = "批量重新发送 " + from->toString() + " 至 " + to->toString() +
                        " 发送失败的短信 " + std::to_string(r.resent.size()) + " 条" +
                        (r.over_limit > 0 ? "（" + std::to_string(r.over_limit) +
                                                " 条因号码已达每日上限未发送）"
                                          : "");
        audit.after_json = nlohmann::json{{"resent", r.resent}, {"over_limit", r.over_limit}}.dump();
        accounts::AuditStore(conn, ctx.clock.instantSource()).append(audit);
      });
  return Response::redirect("/admin/sms?resent_bulk=" + std::to_string(result.resent.size()) +
                            "&over_limit=" + std::to_string(result.over_limit));
}

}  // namespace portal::web
