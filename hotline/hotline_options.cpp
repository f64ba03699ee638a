#include "hotline/hotline_options.h"

#include <regex>
#include <stdexcept>

#include "hotline/registration_number.h"

namespace hotline {

std::string IntakeLimitOptions::validate() const {
  std::string errors;
  if (per_address < 0 || per_phone < 0 || per_api_key < 0) {
    errors += "hotline.intake_per_* must not be negative\n";
  }
  if (address_window_s < 1 || phone_window_s < 1 || api_key_window_s < 1) {
    errors += "hotline.intake_*_window_s must be at least 1\n";
  }
  return errors;
}

std::string GatewayOptions::validate(const std::string& key) const {
  std::string errors;
  if (url.empty()) errors += key + ".url is empty\n";
  if (connect_timeout_ms < 1 || timeout_ms < 1) errors += key + " timeouts must be positive\n";
  if (kind == GatewayKind::Generic) {
    if (method != "GET" && method != "POST" && method != "PUT") {
      errors += key + ".method must be GET, POST or PUT: " + method + "\n";
    }
    try {
      std::regex(message_id_regex, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      errors += key + ".message_id_regex: " + e.what() + "\n";
    }
  }
  return errors;
}

std::string SmsOptions::validate() const {
  if (!enabled) return "";
  std::string errors = gateway.validate("sms.gateway");
  if (!fallback.url.empty()) errors += fallback.validate("sms.fallback");
  if (daily_limit_per_number < 1) errors += "sms.daily_limit_per_number must be at least 1\n";
  if (workers < 1 || batch_size < 1) errors += "sms.workers and sms.batch_size below 1\n";
  if (poll_ms < 10) errors += "sms.poll_ms below 10\n";
  if (lease_ms < 1500) errors += "sms.lease_ms below 1500\n";
  if (retry_window_s < 1) errors += "sms.retry_window_s must be at least 1\n";
  if (report_timeout_s < 1) errors += "sms.report_timeout_s must be at least 1\n";
  if (max_attempts < 0) errors += "sms.max_attempts must not be negative\n";
  if (backoff_base_ms < 1 || backoff_max_ms < backoff_base_ms) {
    errors += "sms.backoff_base_ms must be positive and at most sms.backoff_max_ms\n";
  }
  return errors;
}

std::string HotlineOptions::validate() const {
  std::string errors;
  if (ack_working_days < 1) errors += "hotline.ack_working_days must be at least 1\n";
  if (handling_working_days < 1) errors += "hotline.handling_working_days must be at least 1\n";
  if (review_working_days < 1 || review_working_days > 250) {
    errors += "hotline.review_working_days must be 1-250\n";
  }
  try {
    const RegistrationNumberFormat format(registration_format);
    // Lookups normalise what people type (case, spaces, full-width); numbers must survive it.
    const std::string sample = format.format(Source::Complaint, 2026, 1);
    if (normalizeRegistrationNo(sample) != sample) {
      errors += "hotline.registration_format must give upper-case numbers without spaces\n";
    }
  } catch (const std::invalid_argument& e) {
    errors += "hotline." + std::string(e.what()) + "\n";
  }
  if (tracking_code_length < 6 || tracking_code_length > 32) {
    errors += "hotline: tracking_code_length must be 6-32\n";
  }
  errors += intake_limits.validate();
  return errors;
}

}  // namespace hotline
