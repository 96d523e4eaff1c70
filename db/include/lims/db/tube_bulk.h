// The statements of a bulk tube import: which codes and wells are taken (asked for hundreds at
// a time), and writing a tube with its place (prepared once, run for every tube). For a million
// tubes, fewer round trips and statements prepared once are most of the time saved. Used inside one
// transaction (Database:: Write); must not outlive it.
#ifndef LIMS_DB_TUBE_BULK_H_
#define LIMS_DB_TUBE_BULK_H_

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

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

  // Which of `barcodes` the LIMS has already: one query per 500 (a round trip each on MariaDB).
  absl::StatusOr<std::set<std::string>> ExistingBarcodes(const std::vector<std::string>& barcodes);
  // The tubes in the given wells (box id, position), by well; wells left empty are absent.
  absl::StatusOr<std::map<std::pair<int64_t, int>, std::string>> TubesIn(
      const std::vector<std::pair<int64_t, int>>& wells);
  // Inserts `sample` (its id set) and, when `place` is given, its placement and first stay
  // from `now`.
  absl::Status Insert(Sample& sample, const std::optional<Placement>& place, absl::Time now);
  // The same for many tubes (none the parent of another among them): on MariaDB a few hundred
  // rows a statement, a round trip per chunk rather than three per tube; on SQLite, which has
  // no round trips, one by one.
  absl::Status InsertMany(std::vector<Sample>& samples,
                          const std::vector<std::optional<Placement>>& places, absl::Time now);

 private:
  struct Statements;
  absl::Status Prepare();
  Tx& tx_;
  std::unique_ptr<Statements> st_;
};

}  // namespace lims::db

#endif  // LIMS_DB_TUBE_BULK_H_
