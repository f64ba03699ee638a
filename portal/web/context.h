#pragma once

#include "hotline/calendar_service.h"
#include "hotline/complaint_service.h"
#include "hotline/local_clock.h"
#include "hotline/sms_outbox.h"
#include "hotline/tracking_rate_limiter.h"
#include "portal/accounts/account_service.h"
#include "portal/accounts/audit_service.h"
#include "portal/config.h"
#include "portal/disclosure/decision_service.h"
#include "portal/disclosure/disclosure_service.h"
#include "portal/disclosure/officer_service.h"
#include "portal/indexing/health_service.h"
#include "portal/indexing/index_feeder.h"
#include "portal/indexing/search_service.h"
#include "portal/metrics.h"
#include "portal/publishing/catalog_service.h"
#include "portal/publishing/draft_service.h"
#include "portal/publishing/amendment_service.h"
#include "portal/publishing/item_edit_service.h"
#include "portal/publishing/list_import.h"
#include "portal/publishing/publishing_service.h"
#include "templates/renderer.h"

namespace portal::web {

// What handlers may use: the services and the renderer, all thread safe. Owned by App; lives
// as long as the server. No pool and no store: what a handler needs is a service method.
struct Context {
  const Config& config;
  templates::Renderer& renderer;
  publishing::CatalogService& catalog;
  publishing::PublishingService& publishing;
  publishing::ImportService& imports;
  accounts::AccountService& accounts;
  accounts::AuditService& audit;
  indexing::SearchService& search;
  indexing::IndexFeeder& feeder;
  indexing::HealthService& health;  // /healthz
  Metrics& metrics;
  hotline::ComplaintService& complaints;
  hotline::TrackingRateLimiter& tracking_limiter;
  publishing::DraftService& drafts;
  hotline::SmsOutbox& sms;
  hotline::CalendarService& calendar;  // the working-day calendar for every statutory clock
  disclosure::DecisionService& decisions;
  disclosure::DisclosureService& disclosures;
  disclosure::OfficerService& officers;
  publishing::AmendmentService& amendments;
  const hotline::LocalClock& clock;  // Beijing time; handlers never build their own
  publishing::ItemEditService& item_edits;  // the staff's item form
};

}  // namespace portal::web
