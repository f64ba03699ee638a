#pragma once

#include "portal/http/request.h"
#include "portal/http/router.h"
#include "portal/web/context.h"

namespace portal::web {

using http::Request;
using http::Response;

// Public HTML pages (pages.cpp).
Response homePage(Context& ctx, const Request& req);
Response departmentPage(Context& ctx, const Request& req);
Response itemPage(Context& ctx, const Request& req);
Response complaintChannelsPage(Context& ctx, const Request& req);
Response setTextSize(Context& ctx, const Request& req);
Response setContrast(Context& ctx, const Request& req);
Response contactPage(Context& ctx, const Request& req);
Response siteMapPage(Context& ctx, const Request& req);
Response staticFile(Context& ctx, const Request& req);
Response rootFile(Context& ctx, const Request& req);

// The public change log (change_pages.cpp).
Response itemHistoryPage(Context& ctx, const Request& req);
Response changesPage(Context& ctx, const Request& req);
Response changesFeed(Context& ctx, const Request& req);
Response departmentChangesFeed(Context& ctx, const Request& req);
Response apiItemVersions(Context& ctx, const Request& req);
Response apiItemVersion(Context& ctx, const Request& req);

// The department-less item addresses /items/{code}... (item_code_pages.cpp): a redirect or
// the old answer when one department has the code, a choice (409 in the API) when several.
Response legacyItemPage(Context& ctx, const Request& req);
Response legacyItemHistoryPage(Context& ctx, const Request& req);
Response legacyApiItem(Context& ctx, const Request& req);
Response legacyApiItemVersions(Context& ctx, const Request& req);
Response legacyApiItemVersion(Context& ctx, const Request& req);

// Staff pages behind login (admin_pages.cpp).
Response loginPage(Context& ctx, const Request& req);
Response login(Context& ctx, const Request& req);
Response logout(Context& ctx, const Request& req);
Response adminHome(Context& ctx, const Request& req);
Response editItemPage(Context& ctx, const Request& req);
Response saveItem(Context& ctx, const Request& req);
Response newItemPage(Context& ctx, const Request& req);
Response createItem(Context& ctx, const Request& req);
Response auditPage(Context& ctx, const Request& req);
Response searchInsightsPage(Context& ctx, const Request& req);
Response saveSynonym(Context& ctx, const Request& req);

// Staff accounts for administrators (account_pages.cpp): the list, creating an account,
// deactivating (asked first on its own page) and reactivating.
Response adminAccountsPage(Context& ctx, const Request& req);
Response adminCreateAccount(Context& ctx, const Request& req);
Response adminDeactivateConfirmPage(Context& ctx, const Request& req);
Response adminDeactivateAccount(Context& ctx, const Request& req);
Response adminActivateAccount(Context& ctx, const Request& req);

// The legal office's amendment listing: laws amended or repealed, the items citing them, flags
// (amendment_pages.cpp).
Response amendmentsPage(Context& ctx, const Request& req);
Response flagAmendment(Context& ctx, const Request& req);
Response amendmentPage(Context& ctx, const Request& req);

// Drafts and the optional legal-office review (draft_pages.cpp).
Response draftPage(Context& ctx, const Request& req);
Response editDraftPage(Context& ctx, const Request& req);
Response saveDraft(Context& ctx, const Request& req);
Response submitDraft(Context& ctx, const Request& req);
Response recallDraft(Context& ctx, const Request& req);
Response approveDraft(Context& ctx, const Request& req);
Response returnDraft(Context& ctx, const Request& req);

// Spreadsheet import and export (import_pages.cpp).
Response importPage(Context& ctx, const Request& req);
Response importPreview(Context& ctx, const Request& req);
Response importApply(Context& ctx, const Request& req);
Response exportCsv(Context& ctx, const Request& req);

// Complaints, public side (complaint_pages.cpp): the form, its confirmation, tracking.
Response complaintFormPage(Context& ctx, const Request& req);
Response submitComplaint(Context& ctx, const Request& req);
Response trackPage(Context& ctx, const Request& req);
Response trackLookup(Context& ctx, const Request& req);
Response trackEvaluate(Context& ctx, const Request& req);

// Complaints, staff side behind login (complaint_admin_pages.cpp).
Response complaintQueuePage(Context& ctx, const Request& req);
Response complaintStatisticsPage(Context& ctx, const Request& req);
Response phoneEntryPage(Context& ctx, const Request& req);
Response submitPhoneEntry(Context& ctx, const Request& req);
Response complaintDetailPage(Context& ctx, const Request& req);
Response complaintEvidence(Context& ctx, const Request& req);
Response complaintConfirmPage(Context& ctx, const Request& req);
// One handler per staff action, each under POST /admin/complaints/:number/<action>.
Response complaintRevealPhone(Context& ctx, const Request& req);
Response complaintAssign(Context& ctx, const Request& req);
Response complaintAccept(Context& ctx, const Request& req);
Response complaintReject(Context& ctx, const Request& req);
Response complaintTransfer(Context& ctx, const Request& req);
Response complaintStart(Context& ctx, const Request& req);
Response complaintNote(Context& ctx, const Request& req);
Response complaintConclude(Context& ctx, const Request& req);
Response complaintEvaluation(Context& ctx, const Request& req);

// Open311 GeoReport v2 under /open311/v2 (open311.cpp).
Response open311Discovery(Context& ctx, const Request& req);
Response open311Services(Context& ctx, const Request& req);
Response open311ServiceDefinition(Context& ctx, const Request& req);
Response open311Requests(Context& ctx, const Request& req);
Response open311PostRequest(Context& ctx, const Request& req);
Response open311Request(Context& ctx, const Request& req);
Response open311Token(Context& ctx, const Request& req);
// CORS preflight (OPTIONS) for any Open311 path: 204 with the methods the path answers.
// Every Open311 answer carries Access-Control-Allow-Origin: * (routes.cpp), never credentials.
Response open311Preflight(Context& ctx, const Request& req);
// Any refusal under /open311 (bad framing, unknown path, outage) as the spec's error list, in
// XML when the path ends in .xml.
Response open311ErrorResponse(const Request& req, int status, const std::string& message);

// SMS: delivery reports from the gateway; the staff outbox view (sms_pages.cpp).
Response smsDeliveryReport(Context& ctx, const Request& req);
Response smsOutboxPage(Context& ctx, const Request& req);
Response smsResendFailed(Context& ctx, const Request& req);
Response smsResend(Context& ctx, const Request& req);

// enforcement_pages.cpp: the 行政执法公示 hub and its statistics (SVG charts, CSV).
Response enforcementPage(Context& ctx, const Request& req);
Response enforcementStatisticsPage(Context& ctx, const Request& req);
Response enforcementStatisticsCsv(Context& ctx, const Request& req);

// decision_pages.cpp: after-enforcement decisions (事后公开).
Response decisionsPage(Context& ctx, const Request& req);
Response decisionPage(Context& ctx, const Request& req);
Response apiDecisions(Context& ctx, const Request& req);
Response apiDecision(Context& ctx, const Request& req);
Response adminDecisionsPage(Context& ctx, const Request& req);
Response newDecisionPage(Context& ctx, const Request& req);
Response createDecision(Context& ctx, const Request& req);
Response adminDecisionPage(Context& ctx, const Request& req);
Response editDecisionPage(Context& ctx, const Request& req);
Response saveDecision(Context& ctx, const Request& req);
Response publishDecision(Context& ctx, const Request& req);
Response correctDecisionPage(Context& ctx, const Request& req);
Response correctDecision(Context& ctx, const Request& req);
Response recordDecisionChange(Context& ctx, const Request& req);
Response withdrawDecision(Context& ctx, const Request& req);

// Search (search_pages.cpp).
Response searchPage(Context& ctx, const Request& req);
Response apiSearch(Context& ctx, const Request& req);
Response openSearchDescription(Context& ctx, const Request& req);

// Before-enforcement disclosures (事前公开): public pages, JSON, staff forms
// (disclosure_pages.cpp).
Response disclosuresIndexPage(Context& ctx, const Request& req);
Response departmentDisclosuresPage(Context& ctx, const Request& req);
Response disclosureHistoryPage(Context& ctx, const Request& req);
Response apiDepartmentDisclosures(Context& ctx, const Request& req);
Response adminDisclosuresPage(Context& ctx, const Request& req);
Response editDisclosurePage(Context& ctx, const Request& req);
Response saveDisclosure(Context& ctx, const Request& req);

// JSON API under /api/v1 (api.cpp).
Response apiDepartments(Context& ctx, const Request& req);
Response apiDepartmentItems(Context& ctx, const Request& req);
Response apiItem(Context& ctx, const Request& req);

// Officers and their certificates (officer_pages.cpp): the public roster and certificate
// check, their JSON API, and the staff roster (add, inspect, re-issue, revoke).
Response officerRosterPage(Context& ctx, const Request& req);
Response certificateCheckPage(Context& ctx, const Request& req);
Response apiCertificate(Context& ctx, const Request& req);
Response apiDepartmentOfficers(Context& ctx, const Request& req);
Response adminOfficersPage(Context& ctx, const Request& req);
Response adminAddOfficer(Context& ctx, const Request& req);
// The page that asks before a certificate is revoked (?number=); its form posts to revoke.
Response adminRevokeConfirmPage(Context& ctx, const Request& req);
Response adminInspectOfficer(Context& ctx, const Request& req);
Response adminReissueCertificate(Context& ctx, const Request& req);
Response adminRevokeCertificate(Context& ctx, const Request& req);

// Operations (ops.cpp).
Response healthz(Context& ctx, const Request& req);
Response metrics(Context& ctx, const Request& req);

// Error answers: an HTML page in Chinese, or a JSON error body for API paths.
Response errorResponse(Context& ctx, const Request& req, int status, const std::string& message);

// Every route of the portal, in one table (routes.cpp).
http::Router buildRouter(Context& ctx);

}  // namespace portal::web
