#include "lims/db/operational_counts.h"

#include <cstdlib>
#include <vector>

#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::StatusOr<std::map<std::string, int64_t>> CountSamplesByStatus(Tx& tx) {
  std::map<std::string, int64_t> counts;
  absl::Status status = Guarded([&]() -> absl::Status {
    // A handful of statuses: one fetch holds them all.
    std::vector<std::string> statuses(64);
    std::vector<long long> numbers(64);
    tx.session() << "SELECT status, COUNT(*) FROM samples GROUP BY status", soci::into(statuses),
        soci::into(numbers);
    for (size_t i = 0; i < statuses.size(); ++i) counts[statuses[i]] = numbers[i];
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return counts;
}

absl::StatusOr<int64_t> CountOpenExcursions(Tx& tx) {
  long long open = 0;
  absl::Status status = Guarded([&]() -> absl::Status {
    tx.session() << "SELECT COUNT(*) FROM excursions WHERE end_at IS NULL", soci::into(open);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return static_cast<int64_t>(open);
}

absl::StatusOr<std::optional<int>> GaleraClusterSize(Tx& tx) {
  if (tx.backend() != Backend::kMariaDb) return std::optional<int>();
  std::string name, value;
  soci::indicator found = soci::i_null;
  absl::Status status = Guarded([&]() -> absl::Status {
    tx.session() << "SHOW STATUS LIKE 'wsrep_cluster_size'", soci::into(name),
        soci::into(value, found);
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  // Without Galera the variable is absent, or 0 with the provider not loaded.
  const int size = found == soci::i_ok ? std::atoi(value.c_str()) : 0;
  return size > 0 ? std::optional<int>(size) : std::optional<int>();
}

}  // namespace lims::db
