#ifndef LIMS_DB_STORAGE_UNITS_H_
#define LIMS_DB_STORAGE_UNITS_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class StorageUnitRepository {
 public:
  explicit StorageUnitRepository(Tx& tx) : tx_(tx) {}

  // Sets unit.id. ABORTED if a sibling with the same name appears concurrently.
  absl::Status Insert(StorageUnit& unit, absl::Time now);
  // NOT_FOUND says which id.
  absl::StatusOr<StorageUnit> FindById(int64_t id);
  absl::StatusOr<std::optional<StorageUnit>> FindChildByName(int64_t parent_id,
                                                             const std::string& name);
  // The root unit of a site, if it was created.
  absl::StatusOr<std::optional<StorageUnit>> FindSiteRoot(int64_t site_id);
  // Children of parent_id (0: the roots) with id > after_id, in id order.
  absl::StatusOr<std::vector<StorageUnit>> ListChildren(int64_t parent_id, int64_t after_id,
                                                        int limit);
  // Units whose name contains `text` (ASCII case-insensitive), of one kind unless unset, with
  // id > after_id, in id order.
  absl::StatusOr<std::vector<StorageUnit>> SearchByName(const std::string& text,
                                                        std::optional<StorageKind> kind,
                                                        int64_t after_id, int limit);

 private:
  absl::StatusOr<std::vector<StorageUnit>> Query(const std::string& where,
                                                 const std::vector<long long>& values,
                                                 const std::string* name);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_STORAGE_UNITS_H_
