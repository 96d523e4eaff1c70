#include "server_metrics.h"

#include "call_metrics.h"
#include "lims/db/operational_counts.h"
#include "prometheus_text.h"
#include "spdlog/spdlog.h"

namespace lims::services {

ServerMetrics::ServerMetrics(db::Database& db, const Options& options)
    : db_(db), options_(options), task_(options.refresh, [this] { Refresh(); }) {}

void ServerMetrics::Refresh() {
  Figures read;
  const absl::Status status = db_.Read([&](db::Tx& tx) -> absl::Status {
    if (options_.samples) {
      auto samples = db::CountSamplesByStatus(tx);
      if (!samples.ok()) return samples.status();
      read.samples = *samples;
    }
    if (options_.excursions) {
      auto open = db::CountOpenExcursions(tx);
      if (!open.ok()) return open.status();
      read.open_excursions = *open;
    }
    auto size = db::GaleraClusterSize(tx);
    if (!size.ok()) return size.status();
    read.cluster_size = *size;
    return absl::OkStatus();
  });
  std::lock_guard<std::mutex> lock(mutex_);
  if (!status.ok()) {
    // Figures that cannot be read are not shown as they were: they go, the failure is counted
    // (an alert watches it) and the database's own error is in the log already.
    read = Figures();
    read.refresh_failures = figures_.refresh_failures + 1;
    figures_ = std::move(read);
    return;
  }
  read.refresh_failures = figures_.refresh_failures;
  figures_ = std::move(read);
}

std::string ServerMetrics::Text() const {
  PrometheusText out;
  CallMetrics::Global().Render(out);
  const db::Database::Counters db = db_.counters();
  out.Family("lims_db_pool_waits_total", "counter",
             "Calls that waited for a free database connection of the pool.");
  out.Sample("lims_db_pool_waits_total", static_cast<double>(db.pool_waits));
  out.Family("lims_db_transaction_retries_total", "counter",
             "Transactions run again after a conflict (deadlock, Galera certification) or a "
             "lost connection.");
  out.Sample("lims_db_transaction_retries_total", static_cast<double>(db.transaction_retries));
  out.Family("lims_db_reconnects_total", "counter",
             "Database connections reopened after one was lost (on the next live host).");
  out.Sample("lims_db_reconnects_total", static_cast<double>(db.reconnects));
  std::lock_guard<std::mutex> lock(mutex_);
  out.Family("lims_metrics_refresh_failures_total", "counter",
             "Times the installation's figures (samples, excursions, cluster) could not be read.");
  out.Sample("lims_metrics_refresh_failures_total", static_cast<double>(figures_.refresh_failures));
  if (figures_.samples) {
    out.Family("lims_samples", "gauge", "Samples by status, as last read.");
    for (const auto& [status, count] : *figures_.samples) {
      out.Sample("lims_samples", {{"status", status}}, static_cast<double>(count));
    }
  }
  if (figures_.open_excursions) {
    out.Family("lims_open_excursions", "gauge",
               "Temperature excursions not over yet, as last read.");
    out.Sample("lims_open_excursions", static_cast<double>(*figures_.open_excursions));
  }
  if (figures_.cluster_size) {
    out.Family("lims_db_cluster_size", "gauge",
               "Nodes in the Galera cluster, as the node this process reads from sees it.");
    out.Sample("lims_db_cluster_size", *figures_.cluster_size);
  }
  return out.text();
}

}  // namespace lims::services
