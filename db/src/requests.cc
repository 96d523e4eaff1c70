#include "lims/db/requests.h"

#include <algorithm>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/core/sample_request_status.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelectRequest[] =
    "SELECT r.id, r.code, r.title, r.ethics_reference, r.criteria_json, r.status, "
    "r.submitted_by, r.submitted_at, r.decided_by, r.decision_reason, r.version, "
    "(SELECT COUNT(*) FROM request_samples q WHERE q.request_id = r.id AND q.withdrawn_at IS "
    "NULL), "
    "(SELECT COUNT(*) FROM request_samples q WHERE q.request_id = r.id AND q.picked_at IS NOT "
    "NULL) FROM sample_requests r ";

struct RequestRow {
  long long id = 0, at = 0, version = 0, reserved = 0, picked = 0;
  SampleRequestRecord r;
  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(r.code));
    st.exchange(soci::into(r.title));
    st.exchange(soci::into(r.ethics_reference));
    st.exchange(soci::into(r.criteria_json));
    st.exchange(soci::into(r.status));
    st.exchange(soci::into(r.submitted_by));
    st.exchange(soci::into(at));
    st.exchange(soci::into(r.decided_by));
    st.exchange(soci::into(r.decision_reason));
    st.exchange(soci::into(version));
    st.exchange(soci::into(reserved));
    st.exchange(soci::into(picked));
  }
  SampleRequestRecord Get() const {
    SampleRequestRecord out = r;
    out.id = id;
    out.submitted_at = absl::FromUnixMicros(at);
    out.version = version;
    out.reserved_count = static_cast<int>(reserved);
    out.picked_count = static_cast<int>(picked);
    return out;
  }
};

}  // namespace

absl::Status RequestRepository::Insert(SampleRequestRecord& r) {
  return Guarded([&]() -> absl::Status {
    const long long at = absl::ToUnixMicros(r.submitted_at);
    // A unique placeholder first; the code follows from the id.
    std::random_device entropy;
    const std::string pending = absl::StrFormat("pending-%08x%08x%08x", entropy(), entropy(), entropy());
    tx_.session() << "INSERT INTO sample_requests (code, title, ethics_reference, criteria_json, "
                     "status, submitted_by, submitted_at, decided_by, decision_reason, version) "
                     "VALUES (:c, :t, :e, :j, :s, :b, :a, '', '', 1)",
        soci::use(pending), soci::use(r.title), soci::use(r.ethics_reference),
        soci::use(r.criteria_json), soci::use(r.status), soci::use(r.submitted_by), soci::use(at);
    r.id = LastInsertId(tx_, "sample_requests");
    r.code = absl::StrFormat("R%04d", r.id);
    long long id = r.id;
    tx_.session() << "UPDATE sample_requests SET code = :c WHERE id = :i", soci::use(r.code),
        soci::use(id);
    r.version = 1;
    return absl::OkStatus();
  });
}

absl::Status RequestRepository::Update(SampleRequestRecord& r) {
  return Guarded([&]() -> absl::Status {
    long long id = r.id, version = r.version;
    soci::statement st =
        (tx_.session().prepare << "UPDATE sample_requests SET status = :s, decided_by = :d, "
                                  "decision_reason = :r, version = version + 1 "
                                  "WHERE id = :i AND version = :v",
         soci::use(r.status), soci::use(r.decided_by), soci::use(r.decision_reason),
         soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError(
          absl::StrCat("request ", r.code, " was changed by someone else meanwhile; retry"));
    }
    ++r.version;
    return absl::OkStatus();
  });
}

absl::StatusOr<SampleRequestRecord> RequestRepository::FindById(int64_t id) {
  return Guarded([&]() -> absl::StatusOr<SampleRequestRecord> {
    RequestRow row;
    long long key = id;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSelectRequest, "WHERE r.id = :i"));
    st.execute();
    if (!st.fetch()) {
      return absl::NotFoundError(absl::StrCat("sample request ", id, " does not exist"));
    }
    return row.Get();
  });
}

absl::StatusOr<std::vector<SampleRequestRecord>> RequestRepository::List(
    const std::string& submitted_by, int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<SampleRequestRecord>> {
    std::vector<SampleRequestRecord> out;
    RequestRow row;
    long long after = after_id;
    std::string by = submitted_by;
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(after));
    std::string where = "WHERE r.id > :a";
    if (!by.empty()) {
      st.exchange(soci::use(by));
      where += " AND r.submitted_by = :b";
    }
    st.exchange(soci::use(limit));
    Prepare(st, absl::StrCat(kSelectRequest, where, " ORDER BY r.id LIMIT :l"));
    st.execute();
    while (st.fetch()) out.push_back(row.Get());
    return out;
  });
}

absl::StatusOr<std::unordered_map<int64_t, int64_t>> RequestRepository::PatientsOfEnrollments(
    const std::vector<int64_t>& enrollment_ids) {
  return Guarded([&]() -> absl::StatusOr<std::unordered_map<int64_t, int64_t>> {
    std::unordered_map<int64_t, int64_t> out;
    out.reserve(enrollment_ids.size());
    constexpr size_t kChunk = 5000;  // ids inlined: they are integers
    std::vector<long long> enrollment, patient;
    for (size_t from = 0; from < enrollment_ids.size(); from += kChunk) {
      // SOCI shrinks the vectors to the rows fetched (to none at the end of a chunk).
      enrollment.resize(kChunk), patient.resize(kChunk);
      const std::vector<int64_t> chunk(
          enrollment_ids.begin() + from,
          enrollment_ids.begin() + std::min(enrollment_ids.size(), from + kChunk));
      soci::statement st(tx_.session());
      st.exchange(soci::into(enrollment));
      st.exchange(soci::into(patient));
      Prepare(st, absl::StrCat("SELECT id, patient_id FROM enrollments WHERE id IN (",
                               IdList(chunk), ")"));
      st.execute();
      while (st.fetch()) {
        for (size_t i = 0; i < enrollment.size(); ++i) out[enrollment[i]] = patient[i];
        enrollment.resize(kChunk), patient.resize(kChunk);
      }
    }
    return out;
  });
}

absl::Status RequestRepository::Reserve(int64_t request_id, int64_t sample_id, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long request = request_id, sample = sample_id, at = absl::ToUnixMicros(now);
    tx_.session() << "INSERT INTO sample_reservations (sample_id, request_id, reserved_at) "
                     "VALUES (:s, :r, :a)",
        soci::use(sample), soci::use(request), soci::use(at);
    return absl::OkStatus();
  });
}

absl::Status RequestRepository::Release(int64_t sample_id) {
  return Guarded([&]() -> absl::Status {
    long long sample = sample_id;
    tx_.session() << "DELETE FROM sample_reservations WHERE sample_id = :s", soci::use(sample);
    return absl::OkStatus();
  });
}

absl::Status RequestRepository::InsertCodes(int64_t request_id, int64_t sample_id,
                                            const std::string& sample_code,
                                            const std::string& patient_code) {
  return Guarded([&]() -> absl::Status {
    long long request = request_id, sample = sample_id;
    tx_.session() << "INSERT INTO request_samples (request_id, sample_id, sample_code, "
                     "patient_code, picked_by, picked_at) VALUES (:r, :s, :sc, :pc, '', NULL)",
        soci::use(request), soci::use(sample), soci::use(sample_code), soci::use(patient_code);
    return absl::OkStatus();
  });
}

absl::Status RequestRepository::MarkPicked(int64_t request_id, int64_t sample_id,
                                           const std::string& by, absl::Time at) {
  return Guarded([&]() -> absl::Status {
    long long request = request_id, sample = sample_id, when = absl::ToUnixMicros(at);
    std::string who = by;
    tx_.session() << "UPDATE request_samples SET picked_by = :b, picked_at = :a "
                     "WHERE request_id = :r AND sample_id = :s",
        soci::use(who), soci::use(when), soci::use(request), soci::use(sample);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<RequestedTube>> RequestRepository::Tubes(int64_t request_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<RequestedTube>> {
    std::vector<RequestedTube> out;
    long long key = request_id, sample = 0, amount = 0, box = 0, picked = 0, site = 0,
              withdrawn = 0;
    soci::indicator box_ind = soci::i_ok;
    std::string barcode, sample_code, patient_code, protocol, timepoint, type, unit, box_name,
        box_path, site_code, status;
    int position = 0, rows = 0, columns = 0;
    soci::indicator name_ind = soci::i_ok, path_ind = soci::i_ok, pos_ind = soci::i_ok,
                    rows_ind = soci::i_ok, cols_ind = soci::i_ok;
    soci::statement st =
        (tx_.session().prepare
             << "SELECT q.sample_id, s.barcode, q.sample_code, q.patient_code, p.code, tp.code, "
                "s.sample_type, s.quantity_amount, s.quantity_unit, "
                "CASE WHEN q.picked_at IS NULL THEN 0 ELSE 1 END, pl.box_id, pl.position_number, "
                "b.name, b.path, b.rows_count, b.columns_count, s.site_id, si.code, s.status, "
                "CASE WHEN q.withdrawn_at IS NULL THEN 0 ELSE 1 END "
                "FROM request_samples q JOIN samples s ON s.id = q.sample_id "
                "JOIN sites si ON si.id = s.site_id "
                "JOIN timepoints tp ON tp.id = s.timepoint_id "
                "JOIN protocols p ON p.id = tp.protocol_id "
                "LEFT JOIN placements pl ON pl.sample_id = s.id "
                "LEFT JOIN storage_units b ON b.id = pl.box_id "
                "WHERE q.request_id = :r ORDER BY q.sample_code",
         soci::use(key), soci::into(sample), soci::into(barcode), soci::into(sample_code),
         soci::into(patient_code), soci::into(protocol), soci::into(timepoint), soci::into(type),
         soci::into(amount), soci::into(unit), soci::into(picked), soci::into(box, box_ind),
         soci::into(position, pos_ind), soci::into(box_name, name_ind),
         soci::into(box_path, path_ind), soci::into(rows, rows_ind),
         soci::into(columns, cols_ind), soci::into(site), soci::into(site_code),
         soci::into(status), soci::into(withdrawn));
    st.execute();
    while (st.fetch()) {
      RequestedTube t;
      t.sample_id = sample;
      t.barcode = barcode;
      t.sample_code = sample_code;
      t.patient_code = patient_code;
      t.protocol_code = protocol;
      t.timepoint_code = timepoint;
      t.sample_type = type;
      t.withdrawn = withdrawn != 0;
      auto q = Quantity::FromCanonical(amount, unit);
      if (q.ok()) t.quantity = *q;
      t.picked = picked != 0;
      t.site_id = site;
      t.site_code = site_code;
      auto parsed_status = ParseStatusName(status);
      if (!parsed_status.ok()) return parsed_status.status();
      t.status = *parsed_status;
      if (box_ind == soci::i_ok) {
        t.where = BoxPosition{box, position, box_name, box_path, rows, columns};
      }
      out.push_back(std::move(t));
    }
    return out;
  });
}

absl::StatusOr<std::unordered_map<int64_t, std::string>> RequestRepository::OpenRequestsHolding(
    const std::vector<int64_t>& sample_ids, bool newest) {
  return Guarded([&]() -> absl::StatusOr<std::unordered_map<int64_t, std::string>> {
    std::unordered_map<int64_t, std::string> out;
    if (sample_ids.empty()) return out;
    long long sample = 0;
    std::string code;
    soci::statement st(tx_.session());
    st.exchange(soci::into(sample));
    st.exchange(soci::into(code));
    Prepare(st, absl::StrCat("SELECT q.sample_id, r.code FROM request_samples q JOIN "
                             "sample_requests r ON r.id = q.request_id WHERE q.sample_id IN (",
                             IdList(sample_ids), ") AND q.withdrawn_at IS NULL AND r.status IN ('",
                             kRequestApproved, "', '", kRequestPicked, "', '", kRequestPacked,
                             "')", newest ? LockingReadSuffix(tx_.backend()) : ""));
    st.execute();
    while (st.fetch()) out[sample] = code;
    return out;
  });
}

absl::StatusOr<std::vector<HeldTube>> RequestRepository::HeldForPatient(int64_t patient_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<HeldTube>> {
    std::vector<HeldTube> out;
    HeldTube row;
    long long patient = patient_id, request = 0, sample = 0;
    const std::string approved = kRequestApproved;
    soci::statement st =
        (tx_.session().prepare
             << absl::StrCat(
                    "SELECT q.request_id, q.sample_id, r.code, q.sample_code, r.criteria_json "
                    "FROM request_samples q JOIN sample_requests r ON r.id = q.request_id "
                    "JOIN samples s ON s.id = q.sample_id "
                    "JOIN enrollments e ON e.id = s.enrollment_id "
                    "WHERE e.patient_id = :p AND r.status = :st AND q.picked_at IS NULL "
                    "AND q.withdrawn_at IS NULL ORDER BY q.request_id, q.sample_code",
                    LockingReadSuffix(tx_.backend())),
         soci::use(patient), soci::use(approved), soci::into(request),
         soci::into(sample), soci::into(row.request_code), soci::into(row.sample_code),
         soci::into(row.criteria_json));
    st.execute();
    while (st.fetch()) {
      row.request_id = request;
      row.sample_id = sample;
      out.push_back(row);
    }
    return out;
  });
}

absl::Status RequestRepository::Withdraw(int64_t request_id, int64_t sample_id, absl::Time at) {
  return Guarded([&]() -> absl::Status {
    long long request = request_id, sample = sample_id, when = absl::ToUnixMicros(at);
    tx_.session() << "UPDATE request_samples SET withdrawn_at = :a "
                     "WHERE request_id = :r AND sample_id = :s",
        soci::use(when), soci::use(request), soci::use(sample);
    tx_.session() << "DELETE FROM sample_reservations WHERE sample_id = :s AND request_id = :r",
        soci::use(sample), soci::use(request);
    return absl::OkStatus();
  });
}

}  // namespace lims::db
