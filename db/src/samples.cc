#include "lims/db/samples.h"

#include "absl/strings/str_cat.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "sample_row.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::StatusOr<int64_t> SampleRepository::NextSequence(int64_t site_id, int year) {
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    soci::session& sql = tx_.session();
    long long site = site_id;
    soci::statement bump = (sql.prepare << "UPDATE id_sequences SET next_value = next_value + 1 "
                                           "WHERE site_id = :s AND id_year = :y",
                            soci::use(site), soci::use(year));
    bump.execute(true);
    if (bump.get_affected_rows() == 0) {
      // First id of the year; a concurrent first insert loses on the primary key (ABORTED).
      sql << "INSERT INTO id_sequences (site_id, id_year, next_value) VALUES (:s, :y, 2)",
          soci::use(site), soci::use(year);
      return int64_t{1};
    }
    long long next = 0;
    sql << "SELECT next_value FROM id_sequences WHERE site_id = :s AND id_year = :y",
        soci::use(site), soci::use(year), soci::into(next);
    return static_cast<int64_t>(next - 1);
  });
}

absl::Status SampleRepository::Insert(Sample& s, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long enrollment = s.enrollment_id, timepoint = s.timepoint_id, site = s.site_id;
    long long parent = s.parent_id;
    soci::indicator parent_ind = s.parent_id == 0 ? soci::i_null : soci::i_ok;
    long long amount = s.quantity.canonical_amount();
    const std::string unit = s.quantity.canonical_unit();
    const std::string status(StatusName(s.status));
    long long collected = absl::ToUnixMicros(s.collected_at), created = absl::ToUnixMicros(now);
    s.version = 1;
    long long version = s.version;
    tx_.session() << "INSERT INTO samples (barcode, parent_id, enrollment_id, timepoint_id, site_id, "
                     "sample_type, quantity_amount, quantity_unit, status, freeze_thaw_count, "
                     "collected_at, window_offset_days, version, created_at, sprec) VALUES (:b, :p, "
                     ":e, :t, :si, :st, :qa, :qu, :status, :ft, :ca, :wo, :v, :cr, :sp)",
        soci::use(s.barcode), soci::use(parent, parent_ind), soci::use(enrollment),
        soci::use(timepoint), soci::use(site), soci::use(s.sample_type), soci::use(amount),
        soci::use(unit), soci::use(status), soci::use(s.freeze_thaw_count), soci::use(collected),
        soci::use(s.window_offset_days), soci::use(version), soci::use(created),
        soci::use(s.sprec);
    s.id = LastInsertId(tx_, "samples");
    return absl::OkStatus();
  });
}

absl::Status SampleRepository::Update(Sample& s) {
  return Guarded([&]() -> absl::Status {
    long long amount = s.quantity.canonical_amount();
    const std::string unit = s.quantity.canonical_unit();
    const std::string status(StatusName(s.status));
    long long id = s.id, version = s.version;
    soci::statement st =
        (tx_.session().prepare << "UPDATE samples SET quantity_amount = :qa, quantity_unit = :qu, "
                                  "status = :s, freeze_thaw_count = :ft, sprec = :sp, "
                                  "version = version + 1 WHERE id = :id AND version = :v",
         soci::use(amount), soci::use(unit), soci::use(status), soci::use(s.freeze_thaw_count),
         soci::use(s.sprec), soci::use(id), soci::use(version));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError(absl::StrCat("sample ", s.barcode,
                                             " was changed by someone else meanwhile; retry"));
    }
    ++s.version;
    return absl::OkStatus();
  });
}

absl::StatusOr<Sample> SampleRepository::FindByBarcode(const std::string& barcode) {
  return Guarded([&]() -> absl::StatusOr<Sample> {
    SampleRow row;
    std::string key(barcode);
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSampleColumns, kSampleFrom, " WHERE s.barcode = :b"));
    st.execute();
    if (!st.fetch()) return UnknownBarcode(barcode);
    return row.ToSample();
  });
}

absl::StatusOr<bool> SampleRepository::BarcodeExists(const std::string& barcode) {
  return Guarded([&]() -> absl::StatusOr<bool> {
    long long id = 0;
    std::string key(barcode);
    tx_.session() << "SELECT id FROM samples WHERE barcode = :b", soci::use(key), soci::into(id);
    return tx_.session().got_data();
  });
}

absl::StatusOr<std::vector<Sample>> SampleRepository::ListPage(
    int64_t protocol_id, const std::vector<int64_t>& site_ids, int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<Sample>> {
    std::vector<Sample> out;
    SampleRow row;
    long long protocol = protocol_id, after = after_id;
    std::string where = " WHERE s.id > :a AND (:p = 0 OR e.protocol_id = :p2)";
    if (!site_ids.empty()) absl::StrAppend(&where, " AND s.site_id IN (", IdList(site_ids), ")");
    soci::statement st(tx_.session());
    row.Bind(st);
    st.exchange(soci::use(after));
    st.exchange(soci::use(protocol));
    st.exchange(soci::use(protocol));
    st.exchange(soci::use(limit));
    Prepare(st, absl::StrCat(kSampleColumns, kSampleFrom, where, " ORDER BY s.id LIMIT :l"));
    st.execute();
    while (st.fetch()) out.push_back(row.ToSample());
    return out;
  });
}

absl::StatusOr<std::vector<ResolvedSample>> SampleRepository::ListForEnrollment(
    int64_t enrollment_id, int64_t timepoint_id, int64_t after_id, int limit) {
  return Guarded([&]() -> absl::StatusOr<std::vector<ResolvedSample>> {
    std::vector<ResolvedSample> out;
    SampleRow row;
    LocationRow location;
    long long enrollment = enrollment_id, timepoint = timepoint_id, after = after_id;
    soci::statement st(tx_.session());
    row.Bind(st);
    location.Bind(st);
    st.exchange(soci::use(enrollment));
    st.exchange(soci::use(timepoint));
    st.exchange(soci::use(timepoint));
    st.exchange(soci::use(after));
    st.exchange(soci::use(limit));
    Prepare(st, absl::StrCat(kSampleColumns, kLocationColumns, kSampleFrom, kLocationJoin,
                             " WHERE s.enrollment_id = :e AND (:t = 0 OR s.timepoint_id = :t2) "
                             "AND s.id > :a ORDER BY s.id LIMIT :l"));
    st.execute();
    while (st.fetch()) out.push_back({row.ToSample(), location.ToLocation()});
    return out;
  });
}

absl::Status SampleRepository::Lock(const std::vector<int64_t>& sample_ids) {
  if (sample_ids.empty() || tx_.backend() == Backend::kSqlite) return absl::OkStatus();
  return Guarded([&]() -> absl::Status {
    std::vector<long long> ids(sample_ids.size());
    soci::statement st(tx_.session());
    st.exchange(soci::into(ids));
    Prepare(st, absl::StrCat("SELECT id FROM samples WHERE id IN (", IdList(sample_ids), ")",
                             LockingReadSuffix(tx_.backend())));
    st.execute();
    while (st.fetch()) ids.resize(sample_ids.size());
    return absl::OkStatus();
  });
}

}  // namespace lims::db
