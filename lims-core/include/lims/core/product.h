// Cell-therapy material followed from the patient's apheresis to the infusion: its kinds, the
// statuses it goes through, the custody steps that move it on (and the ones each status allows),
// and the chain-of-identity identifier (COI) carried by every material of one therapy.
#ifndef LIMS_CORE_PRODUCT_H_
#define LIMS_CORE_PRODUCT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "lims/core/quantity.h"

namespace lims {

enum class ProductKind { kApheresis, kHsc, kMsc, kCarT, kOther };
enum class ProductStatus {
  kCollected,  // the apheresis, at the site
  kExpected,   // registered from the manufacturer's papers, not yet here
  kShipped,
  kReceived,
  kStored,
  kThawed,
  kIssuePending,  // the first person's check done; the second person's awaited
  kIssued,
  kInfused,
  kReturned,
  kDiscarded,
};
enum class CustodyStep {
  kCollected,
  kRegistered,
  kShipped,
  kReceived,
  kReceiptRefused,
  kStored,
  kThawed,
  kIssued,
  kIssueRefused,
  kIssueConfirmed,
  kInfused,
  kReturned,
  kDiscarded,
};

// Stored names: "APHERESIS", "COLLECTED", "RECEIVED", ...
std::string_view ProductKindCode(ProductKind kind);
std::string_view ProductStatusCode(ProductStatus status);
std::string_view CustodyStepCode(CustodyStep step);
absl::StatusOr<ProductKind> ParseProductKindCode(std::string_view code);
absl::StatusOr<ProductStatus> ParseProductStatusCode(std::string_view code);
absl::StatusOr<CustodyStep> ParseCustodyStepCode(std::string_view code);
// For people: "received", "issue pending", ...
std::string ProductStatusWords(ProductStatus status);

// The status a material starts in: an apheresis is collected here; anything else is expected.
ProductStatus InitialStatus(ProductKind kind);

// The status after `step`, or FailedPrecondition saying why not and what to do (`din` names the
// bag). Refusals (kReceiptRefused, kIssueRefused) leave the status as it is.
absl::StatusOr<ProductStatus> NextStatus(ProductStatus from, CustodyStep step,
                                         std::string_view din);

struct Product {
  int64_t id = 0;
  std::string din;    // the 13 characters
  char check = 0;     // its check character
  std::string flags;  // as scanned, or empty
  std::string product_code;
  ProductKind kind = ProductKind::kOther;
  ProductStatus status = ProductStatus::kExpected;
  int64_t therapy_id = 0;
  std::string coi;
  int64_t patient_id = 0;
  std::string patient_registry_id;
  int64_t site_id = 0;
  std::string site_code;
  int64_t enrollment_id = 0;
  int64_t timepoint_id = 0;
  std::string timepoint_code;
  Quantity volume;
  double cell_count = 0;
  double viability_percent = 0;
  std::string batch;
  std::optional<absl::CivilDay> expires_on;
  int64_t source_id = 0;
  std::string source_din;
  int64_t unit_id = 0;  // where it is stored (0: not stored)
  std::string unit_path;
  int slot = 0;  // 0: no slot
  int64_t version = 0;
};

// "COI-PSL-000042-K": the site, the therapy's number there, and a MOD 37-2 check character.
std::string FormatCoi(std::string_view site_code, int64_t number);
// The COI as typed or scanned (any case, white space around ignored), checked.
absl::StatusOr<std::string> ParseCoi(std::string_view text);

}  // namespace lims

#endif  // LIMS_CORE_PRODUCT_H_
