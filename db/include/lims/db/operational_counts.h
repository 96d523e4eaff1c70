// The few figures of the whole installation that /metrics shows beside the process's own
// counters: samples by status, open temperature excursions, and the size of the Galera cluster
// this connection's node belongs to. Read from time to time (never per scrape): each is one
// aggregate query.
#ifndef LIMS_DB_OPERATIONAL_COUNTS_H_
#define LIMS_DB_OPERATIONAL_COUNTS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "lims/db/database.h"

namespace lims::db {

// Status name ("STORED", "CONSUMED", ...) → number of samples.
absl::StatusOr<std::map<std::string, int64_t>> CountSamplesByStatus(Tx& tx);
absl::StatusOr<int64_t> CountOpenExcursions(Tx& tx);
// wsrep_cluster_size of the node this session is on; nullopt on SQLite or MariaDB without
// Galera.
absl::StatusOr<std::optional<int>> GaleraClusterSize(Tx& tx);

}  // namespace lims::db

#endif  // LIMS_DB_OPERATIONAL_COUNTS_H_
