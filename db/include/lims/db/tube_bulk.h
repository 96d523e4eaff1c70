// The statements of a bulk tube import, prepared once and run for every tube: is a code taken,
// is a well taken, write a tube with its place. For a million tubes, preparing each statement
// once instead of per tube is most of the time saved. Used inside one transaction (Database::
// Write); must not outlive it.
#ifndef LIMS_DB_TUBE_BULK_H_
#define LIMS_DB_TUBE_BULK_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::db {

class TubeBulk {
 public:
  explicit TubeBulk(Tx& tx);
  ~TubeBulk();
  TubeBulk(const TubeBulk&) = delete;
  TubeBulk& operator=(const TubeBulk&) = delete;

  absl::StatusOr<bool> BarcodeExists(const std::string& barcode);
  // The barcode of the tube in the well, if any.
  absl::StatusOr<std::optional<std::string>> TubeAt(int64_t box_id, int position);
  // Inserts `sample` (its id set) and, when `place` is given, its placement and first stay
  // from `now`.
  absl::Status Insert(Sample& sample, const std::optional<Placement>& place, absl::Time now);

 private:
  struct Statements;
  absl::Status Prepare();
  Tx& tx_;
  std::unique_ptr<Statements> st_;
};

}  // namespace lims::db

#endif  // LIMS_DB_TUBE_BULK_H_
