#include "lims/db/enrollments.h"

#include "absl/strings/str_cat.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "lims/core/timepoint_window.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT e.id, e.patient_id, e.protocol_id, e.anchor_date, pr.code, pa.registry_id, "
    "pa.site_id FROM enrollments e JOIN patients pa ON pa.id = e.patient_id "
    "JOIN protocols pr ON pr.id = e.protocol_id ";

// One row of kSelect, bound once and copied out per fetch.
struct Row {
  long long id = 0, patient_id = 0, protocol_id = 0, site_id = 0;
  std::string anchor_date, protocol_code, registry_id;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(patient_id));
    st.exchange(soci::into(protocol_id));
    st.exchange(soci::into(anchor_date));
    st.exchange(soci::into(protocol_code));
    st.exchange(soci::into(registry_id));
    st.exchange(soci::into(site_id));
  }

  Enrollment ToEnrollment() const {
    Enrollment e;
    e.id = id;
    e.patient_id = patient_id;
    e.protocol_id = protocol_id;
    // Stored by this code as YYYY-MM-DD; a row that does not parse is corrupt data.
    auto day = ParseIsoDate(anchor_date);
    if (!day.ok()) throw soci::soci_error("corrupt anchor_date in enrollment " + std::to_string(id));
    e.anchor_date = *day;
    e.protocol_code = protocol_code;
    e.patient_registry_id = registry_id;
    e.site_id = site_id;
    return e;
  }
};

}  // namespace

absl::Status EnrollmentRepository::Insert(Enrollment& e, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(now);
    long long patient_id = e.patient_id, protocol_id = e.protocol_id;
    const std::string anchor = FormatIsoDate(e.anchor_date);
    tx_.session() << "INSERT INTO enrollments (patient_id, protocol_id, anchor_date, created_at) "
                     "VALUES (:p, :r, :a, :t)",
        soci::use(patient_id), soci::use(protocol_id), soci::use(anchor), soci::use(at);
    e.id = LastInsertId(tx_, "enrollments");
    return absl::OkStatus();
  });
}

absl::Status EnrollmentRepository::UpdateAnchorDate(int64_t id, absl::CivilDay anchor_date) {
  return Guarded([&]() -> absl::Status {
    long long key = id;
    const std::string anchor = FormatIsoDate(anchor_date);
    tx_.session() << "UPDATE enrollments SET anchor_date = :a WHERE id = :i", soci::use(anchor),
        soci::use(key);
    return absl::OkStatus();
  });
}

absl::StatusOr<Enrollment> EnrollmentRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<Enrollment> {
    Row row;
    long long key = id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, std::string(kSelect) + "WHERE e.id = :i");
    st.execute();
    if (!st.fetch()) {
      return absl::NotFoundError(absl::StrCat(
          "enrollment ", id, " does not exist; enroll the patient first (lims enroll)"));
    }
    return row.ToEnrollment();
  });
}

absl::StatusOr<std::optional<Enrollment>> EnrollmentRepository::FindByPatientAndProtocol(
    int64_t patient_id, int64_t protocol_id) {
  return Guarded([&]() -> absl::StatusOr<std::optional<Enrollment>> {
    Row row;
    long long p = patient_id, r = protocol_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(p));
    st.exchange(soci::use(r));
    Prepare(st, std::string(kSelect) + "WHERE e.patient_id = :p AND e.protocol_id = :r");
    st.execute();
    if (!st.fetch()) return std::optional<Enrollment>();
    return std::optional<Enrollment>(row.ToEnrollment());
  });
}

absl::StatusOr<std::vector<Enrollment>> EnrollmentRepository::List(int64_t patient_id,
                                                                   int64_t protocol_id,
                                                                   int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Enrollment>> {
    std::vector<Enrollment> out;
    Row row;
    long long p = patient_id, r = protocol_id, after = after_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    for (long long* v : {&after, &p, &p, &r, &r}) st.exchange(soci::use(*v));
    st.exchange(soci::use(limit));
    Prepare(st, std::string(kSelect) +
                    "WHERE e.id > :a AND (:p = 0 OR e.patient_id = :p2) "
                    "AND (:r = 0 OR e.protocol_id = :r2) ORDER BY e.id LIMIT :l");
    st.execute();
    while (st.fetch()) out.push_back(row.ToEnrollment());
    return out;
  });
}

}  // namespace lims::db
