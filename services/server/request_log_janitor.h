// Purges request_id replay records older than a number of days: at start, then hourly, on its
// own thread, until destroyed. A retry comes within minutes; the records need not stay forever.
#ifndef LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_
#define LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_

#include <condition_variable>
#include <mutex>
#include <thread>

#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::services {

class RequestLogJanitor {
 public:
  RequestLogJanitor(db::Database& db, absl::Duration keep);
  ~RequestLogJanitor();
  RequestLogJanitor(const RequestLogJanitor&) = delete;
  RequestLogJanitor& operator=(const RequestLogJanitor&) = delete;

 private:
  void Run();

  db::Database& db_;
  const absl::Duration keep_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_
