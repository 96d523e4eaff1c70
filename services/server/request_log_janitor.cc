#include "request_log_janitor.h"

#include <chrono>

#include "absl/time/clock.h"
#include "lims/db/request_log.h"
#include "spdlog/spdlog.h"

namespace lims::services {

RequestLogJanitor::RequestLogJanitor(db::Database& db, absl::Duration keep)
    : db_(db), keep_(keep), thread_([this] { Run(); }) {}

RequestLogJanitor::~RequestLogJanitor() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void RequestLogJanitor::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stopping_) {
    lock.unlock();
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
      spdlog::info("purged {} request_id records older than {}", purged,
                   absl::FormatDuration(keep_));
    }
    lock.lock();
    wake_.wait_for(lock, std::chrono::hours(1), [this] { return stopping_; });
  }
}

}  // namespace lims::services
