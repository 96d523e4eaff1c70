// The bench hot path: a scanned barcode to the tube, its place, its patient's consent and its
// exposure, in one statement prepared once per pooled connection through each database's own
// statement API (native_statement.h): SOCI's MySQL backend would send the 13-table join as text
// to be parsed again on every scan, and its sqlite3 backend turns each of the row's 38 values
// into text and back.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "connection_cache.h"
#include "consent_row.h"
#include "lims/db/samples.h"
#include "native_statement.h"
#include "sample_row.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

// One row per consent event of the tube's patient (one row with consent id 0 when there is
// none); every row repeats the tube. No ORDER BY: with the joined text columns MariaDB would
// sort through an on-disk temporary table on every scan; the events are sorted here.
std::string AtBenchQuery() {
  return absl::StrCat(kSampleColumns, kLocationColumns,
                      ", EXISTS (SELECT 1 FROM sample_exposures x WHERE x.sample_id = s.id), ",
                      ConsentRow::kJoinedColumns, kSampleFrom, kLocationJoin,
                      " LEFT JOIN consent_events c ON c.patient_id = e.patient_id"
                      " WHERE s.barcode = ?");
}

struct AtBenchRow {
  SampleRow sample;
  LocationRow location;
  int exposed = 0;
  ConsentRow consent;

  template <typename Visit>
  void Fields(Visit&& visit) {
    sample.Fields(visit);
    location.Fields(visit);
    visit(exposed);
    consent.Fields(visit);
  }
};

// The statement prepared for this connection, each fetched row copied into the fields.
struct PreparedAtBench {
  PreparedAtBench(soci::session& session, Backend backend)
      : st(PrepareNative(session, backend, AtBenchQuery())) {}
  void Execute(const std::string& barcode) { st->Execute(barcode); }
  bool Fetch() {
    if (!st->Fetch()) return false;
    int column = 0;
    row.Fields([&](auto& field) { st->Get(column++, field); });
    return true;
  }

  AtBenchRow row;
  std::unique_ptr<NativeStatement> st;
};

absl::StatusOr<SampleAtBench> ReadAtBench(Tx& tx, const std::string& barcode) {
  PreparedAtBench& q = tx.cache().Get<PreparedAtBench>(tx.session(), tx.backend());
  try {
    q.Execute(barcode);
    if (!q.Fetch()) return UnknownBarcode(barcode);
    SampleAtBench out;
    out.sample = q.row.sample.ToSample();
    out.location = q.row.location.ToLocation();
    out.exposed = q.row.exposed != 0;
    absl::Status malformed;
    // Read to the end: SQLite releases its read snapshot, MariaDB the result.
    do {
      if (q.row.consent.id == 0 || !malformed.ok()) continue;
      absl::StatusOr<ConsentEvent> event = q.row.consent.ToEvent();
      if (event.ok()) {
        out.consent.push_back(*std::move(event));
      } else {
        malformed = event.status();
      }
    } while (q.Fetch());
    if (!malformed.ok()) return malformed;
    std::sort(out.consent.begin(), out.consent.end(),
              [](const ConsentEvent& a, const ConsentEvent& b) { return a.id < b.id; });
    return out;
  } catch (...) {
    tx.cache().Erase<PreparedAtBench>();
    throw;
  }
}

}  // namespace

absl::StatusOr<SampleAtBench> SampleRepository::ResolveAtBench(const std::string& barcode) {
  return Guarded([&]() -> absl::StatusOr<SampleAtBench> { return ReadAtBench(tx_, barcode); });
}

absl::StatusOr<ResolvedSample> SampleRepository::Resolve(const std::string& barcode) {
  absl::StatusOr<SampleAtBench> found = ResolveAtBench(barcode);
  if (!found.ok()) return found.status();
  return ResolvedSample{std::move(found->sample), std::move(found->location)};
}

}  // namespace lims::db
