// lims-scale-gen: a biobank of N samples written straight into a migrated database (SQLite or
// MariaDB), for bench/scale.sh. Realistic in shape: 10 sites, one patient per 48 tubes (208,334
// patients at 10 million), two protocols of 8 timepoints, at each timepoint a primary serum
// tube with 3 aliquots and a primary plasma tube with 1 aliquot; consent events;
// every stored tube in a 9x9 box of its site's freezers with its location history; one chained
// audit event per tube; 10 % of the tubes consumed or shipped.
//
//   lims-scale-gen DB_URL SAMPLES OUT_PREFIX
//
// Writes OUT_PREFIX.barcodes (stored tubes spread over the whole database) and OUT_PREFIX.boxes
// (box ids), the keys the benchmark's calls use: about as many at every size (2,000 tubes and
// 200 boxes), so that a small and a large database are given the same work. (Taking every
// 500th tube gave 20 keys on ten thousand samples, always in cache, against 20,000 on ten
// million.)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench_sql.h"
#include "lims/db/audit_hash.h"
#include "lims/db/database.h"
#include "soci/soci.h"

namespace {

constexpr int kSites = 10;
constexpr int kTimepoints = 8;
constexpr int kTubesPerTimepoint = 6;
constexpr int kTubesPerPatient = kTimepoints * kTubesPerTimepoint;
constexpr int kBoxesPerFreezer = 1000;
constexpr int kPatientsPerTransaction = 2000;
constexpr int kPatientsPerStatement = 20;  // about 1,000 tubes: statements well under 1 MB
constexpr long long kBarcodeKeys = 2000;   // 10 % fewer: only stored tubes are keys
constexpr long long kBoxKeysPerSite = 20;
const char* const kTimepointCodes[] = {"BL", "D0", "D7", "D14", "M1", "M3", "M6", "M12"};
// Per patient and timepoint: primary serum, 3 serum aliquots, primary plasma and its aliquot;
// -1 = no parent, else the index of the parent within the six.
const char* const kTypes[] = {"SER", "SER", "SER", "SER", "PL1", "PL1"};
const int kParent[] = {-1, 0, 0, 0, -1, 4};
constexpr long long kDay = 86400LL * 1000000;
constexpr long long kAnchor = 1748736000LL * 1000000;  // 2025-06-01

// Rows sent as multi-row INSERTs: one path for both databases, and far fewer round trips than
// a statement per row on MariaDB. Values are generated numbers and codes (no quotes in them).
// Flushed by the caller, in the order of the foreign keys.
class RowInserter {
 public:
  RowInserter(soci::session& session, std::string head)
      : session_(session), head_(std::move(head)) {}
  void Add(const std::string& values) {
    absl::StrAppend(&sql_, count_ == 0 ? head_ : ",", "(", values, ")");
    ++count_;
  }
  void Flush() {
    if (count_ == 0) return;
    session_ << sql_;
    sql_.clear();
    count_ = 0;
  }

 private:
  soci::session& session_;
  std::string head_, sql_;
  int count_ = 0;
};

std::string Quoted(const std::string& text) { return absl::StrCat("'", text, "'"); }

struct Generator {
  Generator(lims::db::Database& database, long long count, const std::string& out_prefix)
      : db(database),
        samples(count),
        barcode_stride(std::max(1LL, count / kBarcodeKeys)),
        box_stride(std::max(1LL, count * 9 / 10 / 81 / kSites / kBoxKeysPerSite)),
        barcodes(out_prefix + ".barcodes"),
        boxes(out_prefix + ".boxes") {}

  lims::db::Database& db;
  long long samples = 0;
  long long barcode_stride, box_stride;  // every n-th tube and box (of a site) is a key
  std::ofstream barcodes, boxes;

  long long next_unit = 0;  // storage_units ids, given here
  long long next_sample = 0, next_audit = 0;
  std::string last_hash;
  struct SiteShelf {
    long long root = 0, freezer = 0, box = 0;
    int boxes_in_freezer = kBoxesPerFreezer, freezers = 0, box_count = 0, position = 81;
  };
  std::vector<SiteShelf> shelves = std::vector<SiteShelf>(kSites + 1);

  void Run() {
    const long long patients = (samples + kTubesPerPatient - 1) / kTubesPerPatient;
    Must(db.Write([&](lims::db::Tx& tx) { return Reference(tx.session()); }));
    for (long long from = 1; from <= patients; from += kPatientsPerTransaction) {
      const long long to = std::min(patients, from + kPatientsPerTransaction - 1);
      Must(db.Write([&](lims::db::Tx& tx) {
        // Generated keys are right by construction: MariaDB need not check each row.
        if (tx.backend() == lims::db::Backend::kMariaDb) {
          tx.session() << "SET SESSION foreign_key_checks = 0, unique_checks = 0";
        }
        return Patients(tx.session(), from, to);
      }));
    }
    Must(db.Write([&](lims::db::Tx& tx) -> absl::Status {
      tx.session() << "UPDATE audit_chain_head SET last_event_id = :i, last_hash = :h WHERE id = 1",
          soci::use(next_audit), soci::use(last_hash);
      return absl::OkStatus();
    }));
  }

  static void Must(const absl::Status& status) {
    if (status.ok()) return;
    std::fprintf(stderr, "lims-scale-gen: %s\n", std::string(status.message()).c_str());
    std::exit(1);
  }

  absl::Status Reference(soci::session& s) {
    s << "SELECT COALESCE(MAX(id), 0) FROM storage_units", soci::into(next_unit);
    s << "SELECT last_event_id, last_hash FROM audit_chain_head WHERE id = 1",
        soci::into(next_audit), soci::into(last_hash);
    long long existing = 0;
    s << "SELECT COUNT(*) FROM samples", soci::into(existing);
    if (existing != 0) return absl::FailedPreconditionError("the database holds samples already");
    RowInserter sites(s, "INSERT INTO sites (id, code, name, created_at) VALUES ");
    RowInserter units(s,
                      "INSERT INTO storage_units (id, parent_id, kind, name, rows_count, "
                      "columns_count, path, site_id, created_at) VALUES ");
    for (int site = 1; site <= kSites; ++site) {
      const std::string code = absl::StrFormat("S%02d", site);
      sites.Add(absl::StrCat(site, ",", Quoted(code), ",", Quoted("Hospital " + code), ",0"));
      shelves[site].root = ++next_unit;
      units.Add(absl::StrCat(next_unit, ",NULL,'SITE',", Quoted(code), ",0,0,",
                             Quoted("Site " + code), ",", site, ",0"));
    }
    sites.Flush();
    units.Flush();
    for (int p = 1; p <= 2; ++p) {
      s << "INSERT INTO protocols (id, code, name, created_at) VALUES (:i, :c, 'scale', 0)",
          soci::use(p), soci::use(std::string(p == 1 ? "CART-SLE" : "MSC-SSC"));
      for (int t = 0; t < kTimepoints; ++t) {
        const int id = (p - 1) * kTimepoints + t + 1;
        s << "INSERT INTO timepoints (id, protocol_id, ordinal, code, name, offset_days, "
             "window_before_days, window_after_days) VALUES (:i, :p, :o, :c, '', :d, 7, 7)",
            soci::use(id), soci::use(p), soci::use(t), soci::use(std::string(kTimepointCodes[t])),
            soci::use(t * 30);
        // Expected at each timepoint: the primary tubes (aliquots are made from them).
        s << "INSERT INTO expected_samples (timepoint_id, sample_type, sample_count) VALUES "
             "(:t, 'SER', 1)",
            soci::use(id);
        s << "INSERT INTO expected_samples (timepoint_id, sample_type, sample_count) VALUES "
             "(:t, 'PL1', 1)",
            soci::use(id);
      }
    }
    return absl::OkStatus();
  }

  // The next free well of the site's current box, opening a box (and a freezer) when full.
  std::pair<long long, int> NextWell(int site, RowInserter& units) {
    SiteShelf& shelf = shelves[site];
    if (shelf.position == 81) {
      if (shelf.boxes_in_freezer == kBoxesPerFreezer) {
        shelf.freezer = ++next_unit;
        ++shelf.freezers;
        shelf.boxes_in_freezer = 0;
        const std::string name = absl::StrFormat("F-%03d", shelf.freezers);
        units.Add(absl::StrCat(next_unit, ",", shelf.root, ",'FREEZER',", Quoted(name), ",0,0,",
                               Quoted(absl::StrFormat("Site S%02d / Freezer %s", site, name)), ",",
                               site, ",0"));
      }
      shelf.box = ++next_unit;
      ++shelf.boxes_in_freezer;
      ++shelf.box_count;
      const std::string name = absl::StrFormat("B-%06d", shelf.box_count);
      units.Add(absl::StrCat(next_unit, ",", shelf.freezer, ",'BOX',", Quoted(name), ",9,9,",
                             Quoted(absl::StrFormat("Site S%02d / Freezer F-%03d / Box %s", site,
                                                    shelf.freezers, name)),
                             ",", site, ",0"));
      if ((shelf.box_count - 1) % box_stride == 0) boxes << next_unit << "\n";
      shelf.position = 0;
    }
    return {shelf.box, ++shelf.position};
  }

  absl::Status Patients(soci::session& s, long long from, long long to) {
    RowInserter patients(s, "INSERT INTO patients (id, registry_id, site_id, created_at) VALUES ");
    RowInserter enrollments(
        s,
        "INSERT INTO enrollments (id, patient_id, protocol_id, anchor_date, created_at) VALUES ");
    RowInserter consent(s,
                        "INSERT INTO consent_events (patient_id, scope, action, effective_on, "
                        "form_version, reason, recorded_by, recorded_at) VALUES ");
    RowInserter units(s,
                      "INSERT INTO storage_units (id, parent_id, kind, name, rows_count, "
                      "columns_count, path, site_id, created_at) VALUES ");
    RowInserter tubes(s,
                      "INSERT INTO samples (id, barcode, parent_id, enrollment_id, timepoint_id, "
                      "site_id, sample_type, quantity_amount, quantity_unit, status, "
                      "freeze_thaw_count, collected_at, window_offset_days, version, "
                      "created_at) VALUES ");
    RowInserter places(s,
                       "INSERT INTO placements (sample_id, box_id, position_number, placed_at) "
                       "VALUES ");
    RowInserter history(s,
                        "INSERT INTO location_history (sample_id, box_id, position_number, "
                        "from_at, to_at) VALUES ");
    RowInserter audit(s,
                      "INSERT INTO audit_events (id, at, actor, action, entity_type, entity_key, "
                      "details, before_json, after_json, reason, request_id, prev_hash, hash) "
                      "VALUES ");
    const long long patients_total = (samples + kTubesPerPatient - 1) / kTubesPerPatient;
    // Parents before children, boxes before their tubes (the order of the foreign keys).
    auto flush = [&] {
      for (RowInserter* rows :
           {&patients, &enrollments, &consent, &units, &tubes, &places, &history, &audit}) {
        rows->Flush();
      }
    };
    for (long long p = from; p <= to; ++p) {
      if ((p - from) % kPatientsPerStatement == 0) flush();
      const int site = static_cast<int>((p - 1) * kSites / patients_total) + 1;
      const int protocol = p % 2 ? 1 : 2;
      patients.Add(absl::StrCat(p, ",", Quoted(absl::StrFormat("RG-%07d", p)), ",", site, ",0"));
      enrollments.Add(absl::StrCat(p, ",", p, ",", protocol, ",'2025-06-01',0"));
      consent.Add(absl::StrCat(p, ",'storage','grant','2025-05-20','v1','','scale',0"));
      if (p % 10 != 3)
        consent.Add(absl::StrCat(p, ",'research','grant','2025-05-20','v1','','scale',0"));
      if (p % 10 == 6) {
        consent.Add(
            absl::StrCat(p, ",'research','withdraw','2026-01-05','','moved away','scale',0"));
      }
      for (int t = 0; t < kTimepoints && next_sample < samples; ++t) {
        const long long timepoint = (protocol - 1) * kTimepoints + t + 1;
        const long long collected = kAnchor + t * 30 * kDay + 9 * 3600LL * 1000000;
        long long ids[kTubesPerTimepoint] = {};
        for (int k = 0; k < kTubesPerTimepoint && next_sample < samples; ++k) {
          const long long id = ++next_sample;
          ids[k] = id;
          const std::string barcode = absl::StrFormat("%010d", 1000000000 + id);
          // 10 % consumed or shipped, half each; the rest stored.
          const bool stored = id % 10 != 0;
          const char* status = stored ? "STORED" : id % 20 == 0 ? "SHIPPED" : "CONSUMED";
          const std::string parent = kParent[k] < 0 ? "NULL" : absl::StrCat(ids[kParent[k]]);
          tubes.Add(absl::StrCat(id, ",", Quoted(barcode), ",", parent, ",", p, ",", timepoint, ",",
                                 site, ",'", kTypes[k], "',", k % 4 == 0 ? 2000000 : 500000,
                                 ",'nL','", status, "',", id % 7 == 0 ? 1 : 0, ",", collected,
                                 ",0,1,", collected));
          Audit(audit, collected, barcode);
          if (!stored) continue;
          const auto [box, position] = NextWell(site, units);
          places.Add(absl::StrCat(id, ",", box, ",", position, ",", collected + 3600LL * 1000000));
          history.Add(absl::StrCat(id, ",", box, ",", position, ",", collected + 3600LL * 1000000,
                                   ",NULL"));
          if ((id - 1) % barcode_stride == 0) barcodes << barcode << "\n";
        }
      }
    }
    flush();
    return absl::OkStatus();
  }

  void Audit(RowInserter& audit, long long at, const std::string& barcode) {
    lims::db::AuditEvent e;
    e.id = ++next_audit;
    e.at = absl::FromUnixMicros(at);
    e.actor = "scale";
    e.action = "sample.collected";
    e.entity_type = "sample";
    e.entity_key = barcode;
    e.details = "collected";
    e.prev_hash = last_hash;
    e.hash = lims::db::ChainHash(last_hash, e);
    last_hash = e.hash;
    audit.Add(absl::StrCat(e.id, ",", at, ",'scale','sample.collected','sample',", Quoted(barcode),
                           ",'collected','','','','',", Quoted(e.prev_hash), ",", Quoted(e.hash)));
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: lims-scale-gen DB_URL SAMPLES OUT_PREFIX\n");
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto db = lims::db::Database::Open(argv[1]);
  if (!db.ok()) {
    std::fprintf(stderr, "lims-scale-gen: %s\n", std::string(db.status().message()).c_str());
    return 1;
  }
  Generator g(**db, std::stoll(argv[2]), argv[3]);
  g.Run();
  std::printf("{\"samples\": %lld, \"seconds\": %.1f}\n", g.next_sample,
              lims::bench::MsSince(started) / 1000);
  return 0;
}
