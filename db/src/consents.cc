#include "lims/db/consents.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "lims/core/timepoint_window.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::Status ConsentRepository::Append(int64_t patient_id, ConsentEvent& event) {
  return Guarded([&]() -> absl::Status {
    long long patient = patient_id;
    long long at = event.recorded_at_micros;
    std::string scope(ConsentScopeName(event.scope));
    std::string action(ConsentActionName(event.action));
    std::string day = FormatIsoDate(event.effective_on);
    tx_.session() << "INSERT INTO consent_events (patient_id, scope, action, effective_on, "
                     "form_version, reason, recorded_by, recorded_at) "
                     "VALUES (:p, :s, :a, :d, :v, :r, :b, :t)",
        soci::use(patient), soci::use(scope), soci::use(action), soci::use(day),
        soci::use(event.form_version), soci::use(event.reason), soci::use(event.recorded_by),
        soci::use(at);
    event.id = LastInsertId(tx_, "consent_events");
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<ConsentEvent>> ConsentRepository::List(const char* where,
                                                                   long long key) {
  return Guarded([&]() -> absl::StatusOr<std::vector<ConsentEvent>> {
    std::vector<ConsentEvent> out;
    long long id = 0, at = 0;
    std::string scope, action, day, version, reason, by;
    soci::statement st =
        (tx_.session().prepare
             << "SELECT c.id, c.scope, c.action, c.effective_on, c.form_version, c.reason, "
                "c.recorded_by, c.recorded_at FROM consent_events c "
             << where << " ORDER BY c.id",
         soci::use(key), soci::into(id), soci::into(scope), soci::into(action), soci::into(day),
         soci::into(version), soci::into(reason), soci::into(by), soci::into(at));
    st.execute();
    while (st.fetch()) {
      ConsentEvent e;
      e.id = id;
      auto parsed_scope = ParseConsentScope(scope);
      auto parsed_action = ParseConsentAction(action);
      auto parsed_day = ParseIsoDate(day);
      if (!parsed_scope.ok() || !parsed_action.ok() || !parsed_day.ok()) {
        return absl::InternalError(absl::StrCat("consent event ", id, " is malformed"));
      }
      e.scope = *parsed_scope;
      e.action = *parsed_action;
      e.effective_on = *parsed_day;
      e.form_version = version;
      e.reason = reason;
      e.recorded_by = by;
      e.recorded_at_micros = at;
      out.push_back(std::move(e));
    }
    return out;
  });
}

absl::StatusOr<std::vector<ConsentEvent>> ConsentRepository::ListForPatient(int64_t patient_id) {
  return List("WHERE c.patient_id = :k", patient_id);
}

absl::StatusOr<std::vector<ConsentEvent>> ConsentRepository::ListForEnrollment(
    int64_t enrollment_id) {
  return List("JOIN enrollments e ON e.patient_id = c.patient_id WHERE e.id = :k",
              enrollment_id);
}

}  // namespace lims::db
