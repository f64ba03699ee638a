#include <set>
#include <string>

#include "portal/web/guards.h"
#include "portal/web/handlers.h"

namespace portal::web {

http::Router buildRouter(Context& ctx) {
  using http::Execution;
  struct Row {
    const char* method;
    const char* pattern;
    const char* name;
    Response (*handler)(Context&, const Request&);
    Execution execution;
  };
  // clang-format off
  static const Row kRoutes[] = {
      // Public pages
      {"GET", "/",                          "home",               homePage,              Execution::Worker},
      {"GET", "/departments/:slug",         "department_page",    departmentPage,        Execution::Worker},
      {"GET", "/items/:code",               "item_by_code",       legacyItemPage,        Execution::Worker},
      {"GET", "/items/:code/history",       "item_history_by_code", legacyItemHistoryPage, Execution::Worker},
      {"GET", "/items/:slug/:code",         "item_page",          itemPage,              Execution::Worker},
      {"GET", "/departments/:slug/export.csv", "department_export", exportCsv,            Execution::Worker},
      {"GET", "/items/:slug/:code/history", "item_history",       itemHistoryPage,       Execution::Worker},
      {"GET", "/changes",                   "changes",            changesPage,           Execution::Worker},
      {"GET", "/departments/:slug/changes", "department_changes", changesPage,           Execution::Worker},
      {"GET", "/feeds/changes.atom",        "changes_feed",       changesFeed,           Execution::Worker},
      {"GET", "/feeds/departments/:file",   "department_feed",    departmentChangesFeed, Execution::Worker},
      {"GET", "/complaint-channels",        "complaint_channels", complaintChannelsPage, Execution::Worker},
      {"GET",  "/complaints/new",           "complaint_form",     complaintFormPage,     Execution::Worker},
      {"POST", "/complaints/new",           "complaint_submit",   submitComplaint,       Execution::Worker},
      {"GET",  "/track",                    "track_page",         trackPage,             Execution::Worker},
      {"POST", "/track",                    "track_lookup",       trackLookup,           Execution::Worker},
      {"POST", "/track/evaluate",           "track_evaluate",     trackEvaluate,         Execution::Worker},
      {"GET", "/enforcement",               "enforcement",        enforcementPage,       Execution::Worker},
      {"GET", "/enforcement/statistics",    "enforcement_statistics", enforcementStatisticsPage, Execution::Worker},
      {"GET", "/enforcement/statistics.csv", "enforcement_statistics_csv", enforcementStatisticsCsv, Execution::Worker},
      {"GET", "/decisions",                 "decisions",          decisionsPage,         Execution::Worker},
      {"GET", "/decisions/:id",             "decision_page",      decisionPage,          Execution::Worker},
      {"GET", "/departments/:slug/officers", "department_officers", officerRosterPage,   Execution::Worker},
      {"GET", "/certificates/check",        "certificate_check",  certificateCheckPage,  Execution::Worker},
      {"GET", "/disclosures",               "disclosures",        disclosuresIndexPage,  Execution::Worker},
      {"GET", "/departments/:slug/disclosures", "department_disclosures", departmentDisclosuresPage, Execution::Worker},
      {"GET", "/departments/:slug/disclosures/:section/history", "disclosure_history", disclosureHistoryPage, Execution::Worker},
      {"GET", "/search",                    "search_page",        searchPage,            Execution::Worker},
      {"GET", "/opensearch.xml",            "opensearch",         openSearchDescription, Execution::Inline},
      {"GET", "/settings/text-size",        "text_size",          setTextSize,           Execution::Inline},
      {"GET", "/settings/contrast",         "contrast",           setContrast,           Execution::Inline},
      {"GET", "/contact",                   "contact",            contactPage,           Execution::Worker},
      {"GET", "/sitemap",                   "sitemap",            siteMapPage,           Execution::Worker},
      {"GET", "/static/*",                  "static",             staticFile,            Execution::Inline},
      {"GET", "/robots.txt",                "static",             rootFile,              Execution::Inline},
      {"GET", "/favicon.ico",               "static",             rootFile,              Execution::Inline},
      // Staff pages (login required; every POST checks the CSRF token)
      {"GET",  "/admin/login",                    "admin_login",     loginPage,    Execution::Worker},
      {"POST", "/admin/login",                    "admin_login_post", login,       Execution::Worker},
      {"POST", "/admin/logout",                   "admin_logout",    logout,       Execution::Worker},
      {"GET",  "/admin",                          "admin_home",      adminHome,    Execution::Worker},
      {"GET",  "/admin/items/:slug/:code/edit",   "admin_item_edit", editItemPage, Execution::Worker},
      {"POST", "/admin/items/:slug/:code",        "admin_item_save", saveItem,     Execution::Worker},
      {"GET",  "/admin/departments/:slug/items/new", "admin_item_new", newItemPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/items",  "admin_item_create", createItem, Execution::Worker},
      {"GET",  "/admin/drafts/:id",               "admin_draft",     draftPage,    Execution::Worker},
      {"GET",  "/admin/drafts/:id/edit",          "admin_draft_edit", editDraftPage, Execution::Worker},
      {"POST", "/admin/drafts/:id",               "admin_draft_save", saveDraft,   Execution::Worker},
      {"POST", "/admin/drafts/:id/submit",        "admin_draft_submit", submitDraft, Execution::Worker},
      {"POST", "/admin/drafts/:id/recall",        "admin_draft_recall", recallDraft, Execution::Worker},
      {"POST", "/admin/drafts/:id/approve",       "admin_draft_approve", approveDraft, Execution::Worker},
      {"POST", "/admin/drafts/:id/return",        "admin_draft_return", returnDraft, Execution::Worker},
      {"GET",  "/admin/departments/:slug/import", "admin_import", importPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/import/preview", "admin_import_preview", importPreview, Execution::Worker},
      {"POST", "/admin/departments/:slug/import/apply", "admin_import_apply", importApply, Execution::Worker},
      {"GET",  "/admin/departments/:slug/officers", "admin_officers", adminOfficersPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/officers", "admin_officer_add", adminAddOfficer, Execution::Worker},
      {"POST", "/admin/departments/:slug/officers/inspect", "admin_officer_inspect", adminInspectOfficer, Execution::Worker},
      {"POST", "/admin/departments/:slug/officers/reissue", "admin_officer_reissue", adminReissueCertificate, Execution::Worker},
      {"GET",  "/admin/departments/:slug/officers/revoke", "admin_officer_revoke_confirm", adminRevokeConfirmPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/officers/revoke", "admin_officer_revoke", adminRevokeCertificate, Execution::Worker},
      {"GET",  "/admin/departments/:slug/disclosures", "admin_disclosures", adminDisclosuresPage, Execution::Worker},
      {"GET",  "/admin/departments/:slug/disclosures/:section", "admin_disclosure_edit", editDisclosurePage, Execution::Worker},
      {"POST", "/admin/departments/:slug/disclosures/:section", "admin_disclosure_save", saveDisclosure, Execution::Worker},
      {"GET",  "/admin/search",                   "admin_search",    searchInsightsPage, Execution::Worker},
      {"POST", "/admin/search/synonyms", "admin_synonym_save", saveSynonym, Execution::Worker},
      {"GET",  "/admin/amendments",               "admin_amendments", amendmentsPage, Execution::Worker},
      {"POST", "/admin/amendments",               "admin_amendment_flag", flagAmendment, Execution::Worker},
      {"GET",  "/admin/amendments/:id",           "admin_amendment", amendmentPage, Execution::Worker},
      {"GET",  "/admin/audit",                    "admin_audit",     auditPage,    Execution::Worker},
      {"GET",  "/admin/accounts",                 "admin_accounts",  adminAccountsPage, Execution::Worker},
      {"POST", "/admin/accounts",                 "admin_account_create", adminCreateAccount, Execution::Worker},
      {"GET",  "/admin/accounts/:id/deactivate",  "admin_account_deactivate_confirm", adminDeactivateConfirmPage, Execution::Worker},
      {"POST", "/admin/accounts/:id/deactivate",  "admin_account_deactivate", adminDeactivateAccount, Execution::Worker},
      {"POST", "/admin/accounts/:id/activate",    "admin_account_activate", adminActivateAccount, Execution::Worker},
      {"GET",  "/admin/complaints",               "admin_complaints", complaintQueuePage, Execution::Worker},
      {"GET",  "/admin/complaints/statistics",    "admin_complaint_stats", complaintStatisticsPage, Execution::Worker},
      {"GET",  "/admin/complaints/phone",         "admin_phone_entry", phoneEntryPage, Execution::Worker},
      {"POST", "/admin/complaints/phone",         "admin_phone_submit", submitPhoneEntry, Execution::Worker},
      {"GET",  "/admin/complaints/:number",       "admin_complaint", complaintDetailPage, Execution::Worker},
      {"GET",  "/admin/complaints/:number/evidence/:n", "admin_complaint_evidence", complaintEvidence, Execution::Worker},
      {"GET",  "/admin/complaints/:number/confirm/:action", "admin_complaint_confirm", complaintConfirmPage, Execution::Worker},
      {"POST", "/admin/complaints/:number/reveal-phone", "admin_complaint_reveal_phone", complaintRevealPhone, Execution::Worker},
      {"POST", "/admin/complaints/:number/assign", "admin_complaint_assign", complaintAssign, Execution::Worker},
      {"POST", "/admin/complaints/:number/accept", "admin_complaint_accept", complaintAccept, Execution::Worker},
      {"POST", "/admin/complaints/:number/reject", "admin_complaint_reject", complaintReject, Execution::Worker},
      {"POST", "/admin/complaints/:number/transfer", "admin_complaint_transfer", complaintTransfer, Execution::Worker},
      {"POST", "/admin/complaints/:number/start", "admin_complaint_start", complaintStart, Execution::Worker},
      {"POST", "/admin/complaints/:number/note", "admin_complaint_note", complaintNote, Execution::Worker},
      {"POST", "/admin/complaints/:number/conclude", "admin_complaint_conclude", complaintConclude, Execution::Worker},
      {"POST", "/admin/complaints/:number/evaluation", "admin_complaint_evaluation", complaintEvaluation, Execution::Worker},
      {"GET",  "/admin/decisions",                "admin_decisions", adminDecisionsPage, Execution::Worker},
      {"GET",  "/admin/departments/:slug/decisions/new", "admin_decision_new", newDecisionPage, Execution::Worker},
      {"POST", "/admin/departments/:slug/decisions", "admin_decision_create", createDecision, Execution::Worker},
      {"GET",  "/admin/decisions/:id",            "admin_decision",  adminDecisionPage, Execution::Worker},
      {"GET",  "/admin/decisions/:id/edit",       "admin_decision_edit", editDecisionPage, Execution::Worker},
      {"POST", "/admin/decisions/:id",            "admin_decision_save", saveDecision, Execution::Worker},
      {"POST", "/admin/decisions/:id/publish",    "admin_decision_publish", publishDecision, Execution::Worker},
      {"GET",  "/admin/decisions/:id/correct",    "admin_decision_correct_form", correctDecisionPage, Execution::Worker},
      {"POST", "/admin/decisions/:id/correct",    "admin_decision_correct", correctDecision, Execution::Worker},
      {"POST", "/admin/decisions/:id/changed",    "admin_decision_changed", recordDecisionChange, Execution::Worker},
      {"POST", "/admin/decisions/:id/withdraw",   "admin_decision_withdraw", withdrawDecision, Execution::Worker},
      {"GET",  "/admin/sms",                      "admin_sms",       smsOutboxPage, Execution::Worker},
      {"POST", "/admin/sms/:id/resend",           "admin_sms_resend", smsResend,   Execution::Worker},
      {"POST", "/admin/sms/resend-failed",        "admin_sms_resend_failed", smsResendFailed, Execution::Worker},
      // Open311 GeoReport v2 (JSON and XML; errors in the spec's format)
      {"GET",  "/open311/v2/discovery.json",      "open311_discovery", open311Discovery, Execution::Worker},
      {"GET",  "/open311/v2/discovery.xml",       "open311_discovery", open311Discovery, Execution::Worker},
      {"GET",  "/open311/v2/services.json",       "open311_services", open311Services, Execution::Worker},
      {"GET",  "/open311/v2/services.xml",        "open311_services", open311Services, Execution::Worker},
      {"GET",  "/open311/v2/services/:file",      "open311_service", open311ServiceDefinition, Execution::Worker},
      {"GET",  "/open311/v2/requests.json",       "open311_requests", open311Requests, Execution::Worker},
      {"GET",  "/open311/v2/requests.xml",        "open311_requests", open311Requests, Execution::Worker},
      {"POST", "/open311/v2/requests.json",       "open311_post_request", open311PostRequest, Execution::Worker},
      {"POST", "/open311/v2/requests.xml",        "open311_post_request", open311PostRequest, Execution::Worker},
      {"GET",  "/open311/v2/requests/:file",      "open311_request", open311Request, Execution::Worker},
      {"GET",  "/open311/v2/tokens/:file",        "open311_token", open311Token, Execution::Inline},
      // CORS preflight: browser apps on other origins read (and post) Open311 data.
      {"OPTIONS", "/open311/v2/discovery.json",   "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/discovery.xml",    "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/services.json",    "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/services.xml",     "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/services/:file",   "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/requests.json",    "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/requests.xml",     "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/requests/:file",   "open311_preflight", open311Preflight, Execution::Inline},
      {"OPTIONS", "/open311/v2/tokens/:file",     "open311_preflight", open311Preflight, Execution::Inline},
      // JSON API
      {"GET", "/api/v1/departments",            "api_departments",      apiDepartments,     Execution::Worker},
      {"GET", "/api/v1/departments/:id/items",  "api_department_items", apiDepartmentItems, Execution::Worker},
      {"GET", "/api/v1/departments/:id/disclosures", "api_department_disclosures", apiDepartmentDisclosures, Execution::Worker},
      {"GET", "/api/v1/departments/:id/items/:code", "api_item",        apiItem,            Execution::Worker},
      {"GET", "/api/v1/departments/:id/items/:code/versions", "api_item_versions", apiItemVersions, Execution::Worker},
      {"GET", "/api/v1/departments/:id/items/:code/versions/:n", "api_item_version", apiItemVersion, Execution::Worker},
      {"GET", "/api/v1/items/:code",            "api_item_by_code",     legacyApiItem,      Execution::Worker},
      {"GET", "/api/v1/items/:code/versions",    "api_item_versions_by_code", legacyApiItemVersions, Execution::Worker},
      {"GET", "/api/v1/items/:code/versions/:n", "api_item_version_by_code", legacyApiItemVersion, Execution::Worker},
      {"GET", "/api/v1/search",                 "api_search",           apiSearch,          Execution::Worker},
      {"GET", "/api/v1/decisions",              "api_decisions",        apiDecisions,       Execution::Worker},
      {"GET", "/api/v1/decisions/:id",          "api_decision",         apiDecision,        Execution::Worker},
      {"GET", "/api/v1/certificates/:number",   "api_certificate",      apiCertificate,     Execution::Worker},
      {"GET", "/api/v1/departments/:id/officers", "api_department_officers", apiDepartmentOfficers, Execution::Worker},
      // SMS gateway callbacks (authenticated by the per-message token)
      {"GET",  "/sms/dlr/:token",           "sms_dlr",            smsDeliveryReport,     Execution::Worker},
      {"POST", "/sms/dlr/:token",           "sms_dlr_post",       smsDeliveryReport,     Execution::Worker},
      // Operations
      {"GET", "/healthz",                   "healthz",            healthz,               Execution::Worker},
      {"GET", "/metrics",                   "metrics",            metrics,               Execution::Worker},
  };
  // Answered from the node's page cache (see http::PageCache): public, the same for everyone,
  // and made only of lists, disclosures, decisions and officers, whose every change goes
  // through the search change log. Not search (it counts queries that found nothing), not
  // complaints (Open311 requests, tracking, forms), not staff pages.
  static const std::set<std::string> kCacheable = {
      "home", "department_page", "item_page", "department_export", "item_history", "changes",
      "department_changes", "changes_feed", "department_feed", "complaint_channels",
      "contact", "sitemap", "enforcement", "enforcement_statistics", "enforcement_statistics_csv", "decisions",
      "decision_page", "department_officers", "disclosures", "department_disclosures",
      "disclosure_history", "api_departments", "api_department_items",
      "api_department_disclosures", "api_item", "api_item_versions", "api_item_version",
      "api_decisions", "api_decision", "api_department_officers",
      // The department-less item addresses: made of the lists too (an item's code in a second
      // department arrives through the change log like any other edit).
      "item_by_code", "item_history_by_code", "api_item_by_code", "api_item_versions_by_code",
      "api_item_version_by_code"};
  // clang-format on
  http::Router router;
  for (const Row& r : kRoutes) {
    auto handler = r.handler;
    // Every state-changing POST is refused when a browser says it comes from another site;
    // the gateway's reports and Open311 clients are machines with their own credentials.
    const std::string name = r.name;
    const bool same_origin_only = std::string(r.method) == "POST" && name != "sms_dlr_post" &&
                                  name != "open311_post_request";
    // Staff pages hold unpublished decisions and personal data: no shared or back-button
    // cache keeps any answer under /admin.
    const bool staff = std::string(r.pattern).rfind("/admin", 0) == 0;
    // Open311 is public and machine-read: any origin may read its answers (no credentials).
    const bool open311 = std::string(r.pattern).rfind("/open311/", 0) == 0;
    http::Route route{r.method, r.pattern, r.name,
                      [&ctx, handler, same_origin_only, staff, open311](const Request& req) {
                        if (same_origin_only) requireSameOrigin(ctx, req);
                        Response response = handler(ctx, req);
                        if (staff) setNoStore(response);
                        if (open311) {
                          response.headers.emplace_back("Access-Control-Allow-Origin", "*");
                        }
                        return response;
                      },
                      r.execution};
    route.cacheable = kCacheable.count(r.name) > 0;
    route.invalidates_cache = std::string(r.method) == "POST" && name.rfind("admin_", 0) == 0;
    router.add(std::move(route));
  }
  return router;
}

}  // namespace portal::web
