// Researchers' sample requests: the requests, the candidates their criteria find, the
// reservations (one per tube, enforced by the primary key) and the request-scoped codes.
#ifndef LIMS_DB_REQUESTS_H_
#define LIMS_DB_REQUESTS_H_

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/quantity.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/db/database.h"
#include "lims/db/placements.h"

namespace lims::db {

struct SampleRequestRecord {
  int64_t id = 0;
  std::string code;  // "R0007", set by Insert
  std::string title, ethics_reference, criteria_json;
  std::string status;  // "SUBMITTED", "APPROVED", "REJECTED", "PICKED"
  std::string submitted_by;
  absl::Time submitted_at;
  std::string decided_by, decision_reason;
  int64_t version = 0;
  int reserved_count = 0, picked_count = 0;  // read only
  // The shipments carrying its tubes: not read here (the request service adds them).
  std::vector<int64_t> shipment_ids;
};

// What the candidate query filters on: stored, unreserved tubes of these timepoints (at least
// one), of these types and sites (empty: any).
struct CandidateFilter {
  std::vector<int64_t> timepoint_ids;
  std::vector<std::string> sample_types;
  std::vector<int64_t> site_ids;
  // Each tube's id, freeze-thaw count and box too, to choose among them; a preview only
  // counts, and the counts depend on none of these.
  bool to_reserve = false;
  // Each tube's quantity: only a minimum quantity weighs it.
  bool with_quantity = true;
};

// What the criteria index holds of a stored, unreserved tube.
struct CandidateRow {
  int64_t enrollment_id = 0, timepoint_id = 0;
  int64_t sample_id = 0, box_id = 0;  // 0 unless to_reserve; box_id 0 also: not in a box
  int sample_type = 0;  // index into Candidates::sample_types
  Quantity quantity;
  int freeze_thaw_count = 0;
};

// Texts are numbered: a broad query answers hundreds of thousands of rows, and a text per row
// costs more than the rest of the row.
struct Candidates {
  std::vector<std::string> sample_types;
  std::vector<CandidateRow> rows;
};

// A tube of a request, with its codes and where it is.
struct RequestedTube {
  int64_t sample_id = 0;
  std::string barcode, sample_code, patient_code, protocol_code, timepoint_code, sample_type;
  Quantity quantity;
  int64_t site_id = 0;
  std::string site_code;
  SampleStatus status = SampleStatus::kStored;
  bool picked = false;
  bool withdrawn = false;  // taken off the request: its patient withdrew a consent it needs
  std::optional<BoxPosition> where;
};

// A tube still held (reserved, not picked) by an approved request, with what the request asked.
struct HeldTube {
  int64_t request_id = 0, sample_id = 0;
  std::string request_code, sample_code, criteria_json;
};

class RequestRepository {
 public:
  explicit RequestRepository(Tx& tx) : tx_(tx) {}

  // Sets id, code and version.
  absl::Status Insert(SampleRequestRecord& request);
  // Status and decision; ABORTED if it changed since it was read.
  absl::Status Update(SampleRequestRecord& request);
  absl::StatusOr<SampleRequestRecord> FindById(int64_t id);
  // Submitted by `submitted_by` ("" = everyone's), by id.
  absl::StatusOr<std::vector<SampleRequestRecord>> List(const std::string& submitted_by,
                                                        int64_t after_id, int limit);

  // The filter's tubes, read from the criteria index (migration 0009) without touching the
  // samples table, fetched in batches. With to_reserve, a locking read (MariaDB: FOR UPDATE)
  // that waits for a concurrent approval and sees what it reserved.
  absl::StatusOr<Candidates> FindCandidates(const CandidateFilter& filter);
  // Enrollment id -> patient id for these enrollments (the candidates' own: the work follows
  // the criteria, not the size of their protocols).
  absl::StatusOr<std::unordered_map<int64_t, int64_t>> PatientsOfEnrollments(
      const std::vector<int64_t>& enrollment_ids);

  // ABORTED when the tube is reserved already (a concurrent approval got it first).
  absl::Status Reserve(int64_t request_id, int64_t sample_id, absl::Time now);
  absl::Status Release(int64_t sample_id);
  absl::Status InsertCodes(int64_t request_id, int64_t sample_id, const std::string& sample_code,
                           const std::string& patient_code);
  absl::Status MarkPicked(int64_t request_id, int64_t sample_id, const std::string& by,
                          absl::Time at);
  // In sample-code order.
  absl::StatusOr<std::vector<RequestedTube>> Tubes(int64_t request_id);
  // The patient's tubes held by approved requests, newest rows, locked (MariaDB: FOR UPDATE)
  // until the transaction ends.
  absl::StatusOr<std::vector<HeldTube>> HeldForPatient(int64_t patient_id);
  // The tube taken off the request (its reservation released, its code kept as withdrawn).
  absl::Status Withdraw(int64_t request_id, int64_t sample_id, absl::Time at);
  // Sample id -> code of the open request (APPROVED, PICKED or PACKED) that holds it, for those
  // of `sample_ids` one holds (a tube taken off a request after a withdrawal is not held). With
  // `newest`: the latest committed rows, locked until the transaction ends (MariaDB).
  absl::StatusOr<std::unordered_map<int64_t, std::string>> OpenRequestsHolding(
      const std::vector<int64_t>& sample_ids, bool newest = false);

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_REQUESTS_H_
