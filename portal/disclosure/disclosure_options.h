#pragma once

namespace portal::disclosure {

// The statutory periods of enforcement disclosure (国办发〔2018〕118号 and 行政处罚法 (2021)
// art. 48 and 85: short periods are working days). Configuration keys disclosure.*.
struct DisclosureOptions {
  int penalty_publish_working_days = 7;   // an administrative penalty decision
  int other_publish_working_days = 20;    // other enforcement decisions
  int withdraw_working_days = 3;          // a decision changed or revoked: withdraw within
  int retention_days = 3 * 365;           // after publication, then it leaves the public pages
};

}  // namespace portal::disclosure
