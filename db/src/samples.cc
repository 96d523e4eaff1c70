#include "lims/db/samples.h"

#include "absl/strings/str_cat.h"
#include "connection_cache.h"
#include "dialect.h"
#include "id_list.h"
#include "last_insert_id.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

constexpr char kSelect[] =
    "SELECT s.id, s.barcode, COALESCE(par.barcode, ''), COALESCE(s.parent_id, 0), "
    "s.enrollment_id, s.timepoint_id, s.site_id, s.sample_type, s.quantity_amount, "
    "s.quantity_unit, s.status, s.freeze_thaw_count, s.collected_at, s.window_offset_days, "
    "s.version, s.sprec, si.code, pa.registry_id, pr.code, tp.code, COALESCE(prd.din, ''), "
    "COALESCE(th.coi, '')";
constexpr char kFrom[] =
    " FROM samples s LEFT JOIN samples par ON par.id = s.parent_id "
    "JOIN sites si ON si.id = s.site_id JOIN enrollments e ON e.id = s.enrollment_id "
    "JOIN patients pa ON pa.id = e.patient_id JOIN protocols pr ON pr.id = e.protocol_id "
    "JOIN timepoints tp ON tp.id = s.timepoint_id "
    "LEFT JOIN product_samples ps ON ps.sample_id = s.id "
    "LEFT JOIN products prd ON prd.id = ps.product_id "
    "LEFT JOIN therapies th ON th.id = prd.therapy_id";
constexpr char kLocationColumns[] =
    ", COALESCE(pl.box_id, 0), COALESCE(pl.position_number, 0), COALESCE(b.name, ''), "
    "COALESCE(b.path, ''), COALESCE(b.rows_count, 0), COALESCE(b.columns_count, 0)";
constexpr char kLocationJoin[] =
    " LEFT JOIN placements pl ON pl.sample_id = s.id LEFT JOIN storage_units b ON b.id = pl.box_id";

struct SampleRow {
  long long id = 0, parent_id = 0, enrollment_id = 0, timepoint_id = 0, site_id = 0;
  long long amount = 0, collected_at = 0, version = 0;
  int freeze_thaw = 0, window_offset = 0;
  std::string barcode, parent_barcode, sample_type, unit, status, sprec, site_code, registry_id,
      protocol_code, timepoint_code, product_din, coi;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(barcode));
    st.exchange(soci::into(parent_barcode));
    st.exchange(soci::into(parent_id));
    st.exchange(soci::into(enrollment_id));
    st.exchange(soci::into(timepoint_id));
    st.exchange(soci::into(site_id));
    st.exchange(soci::into(sample_type));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(unit));
    st.exchange(soci::into(status));
    st.exchange(soci::into(freeze_thaw));
    st.exchange(soci::into(collected_at));
    st.exchange(soci::into(window_offset));
    st.exchange(soci::into(version));
    st.exchange(soci::into(sprec));
    st.exchange(soci::into(site_code));
    st.exchange(soci::into(registry_id));
    st.exchange(soci::into(protocol_code));
    st.exchange(soci::into(timepoint_code));
    st.exchange(soci::into(product_din));
    st.exchange(soci::into(coi));
  }

  // Rows are written only by Insert/Update, so a value that does not parse is corrupt data.
  Sample ToSample() const {
    Sample s;
    s.id = id;
    s.barcode = barcode;
    s.parent_barcode = parent_barcode;
    s.parent_id = parent_id;
    s.enrollment_id = enrollment_id;
    s.timepoint_id = timepoint_id;
    s.site_id = site_id;
    s.sample_type = sample_type;
    auto quantity = Quantity::FromCanonical(amount, unit);
    auto parsed_status = ParseStatusName(status);
    if (!quantity.ok() || !parsed_status.ok()) {
      throw soci::soci_error("corrupt quantity or status in sample " + barcode);
    }
    s.quantity = *quantity;
    s.status = *parsed_status;
    s.freeze_thaw_count = freeze_thaw;
    s.collected_at = absl::FromUnixMicros(collected_at);
    s.window_offset_days = window_offset;
    s.version = version;
    s.sprec = sprec;
    s.site_code = site_code;
    s.patient_registry_id = registry_id;
    s.protocol_code = protocol_code;
    s.timepoint_code = timepoint_code;
    s.product_din = product_din;
    s.coi = coi;
    return s;
  }
};

struct LocationRow {
  long long box_id = 0;
  int position = 0, rows = 0, columns = 0;
  std::string name, path;

  void Bind(soci::statement& st) {
    st.exchange(soci::into(box_id));
    st.exchange(soci::into(position));
    st.exchange(soci::into(name));
    st.exchange(soci::into(path));
    st.exchange(soci::into(rows));
    st.exchange(soci::into(columns));
  }

  std::optional<BoxPosition> ToLocation() const {
    if (box_id == 0) return std::nullopt;
    return BoxPosition{box_id, position, name, path, rows, columns};
  }
};

// The bench hot path, prepared once per connection and re-executed with a new key.
struct ResolveStatement {
  explicit ResolveStatement(soci::session& session) : st(session) {
    row.Bind(st);
    location.Bind(st);
    st.exchange(soci::use(key));
    Prepare(st, absl::StrCat(kSelect, kLocationColumns, kFrom, kLocationJoin,
                             " WHERE s.barcode = :b"));
  }
  std::string key;
  SampleRow row;
  LocationRow location;
  soci::statement st;
};

absl::Status UnknownBarcode(const std::string& barcode) {
  return absl::NotFoundError(absl::StrCat(
      "no sample with barcode '", barcode,
      "'; check the label, or register the tube first (lims collect / lims sample derive)"));
}

}  // namespace

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
    Prepare(st, absl::StrCat(kSelect, kFrom, " WHERE s.barcode = :b"));
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

absl::StatusOr<ResolvedSample> SampleRepository::Resolve(const std::string& barcode) {
  return Guarded([&]() -> absl::StatusOr<ResolvedSample> {
    ResolveStatement& q = tx_.cache().Get<ResolveStatement>(tx_.session());
    try {
      q.key = barcode;
      q.st.execute();
      if (!q.st.fetch()) return UnknownBarcode(barcode);
      ResolvedSample found{q.row.ToSample(), q.location.ToLocation()};
      // Run the statement to its end so that it releases its read snapshot now.
      while (q.st.fetch()) {
      }
      return found;
    } catch (...) {
      tx_.cache().Erase<ResolveStatement>();
      throw;
    }
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
    Prepare(st, absl::StrCat(kSelect, kFrom, where, " ORDER BY s.id LIMIT :l"));
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
    Prepare(st, absl::StrCat(kSelect, kLocationColumns, kFrom, kLocationJoin,
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
