// Cell-therapy product use cases inside the caller's transaction: registering a material (a new
// COI, or its source's), the custody steps, the issue for infusion with its two checks, the
// infusion, and the chain of identity. Refusals that must be kept (a bag received or issued for
// the wrong patient) come back as an answer, with their custody event and audit written.
#ifndef LIMS_SERVICES_PRODUCT_PRODUCT_OPERATIONS_H_
#define LIMS_SERVICES_PRODUCT_PRODUCT_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/core/product.h"
#include "lims/db/database.h"
#include "lims/db/products.h"

namespace lims::services {

struct ProductRegistration {
  ProductKind kind = ProductKind::kOther;
  std::string din;           // as given
  std::string product_code;  // as given; may be empty
  int64_t patient_id = 0;
  int64_t enrollment_id = 0;
  std::string timepoint_code;  // may be empty
  std::optional<Quantity> volume;
  double cell_count = 0;
  double viability_percent = 0;
  std::string batch;
  std::string expires_on;  // "YYYY-MM-DD" or empty
  std::string source_din;  // as given; empty: a new therapy
};
absl::StatusOr<Product> RegisterProduct(db::Tx& tx, const CallContext& call,
                                        const ProductRegistration& registration);

struct CustodyRequest {
  std::string din;
  CustodyStep step = CustodyStep::kReceived;
  std::string reason;
  std::string expected_coi, expected_patient;  // kReceived
  int64_t unit_id = 0;                         // kStored
  int slot = 0;                                // kStored
  std::string destination;                     // kShipped
};
// The product after the step; the answer is a refusal (recorded) when a received bag is not the
// one expected.
struct ProductAnswer {
  Product product;
  int64_t issue_id = 0;
  absl::Status refusal;
};
absl::StatusOr<ProductAnswer> RecordCustody(db::Tx& tx, const CallContext& call,
                                            const CustodyRequest& request);

// The first check: the bag's DIN and the patient's registry id, both scanned.
absl::StatusOr<ProductAnswer> IssueProduct(db::Tx& tx, const CallContext& call,
                                           const std::string& din,
                                           const std::string& patient_registry_id);
// The second check, by another person.
absl::StatusOr<Product> ConfirmIssue(db::Tx& tx, const CallContext& call, int64_t issue_id);
absl::StatusOr<Product> RecordInfusion(db::Tx& tx, const CallContext& call, const std::string& din);

// Retention or QC tubes from a bag at the site (received, stored, thawed, issued or returned):
// like aliquots, of its patient and timepoint, linked to it (so carrying its COI); audited.
struct ProductSamplesCommand {
  std::string din;
  std::string sample_type;
  int count = 0;
  Quantity quantity_each;
};
absl::StatusOr<std::vector<Sample>> DeriveProductSamples(db::Tx& tx, const CallContext& call,
                                                         const ProductSamplesCommand& command);

struct ChainQuery {
  std::string coi, din, patient_registry_id;  // one of them
};
struct Chain {
  db::Therapy therapy;
  std::string patient_registry_id;
  std::vector<Product> materials;
  std::vector<db::CustodyRecord> events;
  std::vector<std::string> other_cois;
  std::vector<std::string> sample_barcodes;
};
absl::StatusOr<Chain> ChainOfIdentity(db::Tx& tx, const CallContext& call, const ChainQuery& query);

}  // namespace lims::services

#endif  // LIMS_SERVICES_PRODUCT_PRODUCT_OPERATIONS_H_
