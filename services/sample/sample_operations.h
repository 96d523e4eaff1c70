// Sample use cases on domain types, inside the caller's transaction.
#ifndef LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_
#define LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/db/database.h"

namespace lims::services {

struct CollectCommand {
  int64_t enrollment_id = 0;
  std::string timepoint_code;
  std::string sample_type;
  Quantity quantity;
  absl::Time collected_at;
  std::string preprinted_barcode;  // empty: mint an id
};

// Registers a primary sample. Mints `<SITE><YY>-<NNNNNN>-<C>` unless a pre-printed code is
// given; flags (does not refuse) a collection outside the timepoint window.
absl::StatusOr<Sample> CollectSample(db::Tx& tx, const CallContext& call,
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
absl::StatusOr<Derivation> DeriveSamples(db::Tx& tx, const CallContext& call,
                                         const DeriveCommand& command);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SAMPLE_SAMPLE_OPERATIONS_H_
