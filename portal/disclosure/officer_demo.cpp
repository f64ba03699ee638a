#include "portal/disclosure/officer_demo.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "portal/changes/change_log_writer.h"
#include "portal/disclosure/certificate.h"
#include "portal/disclosure/officer_store.h"
#include "portal/publishing/department_store.h"

namespace portal::disclosure {

int loadDemoOfficers(db::Connection& conn, const std::string& json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text);
  const nlohmann::json& officers = doc.at("officers");
  OfficerStore store(conn);
  publishing::DepartmentStore departments(conn);
  int loaded = 0;
  for (const auto& jo : officers) {
    const auto department = departments.findBySlug(jo.at("department").get<std::string>());
    if (!department) continue;
    const std::int64_t officer_id =
        store.insertOfficer(department->id, jo.at("name").get<std::string>());
    std::int64_t previous_id = 0;
    std::string previous_reason;
    const nlohmann::json& certificates = jo.at("certificates");
    for (const auto& jc : certificates) {
      OfficerCertificate c;
      c.officer_id = officer_id;
      c.department_id = department->id;
      c.number = normaliseCertificateNumber(jc.at("number").get<std::string>());
      if (auto problem = certificateShapeProblem(c.number)) {
        throw std::runtime_error("demo certificate " + c.number + ": " + *problem);
      }
      c.category = jc.at("category").get<std::string>();
      c.region = jc.at("region").get<std::string>();
      c.post = jc.at("post").get<std::string>();
      c.issued_on = jc.at("issued_on").get<std::string>();
      if (jc.contains("last_inspected_on")) {
        c.last_inspected_on = jc.at("last_inspected_on").get<std::string>();
      }
      c.id = store.insertCertificate(c);
      if (previous_id != 0) store.markReplaced(previous_id, c.id, c.issued_on, previous_reason);
      if (jc.contains("revoked_on")) {
        store.markRevoked(c.id, jc.at("revoked_on").get<std::string>(),
                          jc.at("end_reason").get<std::string>());
      }
      previous_id = c.id;
      previous_reason = jc.value("end_reason", std::string());
    }
    changes::ChangeLogWriter(conn).record(changes::DocKind::Officer, std::to_string(officer_id),
                                          false);
    ++loaded;
  }
  return loaded;
}

}  // namespace portal::disclosure
