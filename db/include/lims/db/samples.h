#ifndef LIMS_DB_SAMPLES_H_
#define LIMS_DB_SAMPLES_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "lims/core/consent.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"
#include "lims/db/placements.h"

namespace lims::db {

// A sample with where it is, read in one query for a bench scan.
struct ResolvedSample {
  Sample sample;
  std::optional<BoxPosition> location;
};

// What a scan at the bench shows of a tube, read in one statement: the tube and its place, its
// patient's consent events (oldest first), and whether a freezer excursion exposed it.
struct SampleAtBench {
  Sample sample;
  std::optional<BoxPosition> location;
  std::vector<ConsentEvent> consent;
  bool exposed = false;
};

class SampleRepository {
 public:
  explicit SampleRepository(Tx& tx) : tx_(tx) {}

  // Locks the tubes' rows until the transaction ends (MariaDB: FOR UPDATE; SQLite's writers are
  // serialised anyway): an approval reserving them waits, or is waited for.
  absl::Status Lock(const std::vector<int64_t>& sample_ids);

  // The next sequence number of the site's minted ids for `year`, starting at 1.
  absl::StatusOr<int64_t> NextSequence(int64_t site_id, int year);
  // Sets sample.id; sample.version becomes 1.
  absl::Status Insert(Sample& sample, absl::Time now);
  // Saves status, quantity and freeze-thaw count if nobody saved the sample since it was read
  // (else ABORTED: the transaction retries with fresh data); bumps sample.version.
  absl::Status Update(Sample& sample);
  // NOT_FOUND names the barcode.
  absl::StatusOr<Sample> FindByBarcode(const std::string& barcode);
  absl::StatusOr<bool> BarcodeExists(const std::string& barcode);
  // The hot path: a statement prepared once per connection (on MariaDB, by the server).
  absl::StatusOr<SampleAtBench> ResolveAtBench(const std::string& barcode);
  absl::StatusOr<ResolvedSample> Resolve(const std::string& barcode);
  // One page of samples with id > after_id, in id order, for exports. Filters are ignored when
  // 0; `site_ids` empty: every site.
  absl::StatusOr<std::vector<Sample>> ListPage(int64_t protocol_id,
                                               const std::vector<int64_t>& site_ids,
                                               int64_t after_id, int limit);
  // One page of an enrollment's tubes (of one timepoint unless `timepoint_id` is 0), each with
  // where it is stored, in id order (primary tubes before their aliquots).
  absl::StatusOr<std::vector<ResolvedSample>> ListForEnrollment(int64_t enrollment_id,
                                                                int64_t timepoint_id,
                                                                int64_t after_id, int limit);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_SAMPLES_H_
