// Purges request_id replay records older than a number of days: at start, then hourly, on its
// own thread, until destroyed. A retry comes within minutes; the records need not stay forever.
#ifndef LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_
#define LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_

#include "absl/time/time.h"
#include "lims/db/database.h"
#include "periodic_task.h"

namespace lims::services {

class RequestLogJanitor {
 public:
  RequestLogJanitor(db::Database& db, absl::Duration keep);

 private:
  void Purge();

  db::Database& db_;
  const absl::Duration keep_;
  PeriodicTask task_;  // last: runs once the rest is set
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_REQUEST_LOG_JANITOR_H_
