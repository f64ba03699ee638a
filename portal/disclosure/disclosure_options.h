#pragma once

#include <string>

namespace portal::disclosure {

// The statutory periods of enforcement disclosure (国办发〔2018〕118号 and 行政处罚法 (2021)
// art. 48 and 85: short periods are working days). Configuration keys disclosure.*.
struct DisclosureOptions {
  int penalty_publish_working_days = 7;   // an administrative penalty decision
  int other_publish_working_days = 20;    // other enforcement decisions
  int withdraw_working_days = 3;          // a decision changed or revoked: withdraw within
  int retention_days = 3 * 365;           // after publication, then it leaves the public pages

  // REQUIRES: every period >= 1. Returns "" when that holds, else one line per breach naming
  // its configuration key.
  std::string validate() const {
    std::string errors;
    if (penalty_publish_working_days < 1 || other_publish_working_days < 1 ||
        withdraw_working_days < 1) {
      errors += "disclosure.*_working_days must be at least 1\n";
    }
    if (retention_days < 1) errors += "disclosure.retention_days must be at least 1\n";
    return errors;
  }
};

}  // namespace portal::disclosure
