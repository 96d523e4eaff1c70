// lims-monitoring-bench: freezer monitoring on a generated SQLite database — a freezer holding
// 50,000 tubes in 618 boxes that moved often (each box has had 3 stays, each tube 3), a month of
// per-minute readings with a 4-hour excursion — each figure next to a baseline measured in the
// same process on the same database (what any implementation must at least do). Prints a
// Markdown table; bench/monitoring.sh writes it to docs/benchmarks-monitoring.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench_sql.h"
#include "call_context.h"
#include "evacuation_operations.h"
#include "exposure.h"
#include "lims/db/database.h"
#include "lims/db/storage_units.h"
#include "monitoring_operations.h"
#include "soci/soci.h"

namespace {

constexpr int kPatients = 5000;
constexpr int kTubesPerPatient = 10;
constexpr int kTubes = kPatients * kTubesPerPatient;
constexpr int kBoxes = (kTubes + 80) / 81;
constexpr int kReadings = 30 * 24 * 60;  // a month, one a minute
constexpr long long kMinute = 60'000'000LL;
const absl::Time kStart = absl::FromUnixSeconds(1'780'000'000);

using lims::bench::Bulk;
using lims::bench::MsSince;

void Check(const absl::Status& status, const char* what) {
  if (!status.ok()) {
    std::fprintf(stderr, "lims-monitoring-bench: %s: %s\n", what,
                 std::string(status.message()).c_str());
    std::exit(1);
  }
}

// Units 1 (site), 2 (freezer F, probe BENCH-F), 3 (backup G), boxes from 4; every box spent
// its first week in G, a day in F, a day in G, then F; every tube two stays in another box
// before its own.
void Generate(lims::db::Database& db) {
  Check(db.Write([&](lims::db::Tx& tx) -> absl::Status {
    soci::session& s = tx.session();
    s << "INSERT INTO sites (code, name, created_at) VALUES ('BNCH', 'Bench site', 0)";
    s << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
         "site_id, created_at) VALUES (NULL, 'SITE', 'BNCH', 0, 0, 'Site BNCH', 1, 0)";
    s << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
         "site_id, created_at, alarm_high_celsius, probe_id) VALUES (1, 'FREEZER', 'F', 0, "
         "0, 'Site BNCH / Freezer F', 1, 0, -70, 'BENCH-F')";
    s << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
         "site_id, created_at) VALUES (1, 'FREEZER', 'G', 0, 0, 'Site BNCH / Freezer G', 1, 0)";
    s << "INSERT INTO protocols (code, name, created_at) VALUES ('BENCH', 'bench', 0)";
    s << "INSERT INTO timepoints (protocol_id, ordinal, code, name, offset_days, "
         "window_before_days, window_after_days) VALUES (1, 0, 'M3', '', 90, 7, 7)";
    std::vector<std::string> registry, anchor;
    std::vector<long long> site, patient, protocol;
    for (int i = 1; i <= kPatients; ++i) {
      registry.push_back(absl::StrFormat("BN-%06d", i));
      site.push_back(1);
      patient.push_back(i);
      protocol.push_back(1);
      anchor.push_back("2026-01-01");
    }
    Bulk(s, "INSERT INTO patients (registry_id, site_id, created_at) VALUES (:r, :s, 0)", registry,
         site);
    Bulk(s,
         "INSERT INTO enrollments (patient_id, protocol_id, anchor_date, created_at) "
         "VALUES (:p, :r, :a, 0)",
         patient, protocol, anchor);
    std::vector<std::string> box_name, box_path;
    std::vector<long long> box_parent;
    for (int b = 0; b < kBoxes; ++b) {
      box_name.push_back(absl::StrFormat("B-%05d", b));
      box_path.push_back(absl::StrFormat("Site BNCH / Freezer F / Box B-%05d", b));
      box_parent.push_back(2);
    }
    Bulk(s,
         "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, "
         "path, site_id, created_at) VALUES (:p, 'BOX', :n, 9, 9, :path, 1, 0)",
         box_parent, box_name, box_path);
    const long long t0 = absl::ToUnixMicros(kStart), day = 24 * 60 * kMinute;
    std::vector<long long> unit, parent, from, to;
    std::vector<soci::indicator> to_ind;
    for (int b = 0; b < kBoxes; ++b) {
      const long long id = 4 + b;
      const long long stays[][3] = {{3, t0 - 7 * day, t0},
                                    {2, t0, t0 + day},
                                    {3, t0 + day, t0 + 2 * day},
                                    {2, t0 + 2 * day, 0}};
      for (const auto& stay : stays) {
        unit.push_back(id), parent.push_back(stay[0]), from.push_back(stay[1]);
        to.push_back(stay[2]), to_ind.push_back(stay[2] ? soci::i_ok : soci::i_null);
      }
    }
    {
      soci::statement st(s);
      st.exchange(soci::use(unit));
      st.exchange(soci::use(parent));
      st.exchange(soci::use(from));
      st.exchange(soci::use(to, to_ind));
      st.alloc();
      st.prepare(
          "INSERT INTO unit_parent_history (unit_id, parent_id, from_at, to_at) "
          "VALUES (:u, :p, :f, :t)");
      st.define_and_bind();
      st.execute(true);
    }
    std::vector<std::string> barcode;
    std::vector<long long> enrollment, sample_id, box_id, position;
    for (int i = 1; i <= kTubes; ++i) {
      barcode.push_back(absl::StrFormat("%010d", 1000000000 + i));
      enrollment.push_back((i - 1) / kTubesPerPatient + 1);
      sample_id.push_back(i);
      box_id.push_back(4 + (i - 1) / 81);
      position.push_back((i - 1) % 81 + 1);
    }
    Bulk(s,
         "INSERT INTO samples (barcode, parent_id, enrollment_id, timepoint_id, site_id, "
         "sample_type, quantity_amount, quantity_unit, status, freeze_thaw_count, "
         "collected_at, window_offset_days, version, created_at) VALUES (:b, NULL, :e, "
         "1, 1, 'SER', 500000, 'nL', 'STORED', 0, 0, 0, 1, 0)",
         barcode, enrollment);
    Bulk(s,
         "INSERT INTO placements (sample_id, box_id, position_number, placed_at) VALUES "
         "(:s, :b, :p, 0)",
         sample_id, box_id, position);
    // Each tube: a stay in the next box, one in the box after, then its own.
    std::vector<long long> h_sample, h_box, h_position, h_from, h_to;
    std::vector<soci::indicator> h_to_ind;
    for (int i = 0; i < kTubes; ++i) {
      const long long own = box_id[i];
      const long long other = 4 + (own - 4 + 1) % kBoxes, third = 4 + (own - 4 + 2) % kBoxes;
      const long long stays[][3] = {{other, t0 - day, t0 + 3 * day},
                                    {third, t0 + 3 * day, t0 + 10 * day},
                                    {own, t0 + 10 * day, 0}};
      for (const auto& stay : stays) {
        h_sample.push_back(sample_id[i]), h_box.push_back(stay[0]);
        h_position.push_back(position[i]), h_from.push_back(stay[1]);
        h_to.push_back(stay[2]), h_to_ind.push_back(stay[2] ? soci::i_ok : soci::i_null);
      }
    }
    soci::statement st(s);
    st.exchange(soci::use(h_sample));
    st.exchange(soci::use(h_box));
    st.exchange(soci::use(h_position));
    st.exchange(soci::use(h_from));
    st.exchange(soci::use(h_to, h_to_ind));
    st.alloc();
    st.prepare(
        "INSERT INTO location_history (sample_id, box_id, position_number, from_at, "
        "to_at) VALUES (:s, :b, :p, :f, :t)");
    st.define_and_bind();
    st.execute(true);
    return absl::OkStatus();
  }),
        "generating");
}

// A month of readings at -80 °C with one 4-hour rise to -60 °C on day 12 (the tubes were then
// in their third boxes, all in F).
std::vector<lims::ProbeReading> Readings() {
  std::vector<lims::ProbeReading> out;
  for (int m = 0; m < kReadings; ++m) {
    const bool warm = m >= 12 * 24 * 60 && m < 12 * 24 * 60 + 240;
    out.push_back({"BENCH-F", kStart + absl::Minutes(m), warm ? -60.0 : -80.0, 0});
  }
  return out;
}

struct Row {
  std::string what;
  double ms, baseline_ms;
  std::string baseline, result;
};

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

// A year of readings of `probes` freezers, one a minute, pushed as a monitoring bridge does: a
// day of one probe per call (1,440 readings), raw readings kept 90 days. Next to it, the same
// rows bulk-inserted into a bare table. One day of each probe is generated at a time.
Row YearOfReadings(lims::db::Database& db, int probes, int days) {
  Check(db.Write([&](lims::db::Tx& tx) -> absl::Status {
    for (int p = 1; p <= probes; ++p) {
      tx.session() << absl::StrFormat(
          "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
          "site_id, created_at, alarm_high_celsius, probe_id) VALUES (1, 'FREEZER', 'Y%d', 0, "
          "0, 'Site BNCH / Freezer Y%d', 1, 0, -70, 'YEAR-%d')",
          p, p, p);
    }
    tx.session() << "CREATE TABLE bench_year (probe_id VARCHAR(100), at BIGINT, celsius DOUBLE)";
    return absl::OkStatus();
  }),
        "year: freezers");
  const absl::Time start = absl::FromUnixSeconds(1'700'000'000);
  auto day_of = [&](int probe, int day) {
    std::vector<lims::ProbeReading> out;
    out.reserve(1440);
    for (int m = 0; m < 1440; ++m) {
      out.push_back({absl::StrCat("YEAR-", probe), start + absl::Minutes(day * 1440 + m),
                     -80.0 + ((m * 7 + probe) % 11) * 0.1, 0});
    }
    return out;
  };
  auto t = std::chrono::steady_clock::now();
  for (int day = 0; day < days; ++day) {
    Check(db.Write([&](lims::db::Tx& tx) -> absl::Status {
      // Multi-row statements of literal values: the fastest plain SQL on both databases.
      for (int p = 1; p <= probes; ++p) {
        std::string sql = "INSERT INTO bench_year VALUES ";
        const auto readings = day_of(p, day);
        for (size_t k = 0; k < readings.size(); ++k) {
          absl::StrAppend(&sql, k ? ", " : "", "('", readings[k].probe_id, "', ",
                          absl::ToUnixMicros(readings[k].at), ", ", readings[k].celsius, ")");
        }
        tx.session() << sql;
      }
      return absl::OkStatus();
    }),
          "year: baseline");
  }
  const double baseline_ms = MsSince(t);
  lims::services::CallContext call;
  call.principal.role = lims::Role::kAdmin;
  call.principal.username = call.actor = "bench";
  call.now = start + absl::Hours(24 * days);
  long long fresh = 0;
  t = std::chrono::steady_clock::now();
  for (int day = 0; day < days; ++day) {
    for (int p = 1; p <= probes; ++p) {
      Check(db.Write([&](lims::db::Tx& tx) -> absl::Status {
        lims::services::ReadingsBatch batch;
        batch.readings = day_of(p, day);
        batch.raw_retention = absl::Hours(24 * 90);
        batch.source = "bench";
        auto done = lims::services::RecordReadings(tx, call, batch);
        if (!done.ok()) return done.status();
        fresh += done->fresh;
        return absl::OkStatus();
      }),
            "year: recording");
    }
  }
  const double ms = MsSince(t);
  long long raw = 0, hours = 0;
  Check(db.Read([&](lims::db::Tx& tx) -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM temperature_readings WHERE probe_id LIKE 'YEAR-%'",
        soci::into(raw);
    tx.session() << "SELECT COUNT(*) FROM temperature_hours WHERE probe_id LIKE 'YEAR-%'",
        soci::into(hours);
    return absl::OkStatus();
  }),
        "year: counts");
  return {absl::StrFormat("%lld readings (%d probes, %d days, per minute) pushed a day of one "
                          "probe per call: stored, hours summed, excursions looked for, raw "
                          "readings older than 90 days pruned",
                          static_cast<long long>(probes) * days * 1440, probes, days),
          ms, baseline_ms, "the same rows INSERTed into a bare table, a probe's day per statement of literal values",
          absl::StrFormat("%lld new; %lld raw readings kept, %lld hours", fresh, raw, hours)};
}

}  // namespace

int main(int argc, char** argv) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("lims-monitoring-bench-", getpid());
  const std::string url = argc > 1 ? argv[1] : "sqlite:" + (dir / "bench.db").string();
  if (argc <= 1) std::filesystem::create_directories(dir);
  auto db = lims::db::Database::Open(url);
  Check(db.status(), "opening the database");
  auto t = std::chrono::steady_clock::now();
  Generate(**db);
  const double generate_s = MsSince(t) / 1000;

  lims::services::CallContext call;
  call.principal.role = lims::Role::kAdmin;
  call.principal.username = call.actor = "bench";
  call.now = kStart + absl::Hours(24 * 31);
  std::vector<Row> rows;
  const std::vector<lims::ProbeReading> readings = Readings();

  // 1. The month's readings: stored, hours summed, the excursion found, its exposure computed.
  t = std::chrono::steady_clock::now();
  Check((*db)->Write([&](lims::db::Tx& tx) -> absl::Status {
    tx.session() << "CREATE TABLE bench_readings (probe_id VARCHAR(100), at BIGINT, "
                    "celsius DOUBLE)";
    std::vector<std::string> probe(readings.size(), "BENCH-F");
    std::vector<long long> at;
    std::vector<double> celsius;
    for (const auto& r : readings)
      at.push_back(absl::ToUnixMicros(r.at)), celsius.push_back(r.celsius);
    Bulk(tx.session(), "INSERT INTO bench_readings VALUES (:p, :a, :c)", probe, at, celsius);
    return absl::OkStatus();
  }),
        "baseline insert");
  const double insert_base = MsSince(t);
  lims::services::ReadingsOutcome outcome;
  t = std::chrono::steady_clock::now();
  Check((*db)->Write([&](lims::db::Tx& tx) -> absl::Status {
    lims::services::ReadingsBatch batch;
    batch.readings = readings;
    batch.raw_retention = absl::Hours(24 * 365);
    batch.source = "bench";
    auto done = lims::services::RecordReadings(tx, call, batch);
    if (!done.ok()) return done.status();
    outcome = *done;
    return absl::OkStatus();
  }),
        "importing the readings");
  rows.push_back({absl::StrFormat("%d readings of one probe (a month, per minute) recorded: "
                                  "hours, the excursion, its exposure",
                                  kReadings),
                  MsSince(t), insert_base, "a bulk INSERT of the same rows into a bare table",
                  absl::StrFormat("%d new", outcome.fresh)});

  // 2. The exposure of the excursion again: boxes through their stays, tubes through theirs.
  lims::db::ExcursionRecord excursion;
  lims::StorageUnit freezer;
  std::vector<lims::db::Exposure> exposed;
  std::vector<double> ms;
  for (int r = 0; r < 3; ++r) {
    t = std::chrono::steady_clock::now();
    Check((*db)->Write([&](lims::db::Tx& tx) -> absl::Status {
      auto all = lims::db::ExcursionRepository(tx).ForUnits({2}, false, 10);
      if (!all.ok() || all->empty()) return absl::InternalError("no excursion found");
      excursion = all->front();
      auto unit = lims::db::StorageUnitRepository(tx).FindById(2);
      if (!unit.ok()) return unit.status();
      freezer = *unit;
      auto e = lims::services::RecomputeExposure(tx, freezer, excursion);
      if (!e.ok()) return e.status();
      exposed = *e;
      return absl::OkStatus();
    }),
          "exposure");
    ms.push_back(MsSince(t));
  }
  std::sort(ms.begin(), ms.end());
  long long stays = 0;
  t = std::chrono::steady_clock::now();
  Check((*db)->Read([&](lims::db::Tx& tx) -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM location_history", soci::into(stays);
    return absl::OkStatus();
  }),
        "baseline count");
  rows.push_back({absl::StrFormat("exposure of a %.0f-minute excursion in a freezer of %d tubes "
                                  "(%d boxes with 4 stays each, tubes with 3)",
                                  excursion.span.minutes_beyond, kTubes, kBoxes),
                  ms[1], MsSince(t), "SELECT COUNT(*) over every tube stay",
                  absl::StrFormat("%zu tubes exposed", exposed.size())});

  // 3. Planning the freezer's evacuation into G.
  lims::services::EvacuationView plan;
  t = std::chrono::steady_clock::now();
  Check((*db)->Write([&](lims::db::Tx& tx) -> absl::Status {
    auto p = lims::services::PlanEvacuation(tx, call, {2, 3, 0});
    if (!p.ok()) return p.status();
    plan = *p;
    return absl::OkStatus();
  }),
        "planning");
  const double plan_ms = MsSince(t);
  long long placed = 0;
  t = std::chrono::steady_clock::now();
  Check((*db)->Read([&](lims::db::Tx& tx) -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM placements pl JOIN storage_units b ON b.id = "
                    "pl.box_id WHERE b.path LIKE 'Site BNCH / Freezer F / %'",
        soci::into(placed);
    return absl::OkStatus();
  }),
        "baseline placements");
  rows.push_back(
      {absl::StrFormat("evacuation plan of the freezer (%d boxes, %lld tubes)", kBoxes, placed),
       plan_ms, MsSince(t), "SELECT COUNT(*) of the freezer's placed tubes",
       absl::StrFormat("%zu moves", plan.moves.size())});

  // 4. A year of a freezer park's readings.
  rows.push_back(YearOfReadings(**db, EnvInt("BENCH_READINGS_PROBES", 50),
                                EnvInt("BENCH_READINGS_DAYS", 365)));

  std::printf("| what | ms | baseline | baseline ms | ratio | outcome |\n");
  std::printf("|:---|---:|:---|---:|---:|:---|\n");
  for (const Row& r : rows) {
    std::printf("| %s | %.0f | %s | %.1f | %.1f | %s |\n", r.what.c_str(), r.ms, r.baseline.c_str(),
                r.baseline_ms, r.ms / r.baseline_ms, r.result.c_str());
  }
  std::printf("\nGenerated in %.1f s: %d tubes, %d boxes, %s.\n", generate_s, kTubes, kBoxes,
              url.rfind("sqlite:", 0) == 0 ? "SQLite" : "MariaDB");
  if (argc <= 1) std::filesystem::remove_all(dir);
  return 0;
}
