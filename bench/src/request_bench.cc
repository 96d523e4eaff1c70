// lims-request-bench: researcher criteria queries (RequestService.PreviewRequest's work:
// candidates from the database, consent, selection) on a generated SQLite database of about a
// million stored samples, next to a baseline measured in the same process on the same
// database: one SQL COUNT(*) over the same joins and filters (the least any implementation
// must do). Prints a Markdown table; bench/requests.sh writes it to docs/benchmarks-requests.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench_sql.h"
#include "call_context.h"
#include "lims/db/database.h"
#include "request_operations.h"
#include "soci/soci.h"

namespace {

constexpr int kPatients = 20000;
const char* const kTimepoints[] = {"BL", "D0", "D7", "D14", "M1", "M3", "M6", "M12"};
constexpr int kTimepointCount = 8;
// Per patient and timepoint: 3 serum, 2 plasma, 1 cell tube.
const char* const kTubeTypes[] = {"SER", "SER", "SER", "PL1", "PL1", "CEL"};
constexpr int kTubesPerTimepoint = 6;
constexpr int kRepeats = 5;

using lims::bench::Bulk;
using lims::bench::MsSince;

// The data set, written straight into the tables in bulk (the API would take hours for this).
void Generate(lims::db::Database& db) {
  auto done = db.Write([&](lims::db::Tx& tx) -> absl::Status {
    soci::session& s = tx.session();
    s << "INSERT INTO sites (code, name, created_at) VALUES ('BNCH', 'Bench site', 0)";
    s << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
         "site_id, created_at) VALUES (NULL, 'SITE', 'BNCH', 0, 0, 'Site BNCH', 1, 0)";
    s << "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
         "site_id, created_at) VALUES (1, 'FREEZER', 'F-01', 0, 0, 'Site BNCH / Freezer F-01', 1, 0)";
    for (int p = 1; p <= 2; ++p) {
      s << "INSERT INTO protocols (code, name, created_at) VALUES (:c, :n, 0)",
          soci::use(std::string(p == 1 ? "CART-SLE" : "MSC-SSC")), soci::use(std::string("bench"));
      for (int t = 0; t < kTimepointCount; ++t) {
        s << "INSERT INTO timepoints (protocol_id, ordinal, code, name, offset_days, "
             "window_before_days, window_after_days) VALUES (:p, :o, :c, '', :d, 7, 7)",
            soci::use(p), soci::use(t), soci::use(std::string(kTimepoints[t])), soci::use(t * 30);
      }
    }
    std::vector<std::string> registry;
    std::vector<long long> patient_site;
    for (int i = 1; i <= kPatients; ++i) {
      registry.push_back(absl::StrFormat("BN-%06d", i));
      patient_site.push_back(1);
    }
    Bulk(s, "INSERT INTO patients (registry_id, site_id, created_at) VALUES (:r, :s, 0)", registry,
         patient_site);
    std::vector<long long> e_patient, e_protocol;
    std::vector<std::string> anchor;
    for (int i = 1; i <= kPatients; ++i) {
      e_patient.push_back(i);
      e_protocol.push_back(i % 2 ? 1 : 2);
      anchor.push_back("2025-06-01");
    }
    Bulk(s, "INSERT INTO enrollments (patient_id, protocol_id, anchor_date, created_at) VALUES "
            "(:p, :r, :a, 0)",
         e_patient, e_protocol, anchor);
    // Consent: 80% storage + research, 10% storage only, 10% research withdrawn (half of each
    // in either protocol).
    std::vector<long long> c_patient;
    std::vector<std::string> c_scope, c_action, c_day;
    for (int i = 1; i <= kPatients; ++i) {
      c_patient.push_back(i), c_scope.push_back("storage"), c_action.push_back("grant"), c_day.push_back("2025-05-20");
      if (i % 10 == 3) continue;
      c_patient.push_back(i), c_scope.push_back("research"), c_action.push_back("grant"), c_day.push_back("2025-05-20");
      if (i % 10 == 6) {
        c_patient.push_back(i), c_scope.push_back("research"), c_action.push_back("withdraw"), c_day.push_back("2026-01-05");
      }
    }
    Bulk(s, "INSERT INTO consent_events (patient_id, scope, action, effective_on, form_version, "
            "reason, recorded_by, recorded_at) VALUES (:p, :s, :a, :d, 'v1', '', 'bench', 0)",
         c_patient, c_scope, c_action, c_day);

    const int samples = kPatients * kTimepointCount * kTubesPerTimepoint;
    const int boxes = (samples + 80) / 81;
    std::vector<std::string> box_name, box_path;
    std::vector<long long> box_parent;
    for (int b = 0; b < boxes; ++b) {
      box_name.push_back(absl::StrFormat("B-%05d", b));
      box_path.push_back(absl::StrFormat("Site BNCH / Freezer F-01 / Box B-%05d", b));
      box_parent.push_back(2);
    }
    Bulk(s, "INSERT INTO storage_units (parent_id, kind, name, rows_count, columns_count, path, "
            "site_id, created_at) VALUES (:p, 'BOX', :n, 9, 9, :path, 1, 0)",
         box_parent, box_name, box_path);
    constexpr int kChunk = 50000;
    std::vector<std::string> barcode, type;
    std::vector<long long> enrollment, timepoint, amount, sample_id, box_id, position;
    std::vector<int> thaws;
    int next = 0;
    auto flush = [&] {
      if (barcode.empty()) return;
      Bulk(s, "INSERT INTO samples (barcode, parent_id, enrollment_id, timepoint_id, site_id, "
              "sample_type, quantity_amount, quantity_unit, status, freeze_thaw_count, "
              "collected_at, window_offset_days, version, created_at) VALUES (:b, NULL, :e, :t, "
              "1, :ty, :a, 'nL', 'STORED', :f, 0, 0, 1, 0)",
           barcode, enrollment, timepoint, type, amount, thaws);
      Bulk(s, "INSERT INTO placements (sample_id, box_id, position_number, placed_at) VALUES "
              "(:s, :b, :p, 0)",
           sample_id, box_id, position);
      barcode.clear(), type.clear(), enrollment.clear(), timepoint.clear(), amount.clear();
      sample_id.clear(), box_id.clear(), position.clear(), thaws.clear();
    };
    for (int p = 1; p <= kPatients; ++p) {
      const int protocol = p % 2 ? 1 : 2;
      for (int t = 0; t < kTimepointCount; ++t) {
        for (int k = 0; k < kTubesPerTimepoint; ++k) {
          ++next;
          barcode.push_back(absl::StrFormat("%010d", 1000000000 + next));
          enrollment.push_back(p);
          timepoint.push_back((protocol - 1) * kTimepointCount + t + 1);
          type.push_back(kTubeTypes[k]);
          amount.push_back((k % 3 == 2 ? 250 : 500) * 1000);
          thaws.push_back(next % 7 == 0 ? 1 : 0);
          sample_id.push_back(next);
          box_id.push_back(3 + (next - 1) / 81);
          position.push_back((next - 1) % 81 + 1);
          if (static_cast<int>(barcode.size()) == kChunk) flush();
        }
      }
    }
    flush();
    return absl::OkStatus();
  });
  if (!done.ok()) {
    std::fprintf(stderr, "lims-request-bench: generating: %s\n", std::string(done.message()).c_str());
    std::exit(1);
  }
}

struct Query {
  const char* name;
  lims::RequestCriteria criteria;
};

// The rows the candidate query reads (the criteria index and the reservations), counted in SQL
// only.
std::string BaselineSql(const lims::RequestCriteria& c) {
  auto in = [](const char* column, const std::vector<std::string>& values) {
    if (values.empty()) return std::string();
    std::string list = absl::StrCat(" AND ", column, " IN (");
    for (size_t i = 0; i < values.size(); ++i) absl::StrAppend(&list, i ? ", " : "", "'", values[i], "'");
    return list + ")";
  };
  return absl::StrCat(
      "SELECT COUNT(*) FROM samples s LEFT JOIN sample_reservations r ON r.sample_id = s.id "
      "WHERE s.timepoint_id IN (SELECT tp.id FROM timepoints tp JOIN protocols p ON "
      "p.id = tp.protocol_id WHERE 1 = 1",
      in("p.code", c.protocol_codes), in("tp.code", c.timepoint_codes),
      ") AND s.status = 'STORED'", in("s.sample_type", c.sample_types));
}

}  // namespace

// lims-request-bench [DB_URL]: without a URL, on a SQLite file in a temporary directory. A
// database that holds samples already is taken as generated before (to measure it again).
int main(int argc, char** argv) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / absl::StrCat("lims-request-bench-", getpid());
  const std::string url = argc > 1 ? argv[1] : "sqlite:" + (dir / "bench.db").string();
  if (argc <= 1) std::filesystem::create_directories(dir);
  auto db = lims::db::Database::Open(url);
  if (!db.ok()) {
    std::fprintf(stderr, "lims-request-bench: %s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  long long total = 0;
  auto count_samples = [&] {
    (void)(*db)->Read([&](lims::db::Tx& tx) {
      tx.session() << "SELECT COUNT(*) FROM samples", soci::into(total);
      return absl::OkStatus();
    });
  };
  count_samples();
  auto start = std::chrono::steady_clock::now();
  const bool generated_here = total == 0;
  if (generated_here) Generate(**db);
  const double generate_s = MsSince(start) / 1000;
  count_samples();

  lims::services::CallContext call;
  call.principal.role = lims::Role::kAdmin;
  call.principal.username = call.actor = "bench";
  call.now = absl::Now();
  auto criteria = [](std::vector<std::string> timepoints, std::vector<std::string> types, int limit) {
    lims::RequestCriteria c;
    c.protocol_codes = {"CART-SLE"};
    c.timepoint_codes = std::move(timepoints);
    c.sample_types = std::move(types);
    c.max_per_patient_timepoint = limit;
    return c;
  };
  std::vector<Query> queries = {
      {"one timepoint, serum, 1 per patient", criteria({"M3"}, {"SER"}, 1)},
      {"one timepoint, serum and plasma", criteria({"M3"}, {"SER", "PL1"}, 0)},
      {"three timepoints, serum, 2 per patient-timepoint", criteria({"BL", "M3", "M12"}, {"SER"}, 2)},
      {"whole protocol, serum", criteria({}, {"SER"}, 0)},
      {"whole protocol, every type", criteria({}, {}, 0)},
  };
  std::printf("| criteria (protocol CART-SLE) | candidate tubes | selected | patients | query ms "
              "(median of %d) | baseline COUNT(*) ms | ratio | under 200 ms |\n",
              kRepeats);
  std::printf("|:---|---:|---:|---:|---:|---:|---:|:---|\n");
  for (const Query& q : queries) {
    std::vector<double> ms, base_ms;
    lims::services::RequestPreview preview;
    long long candidates = 0;
    for (int r = 0; r < kRepeats; ++r) {
      auto t0 = std::chrono::steady_clock::now();
      (void)(*db)->Read([&](lims::db::Tx& tx) {
        tx.session() << BaselineSql(q.criteria), soci::into(candidates);
        return absl::OkStatus();
      });
      base_ms.push_back(MsSince(t0));
      t0 = std::chrono::steady_clock::now();
      absl::Status status = (*db)->Read([&](lims::db::Tx& tx) -> absl::Status {
        auto s = lims::services::CountMatchingSamples(tx, call, q.criteria);
        if (!s.ok()) return s.status();
        preview = *std::move(s);
        return absl::OkStatus();
      });
      ms.push_back(MsSince(t0));
      if (!status.ok()) {
        std::fprintf(stderr, "lims-request-bench: %s\n", std::string(status.message()).c_str());
        return 1;
      }
    }
    std::sort(ms.begin(), ms.end());
    std::sort(base_ms.begin(), base_ms.end());
    const double median = ms[ms.size() / 2], base = base_ms[base_ms.size() / 2];
    std::printf("| %s | %lld | %zu | %d | %.1f | %.1f | %.1f | %s |\n", q.name, candidates,
                static_cast<size_t>(preview.samples), preview.patients, median, base, median / base,
                median < 200 ? "yes" : "no");
  }
  std::printf("\nDatabase: %lld stored samples (%d patients, 2 protocols × %d timepoints × %d "
              "tubes, all placed in 9×9 boxes; 10%% of patients without research consent, 10%% "
              "withdrawn), %s.\n",
              total, kPatients, kTimepointCount, kTubesPerTimepoint,
              generated_here ? absl::StrFormat("generated in %.0f s", generate_s).c_str()
                             : "generated by an earlier run");
  if (argc <= 1) std::filesystem::remove_all(dir);
  return 0;
}
