#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "hotline/civil_date.h"

namespace portal::disclosure {

// The rules for administrative enforcement certificates (行政执法证件, seed item 12): the shape
// of a certificate number and whether a certificate is valid on a given day. Pure functions;
// thread safe.

// A certificate must be inspected (检验) every this many years; past that without a new
// inspection mark it is invalid.
inline constexpr int kInspectionYears = 3;
// How many days before the inspection falls due a certificate shows "即将到期，需检验".
inline constexpr int kDefaultExpiryWarningDays = 90;

// A number as people type it, made comparable: surrounding whitespace (ASCII and U+3000)
// removed, full-width ASCII (Ａ１２) turned half-width, letters upper case. Inner spaces stay,
// so the shape check can refuse them.
std::string normaliseCertificateNumber(std::string_view raw);

// Why a normalised number is not a certificate number, in Chinese; nullopt when its shape is
// right. The shape: an optional province abbreviation (one character such as 吉), then 8-20
// ASCII digits or capital letters of which at least 6 are digits.
std::optional<std::string> certificateShapeProblem(std::string_view normalised);

// The same day `years` years later; 29 February becomes 28 February in a common year.
hotline::CivilDate addYears(const hotline::CivilDate& date, int years);

// The last day a certificate is valid: its last inspection (or its issue, if never inspected)
// plus kInspectionYears. It is invalid from the day after.
hotline::CivilDate validThrough(const hotline::CivilDate& issued_on,
                                const std::optional<hotline::CivilDate>& last_inspected_on);

// What the register records about a certificate.
enum class CertificateState { Active, Replaced, Revoked };
// "active", "replaced", "revoked" (the column's values).
const char* certificateStateCode(CertificateState state);
std::optional<CertificateState> parseCertificateState(std::string_view code);

// What people are told about a certificate on a given day.
enum class CertificateStanding {
  Valid,         // 有效
  ExpiringSoon,  // 有效（即将到期，需检验）: still valid, inspection due within the window
  Expired,       // 已过期（未按期检验）: past validThrough without a new inspection
  Replaced,      // 已换发: re-issued under a new number
  Revoked,       // 已注销
};
// "valid", "expiring", "expired", "replaced", "revoked": for URLs, JSON and CSS classes.
const char* standingCode(CertificateStanding standing);
std::optional<CertificateStanding> parseStanding(std::string_view code);
// The Chinese label shown to people.
const char* standingLabel(CertificateStanding standing);
// Valid and ExpiringSoon: an officer may enforce with it today.
bool isValidStanding(CertificateStanding standing);

struct CertificateValidity {
  CertificateStanding standing = CertificateStanding::Valid;
  hotline::CivilDate valid_through;
  std::int64_t days_left = 0;  // from `today` to valid_through; negative once expired
};

// The standing of a certificate on `today`. A replaced or revoked certificate stays so
// whatever its dates; an active one is valid through validThrough() and "expiring" when that
// is at most `warning_days` days away.
CertificateValidity assessCertificate(CertificateState state, const hotline::CivilDate& issued_on,
                                      const std::optional<hotline::CivilDate>& last_inspected_on,
                                      const hotline::CivilDate& today,
                                      int warning_days = kDefaultExpiryWarningDays);

}  // namespace portal::disclosure
