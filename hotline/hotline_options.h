#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "hotline/intake_limiter.h"
#include "hotline/sms_options.h"

namespace hotline {

// Configuration of the complaint hotline. Loaded and validated once by the caller (portal's
// configuration) and handed to ComplaintService; every field states its default.
struct HotlineOptions {
  // Registration number format. Placeholders: {source} (TS/XC/JB/ZB), {year} (4 digits),
  // {seq} (the number within the year and source) or {seq:N} (zero-padded to N digits).
  // Must contain all three so numbers are unique across years and sources.
  // Default gives "TS-2026-000123".
  std::string registration_format = "{source}-{year}-{seq:6}";

  // Acknowledgment period (seed item 21): working days counted from the day after receipt.
  int ack_working_days = 5;
  // Handling period: working days counted from the day after receipt (not from acceptance, so
  // the complainant sees both deadlines at once and a transfer does not restart either clock).
  int handling_working_days = 20;
  // Review period: a complaint reopened after the complainant's 不满意 (复核中) is to be
  // reviewed within this many working days, counted from the day after it was reopened.
  // The legal office sets it (hotline.review_working_days); 15 working days, three weeks,
  // sits between the acknowledgment and the handling period.
  int review_working_days = 15;

  // Field limits, counted in characters (Unicode code points), not bytes.
  std::size_t max_description_chars = 5000;
  std::size_t max_location_chars = 200;
  std::size_t max_name_chars = 50;
  std::size_t max_note_chars = 5000;  // progress notes, reasons, results, evaluation comments

  // Tracking code: characters drawn from an alphabet without 0/O, 1/I/L (see tracking_code.h).
  std::size_t tracking_code_length = 8;
  // The key of the tracking codes' keyed hash (TrackingCode::kKeyBytes raw bytes, see
  // tracking_code.h). Required: the caller loads it with TrackingCode::loadOrCreateKey() from
  // a file under DATA_DIR; it is never stored in the database.
  std::string tracking_key;

  // An intake whose transaction hits a deadlock, a lock-wait timeout, a Galera certification
  // failure or a lost connection (the write node died) is retried this many times, with
  // waits doubling from 50 ms (about 3 s in all, enough for a failover), before the
  // db::DbError reaches the caller.
  int intake_retries = 6;

  // Anonymous intake per address, phone number and Open311 key (shared through MariaDB).
  IntakeLimitOptions intake_limits;

  // SMS to complainants (outbox, dispatcher, gateway); off by default.
  SmsOptions sms;

  // REQUIRES: ack_working_days, handling_working_days >= 1; 1 <= review_working_days <= 250;
  // registration_format a valid RegistrationNumberFormat whose numbers survive
  // normalizeRegistrationNo() (upper case, no spaces); 6 <= tracking_code_length <= 32;
  // intake_limits valid. Not checked here: tracking_key (loaded after the configuration; the
  // ComplaintService checks it) and sms (SmsOptions::validate(), for the dispatcher's caller).
  // Returns "" when those hold, else one line per breach naming its configuration key.
  std::string validate() const;
};

}  // namespace hotline
