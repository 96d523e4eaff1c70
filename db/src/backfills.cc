#include "backfills.h"

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "lims/db/location_history.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

struct Backfill {
  const char* name;
  std::function<absl::Status(Tx&)> work;
};

const std::vector<Backfill>& Backfills() {
  static const auto* all = new std::vector<Backfill>{
      {"location_history_from_audit",
       [](Tx& tx) { return LocationHistory(tx).RebuildFromAudit().status(); }},
  };
  return *all;
}

}  // namespace

absl::Status RunBackfills(Tx& tx) {
  for (const Backfill& b : Backfills()) {
    const std::string name = b.name;
    int done = 0;
    absl::Status claimed = Guarded([&]() -> absl::Status {
      tx.session() << "SELECT COUNT(*) FROM data_backfills WHERE name = :n", soci::use(name),
          soci::into(done);
      if (done) return absl::OkStatus();
      // Recorded first: a second server blocks here until this one commits.
      const long long now = absl::ToUnixMicros(absl::Now());
      tx.session() << "INSERT INTO data_backfills (name, done_at) VALUES (:n, :t)", soci::use(name),
          soci::use(now);
      return absl::OkStatus();
    });
    // A lost race on the record is ABORTED: Write retries, and then finds the work done.
    if (!claimed.ok()) return claimed;
    if (done) continue;
    if (absl::Status worked = b.work(tx); !worked.ok()) return worked;
  }
  return absl::OkStatus();
}

}  // namespace lims::db
