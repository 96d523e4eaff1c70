#ifndef LIMS_DB_SRC_CONSENT_ROW_H_
#define LIMS_DB_SRC_CONSENT_ROW_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "lims/core/consent.h"
#include "lims/core/timepoint_window.h"
#include "prepare.h"
#include "soci/soci.h"

namespace lims::db {

// One consent_events row, selected in this column order.
struct ConsentRow {
  long long id = 0, patient = 0, at = 0;
  std::string scope, action, day, version, reason, by;

  static constexpr char kColumns[] =
      "SELECT c.id, c.patient_id, c.scope, c.action, c.effective_on, c.form_version, c.reason, "
      "c.recorded_by, c.recorded_at FROM consent_events c ";
  // The same columns from a LEFT JOIN on consent_events c: id 0 when there is no event.
  static constexpr char kJoinedColumns[] =
      "COALESCE(c.id, 0), COALESCE(c.patient_id, 0), COALESCE(c.scope, ''), "
      "COALESCE(c.action, ''), COALESCE(c.effective_on, ''), COALESCE(c.form_version, ''), "
      "COALESCE(c.reason, ''), COALESCE(c.recorded_by, ''), COALESCE(c.recorded_at, 0)";

  // Calls visit(field) for each field in column order.
  template <typename Visit>
  void Fields(Visit&& visit) {
    visit(id);
    visit(patient);
    visit(scope);
    visit(action);
    visit(day);
    visit(version);
    visit(reason);
    visit(by);
    visit(at);
  }
  void Bind(soci::statement& st) { BindFields(st, *this); }

  absl::StatusOr<ConsentEvent> ToEvent() const {
    auto parsed_scope = ParseConsentScope(scope);
    auto parsed_action = ParseConsentAction(action);
    auto parsed_day = ParseIsoDate(day);
    if (!parsed_scope.ok() || !parsed_action.ok() || !parsed_day.ok()) {
      return absl::InternalError(absl::StrCat("consent event ", id, " is malformed"));
    }
    ConsentEvent e;
    e.id = id;
    e.scope = *parsed_scope;
    e.action = *parsed_action;
    e.effective_on = *parsed_day;
    e.form_version = version;
    e.reason = reason;
    e.recorded_by = by;
    e.recorded_at_micros = at;
    return e;
  }
};

}  // namespace lims::db

#endif  // LIMS_DB_SRC_CONSENT_ROW_H_
