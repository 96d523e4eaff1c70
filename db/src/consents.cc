#include "lims/db/consents.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "consent_row.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "lims/core/timepoint_window.h"
#include "prepare.h"
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
    ConsentRow row;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(ConsentRow::kColumns, where, " ORDER BY c.id"));
    st.execute();
    while (st.fetch()) {
      auto event = row.ToEvent();
      if (!event.ok()) return event.status();
      out.push_back(*std::move(event));
    }
    return out;
  });
}

absl::StatusOr<std::map<int64_t, std::vector<ConsentEvent>>> ConsentRepository::ListForPatients(
    const std::vector<int64_t>& patient_ids, bool newest) {
  return Guarded([&]() -> absl::StatusOr<std::map<int64_t, std::vector<ConsentEvent>>> {
    std::map<int64_t, std::vector<ConsentEvent>> out;
    constexpr size_t kChunk = 5000;  // ids inlined: they are integers
    for (size_t from = 0; from < patient_ids.size(); from += kChunk) {
      const std::vector<int64_t> chunk(
          patient_ids.begin() + from,
          patient_ids.begin() + std::min(patient_ids.size(), from + kChunk));
      ConsentRow row;
      soci::statement st(tx_.session());
      row.Bind(st);
      Prepare(st, absl::StrCat(ConsentRow::kColumns, "WHERE c.patient_id IN (", IdList(chunk),
                               ") ORDER BY c.id", newest ? SharedReadSuffix(tx_.backend()) : ""));
      st.execute();
      while (st.fetch()) {
        auto event = row.ToEvent();
        if (!event.ok()) return event.status();
        out[row.patient].push_back(*std::move(event));
      }
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
