#include "lims/db/patients.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {
constexpr char kSelect[] =
    "SELECT p.id, p.registry_id, p.site_id, s.code FROM patients p "
    "JOIN sites s ON s.id = p.site_id ";
}

absl::Status PatientRepository::Insert(Patient& patient, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(now);
    long long site_id = patient.site_id;
    tx_.session() << "INSERT INTO patients (registry_id, site_id, created_at) VALUES (:r, :s, :t)",
        soci::use(patient.registry_id), soci::use(site_id), soci::use(at);
    patient.id = LastInsertId(tx_, "patients");
    return absl::OkStatus();
  });
}

template <typename Key>
absl::StatusOr<Patient> PatientRepository::FindOne(const std::string& where, Key key) {
  return Guarded([&]() -> absl::StatusOr<Patient> {
    Patient p;
    long long id = 0, site_id = 0;
    tx_.session() << kSelect << where, soci::use(key), soci::into(id),
        soci::into(p.registry_id), soci::into(site_id), soci::into(p.site_code);
    if (!tx_.session().got_data()) {
      return absl::NotFoundError("patient not found");
    }
    p.id = id;
    p.site_id = site_id;
    return p;
  });
}

absl::StatusOr<Patient> PatientRepository::FindById(int64_t id) {
  auto found = FindOne("WHERE p.id = :k", static_cast<long long>(id));
  if (absl::IsNotFound(found.status())) {
    return absl::NotFoundError(absl::StrCat("patient ", id, " does not exist"));
  }
  return found;
}

absl::StatusOr<Patient> PatientRepository::FindByRegistryId(const std::string& registry_id) {
  auto found = FindOne("WHERE p.registry_id = :k", std::string(registry_id));
  if (absl::IsNotFound(found.status())) {
    return absl::NotFoundError(
        absl::StrCat("no patient with registry id '", registry_id, "'; register the patient first"));
  }
  return found;
}

absl::StatusOr<std::vector<Patient>> PatientRepository::List(int64_t site_id, int64_t after_id,
                                                             int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Patient>> {
    std::vector<Patient> out;
    Patient row;
    long long id = 0, row_site = 0, site = site_id, after = after_id;
    soci::statement st =
        (tx_.session().prepare << kSelect
                               << "WHERE p.id > :a AND (:s = 0 OR p.site_id = :s2) "
                                  "ORDER BY p.id LIMIT :l",
         soci::use(after), soci::use(site), soci::use(site), soci::use(limit), soci::into(id),
         soci::into(row.registry_id), soci::into(row_site), soci::into(row.site_code));
    st.execute();
    while (st.fetch()) {
      row.id = id;
      row.site_id = row_site;
      out.push_back(row);
    }
    return out;
  });
}

absl::Status PatientRepository::Lock(const std::vector<int64_t>& patient_ids, bool exclusive) {
  if (patient_ids.empty() || tx_.backend() == Backend::kSqlite) return absl::OkStatus();
  return Guarded([&]() -> absl::Status {
    std::vector<long long> ids(std::min<size_t>(patient_ids.size(), 8192));
    soci::statement st(tx_.session());
    st.exchange(soci::into(ids));
    Prepare(st, absl::StrCat("SELECT id FROM patients WHERE id IN (", IdList(patient_ids), ")",
                             exclusive ? LockingReadSuffix(tx_.backend())
                                       : SharedReadSuffix(tx_.backend())));
    st.execute();
    while (st.fetch()) ids.resize(std::min<size_t>(patient_ids.size(), 8192));
    return absl::OkStatus();
  });
}

}  // namespace lims::db
