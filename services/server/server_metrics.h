// lims-server's /metrics page: the gate's call counts (call_metrics.h), the database pool's
// counters, and a few figures of the installation — samples by status, open excursions, the
// Galera cluster's size — read on a thread of their own every `refresh` (a scrape never runs a
// query: it shows the last figures read).
#ifndef LIMS_SERVICES_SERVER_SERVER_METRICS_H_
#define LIMS_SERVICES_SERVER_SERVER_METRICS_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "lims/db/database.h"
#include "periodic_task.h"

namespace lims::services {

class ServerMetrics {
 public:
  struct Options {
    bool samples = false;     // count samples by status (the process hosting SampleService)
    bool excursions = false;  // count open excursions (the one hosting MonitoringService)
    absl::Duration refresh = absl::Seconds(30);
  };
  ServerMetrics(db::Database& db, const Options& options);
  ServerMetrics(const ServerMetrics&) = delete;
  ServerMetrics& operator=(const ServerMetrics&) = delete;

  // The page, in the Prometheus text format.
  std::string Text() const;

 private:
  struct Figures {
    std::optional<std::map<std::string, int64_t>> samples;
    std::optional<int64_t> open_excursions;
    std::optional<int> cluster_size;
    uint64_t refresh_failures = 0;
  };
  void Refresh();

  db::Database& db_;
  const Options options_;
  mutable std::mutex mutex_;
  Figures figures_;
  PeriodicTask task_;  // last: runs once the rest is set
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_SERVER_METRICS_H_
