#include "request_log_janitor.h"

#include "absl/time/clock.h"
#include "lims/db/request_log.h"
#include "spdlog/spdlog.h"

namespace lims::services {

RequestLogJanitor::RequestLogJanitor(db::Database& db, absl::Duration keep)
    : db_(db), keep_(keep), task_(absl::Hours(1), [this] { Purge(); }) {}

void RequestLogJanitor::Purge() {
  int64_t purged = 0;
  const absl::Status status = db_.Write([&](db::Tx& tx) -> absl::Status {
    auto deleted = db::RequestLog(tx).PurgeBefore(absl::Now() - keep_);
    if (!deleted.ok()) return deleted.status();
    purged = *deleted;
    return absl::OkStatus();
  });
  if (!status.ok()) {
    spdlog::error("purging old request_id records failed: {}", std::string(status.message()));
  } else if (purged > 0) {
    spdlog::info("purged {} request_id records older than {}", purged, absl::FormatDuration(keep_));
  }
}

}  // namespace lims::services
