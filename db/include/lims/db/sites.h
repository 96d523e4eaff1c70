#ifndef LIMS_DB_SITES_H_
#define LIMS_DB_SITES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class SiteRepository {
 public:
  explicit SiteRepository(Tx& tx) : tx_(tx) {}

  // Sets site.id. ABORTED if the code is taken concurrently (check FindByCode first).
  absl::Status Insert(Site& site, absl::Time now);
  // NOT_FOUND names the code.
  absl::StatusOr<Site> FindByCode(const std::string& code);
  absl::StatusOr<Site> FindById(int64_t id);
  // Sites with id > after_id, in id order.
  absl::StatusOr<std::vector<Site>> List(int64_t after_id, int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_SITES_H_
