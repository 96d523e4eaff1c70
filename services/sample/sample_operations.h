// Sample use cases on domain types, inside the caller's transaction.
#ifndef LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_
#define LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/consent.h"
#include "lims/core/domain.h"
#include "lims/core/sprec.h"
#include "lims/db/audit_log.h"
#include "lims/db/database.h"
#include "lims/db/placements.h"
#include "lims/db/samples.h"
#include "lims/db/temperatures.h"
#include "paging.h"

namespace lims::services {

struct CollectCommand {
  int64_t enrollment_id = 0;
  std::string timepoint_code;
  std::string sample_type;
  Quantity quantity;
  absl::Time collected_at;
  std::string preprinted_barcode;  // empty: mint an id
  std::string sprec;               // optional hand-given SPREC code
  std::string primary_container;   // optional SPREC container when no code is given
};

// Registers a primary sample. Mints `<SITE><YY>-<NNNNNN>-<C>` unless a pre-printed code is
// given; flags (does not refuse) a collection outside the timepoint window.
absl::StatusOr<Sample> RegisterCollection(db::Tx& tx, const CallContext& call,
                                          const CollectCommand& command);

struct DeriveCommand {
  std::string parent_barcode;
  std::string sample_type;
  int count = 0;
  Quantity quantity_each;
  std::vector<std::string> preprinted_barcodes;  // empty, or exactly `count`
};

struct Derivation {
  std::vector<Sample> children;
  Sample parent;
};

// Creates `count` derived samples of the parent's patient and timepoint and takes their volume
// or mass from the parent (FAILED_PRECONDITION when it holds too little).
absl::StatusOr<Derivation> DeriveFromParent(db::Tx& tx, const CallContext& call,
                                            const DeriveCommand& command);

struct LifecycleResult {
  Sample sample;
  std::optional<BoxPlace> freed;  // the position a disposed tube left
};

struct LifecycleCommand {
  std::string barcode;
  SampleEvent event = SampleEvent::kReceive;
  std::string reason;
  // START_PROCESSING only: where the tube waited; sets the SPREC pre-centrifugation element.
  std::optional<HoldingTemperature> pre_centrifugation_temperature;
  std::optional<absl::Time> occurred_at;  // unset: now
};

// Applies a bench lifecycle event (receive, start processing, consume, dispose) through the core
// state machine; consume and dispose need a reason; disposal frees the tube's position. A
// processing start with a holding temperature derives the SPREC pre-centrifugation element from
// the delay since collection.
absl::StatusOr<LifecycleResult> ApplyLifecycleEvent(db::Tx& tx, const CallContext& call,
                                                    const LifecycleCommand& command);

struct SprecChange {
  std::string barcode;
  std::string sprec;
  std::string reason;
};

// Replaces a tube's SPREC code by a hand-given one (validated, first element = the tube's type);
// the reason is required. The same code again changes nothing.
absl::StatusOr<Sample> ReplaceSprec(db::Tx& tx, const CallContext& call, const SprecChange& change);

// --- reads ---

// The tube a read names (its canonical barcode).
struct TubeQuery {
  std::string barcode;
};

// The tube, if the caller works at its site.
absl::StatusOr<Sample> LookUpTube(db::Tx& tx, const CallContext& call, const TubeQuery& query);

// What a scan at the bench shows: the tube, where it is, its patient's consent today, and
// whether a freezer excursion exposed it (TubeExposures says how).
struct TubeAtBench {
  Sample sample;
  std::optional<BoxPlace> location;
  ConsentState consent;
  bool exposed = false;
};
absl::StatusOr<TubeAtBench> ResolveTube(db::Tx& tx, const CallContext& call,
                                        const TubeQuery& query);

// Every audit event of the tube, oldest first; NOT_FOUND for an unknown tube.
absl::StatusOr<std::vector<db::AuditEvent>> TubeHistory(db::Tx& tx, const CallContext& call,
                                                        const TubeQuery& query);

// The temperature excursions the tube went through (kept per excursion as it is computed).
absl::StatusOr<std::vector<db::Exposure>> TubeExposures(db::Tx& tx, int64_t sample_id);

// The tubes of one patient's enrollment in a protocol, of one timepoint or all.
struct EnrollmentTubesQuery {
  std::string patient_registry_id;
  std::string protocol_code;
  std::string timepoint_code;  // "": every timepoint
};

// One page of them with where each is stored; NOT_FOUND when the patient is not enrolled.
absl::StatusOr<std::vector<db::ResolvedSample>> ListEnrollmentTubes(
    db::Tx& tx, const CallContext& call, const EnrollmentTubesQuery& query, const Page& page);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_
