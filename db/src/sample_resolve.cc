// The bench hot path: a scanned barcode to the tube, its place, its patient's consent and its
// exposure, in one statement prepared once per pooled connection. On SQLite SOCI keeps the
// prepared statement; on MariaDB the server does (mariadb_statement.h), because SOCI's MySQL
// backend would send the 10-table join as text to be parsed again on every scan.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "connection_cache.h"
#include "consent_row.h"
#include "lims/db/samples.h"
#include "mariadb_statement.h"
#include "prepare.h"
#include "sample_row.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

// One row per consent event of the tube's patient (one row with consent id 0 when there is
// none); every row repeats the tube. No ORDER BY: with the joined text columns MariaDB would
// sort through an on-disk temporary table on every scan; the events are sorted here.
std::string AtBenchQuery(const char* placeholder) {
  return absl::StrCat(kSampleColumns, kLocationColumns,
                      ", EXISTS (SELECT 1 FROM sample_exposures x WHERE x.sample_id = s.id), ",
                      ConsentRow::kJoinedColumns, kSampleFrom, kLocationJoin,
                      " LEFT JOIN consent_events c ON c.patient_id = e.patient_id"
                      " WHERE s.barcode = ",
                      placeholder);
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

// SQLite: SOCI's statement, its row bound to the fields.
struct SociAtBench {
  explicit SociAtBench(soci::session& session) : st(session) {
    BindFields(st, row);
    st.exchange(soci::use(key));
    Prepare(st, AtBenchQuery(":b"));
  }
  void Execute(const std::string& barcode) {
    key = barcode;
    st.execute();
  }
  bool Fetch() { return st.fetch(); }

  std::string key;
  AtBenchRow row;
  soci::statement st;
};

// MariaDB: the server's prepared statement, each fetched row copied into the fields.
struct MariaDbAtBench {
  explicit MariaDbAtBench(soci::session& session) : st(session, AtBenchQuery("?")) {}
  void Execute(const std::string& barcode) { st.Execute(barcode); }
  bool Fetch() {
    if (!st.Fetch()) return false;
    int column = 0;
    row.Fields([&](auto& field) { st.Get(column++, field); });
    return true;
  }

  AtBenchRow row;
  MariaDbStatement st;
};

template <typename Statement>
absl::StatusOr<SampleAtBench> ReadAtBench(Tx& tx, const std::string& barcode) {
  Statement& q = tx.cache().Get<Statement>(tx.session());
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
    tx.cache().Erase<Statement>();
    throw;
  }
}

}  // namespace

absl::StatusOr<SampleAtBench> SampleRepository::ResolveAtBench(const std::string& barcode) {
  return Guarded([&]() -> absl::StatusOr<SampleAtBench> {
    if (tx_.backend() == Backend::kMariaDb) return ReadAtBench<MariaDbAtBench>(tx_, barcode);
    return ReadAtBench<SociAtBench>(tx_, barcode);
  });
}

absl::StatusOr<ResolvedSample> SampleRepository::Resolve(const std::string& barcode) {
  absl::StatusOr<SampleAtBench> found = ResolveAtBench(barcode);
  if (!found.ok()) return found.status();
  return ResolvedSample{std::move(found->sample), std::move(found->location)};
}

}  // namespace lims::db
