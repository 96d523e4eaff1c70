// Plain domain records shared by the persistence layer and the services. No behaviour here:
// rules live in their own headers (sample_lifecycle.h, quantity.h, box_layout.h, ...).
// Ids are database surrogate keys; 0 means "not stored yet" / "none".
#ifndef LIMS_CORE_DOMAIN_H_
#define LIMS_CORE_DOMAIN_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "lims/core/quantity.h"
#include "lims/core/sample_lifecycle.h"
#include "lims/core/storage_kind.h"
#include "lims/core/temperature.h"

namespace lims {

struct Site {
  int64_t id = 0;
  std::string code;  // "PSL"
  std::string name;
};

// A pseudonymous person: never a name or a birth date.
struct Patient {
  int64_t id = 0;
  std::string registry_id;  // "MATHEC-0042"
  int64_t site_id = 0;
  std::string site_code;
};

struct ExpectedSample {
  std::string sample_type;
  int count = 1;
};

struct Timepoint {
  int64_t id = 0;
  std::string code;  // "M3"
  std::string name;
  int offset_days = 0;
  int window_before_days = 0;
  int window_after_days = 0;
  std::vector<ExpectedSample> expected_samples;
};

struct Protocol {
  int64_t id = 0;
  std::string code;  // "CART-SLE"
  std::string name;
  std::vector<Timepoint> timepoints;  // in schedule order
};

struct Enrollment {
  int64_t id = 0;
  int64_t patient_id = 0;
  int64_t protocol_id = 0;
  absl::CivilDay anchor_date;
  // Denormalised for answers.
  std::string protocol_code;
  std::string patient_registry_id;
  int64_t site_id = 0;
};

struct Sample {
  int64_t id = 0;
  std::string barcode;
  int64_t parent_id = 0;
  int64_t enrollment_id = 0;
  int64_t timepoint_id = 0;
  int64_t site_id = 0;
  std::string sample_type;
  Quantity quantity;
  SampleStatus status = SampleStatus::kCollected;
  int freeze_thaw_count = 0;
  absl::Time collected_at;
  // 0 inside the timepoint window, < 0 days early, > 0 days late.
  int window_offset_days = 0;
  // SPREC pre-analytical code, canonical spelling (lims/core/sprec.h); "" for tubes registered
  // before SPREC codes were kept.
  std::string sprec;
  // Optimistic-concurrency token: a save whose version is stale is refused as a lost update.
  int64_t version = 0;
  // Denormalised for answers (filled by reads, ignored by writes).
  std::string parent_barcode;
  std::string site_code;
  std::string patient_registry_id;
  std::string protocol_code;
  std::string timepoint_code;
  std::string product_din;  // a tube taken from a cell-therapy bag: the bag, and its COI
  std::string coi;
};

struct StorageUnit {
  int64_t id = 0;
  int64_t parent_id = 0;
  StorageKind kind = StorageKind::kBox;
  std::string name;
  int rows = 0;  // boxes only
  int columns = 0;
  std::string path;  // "Site PSL / Room 1 / Freezer F-01 / Box B-0042"
  int64_t site_id = 0;
  std::string site_code;
  Climate climate;  // temperature-holding units; empty for the others
};

// A sample in a box position (1-based, row-major).
struct Placement {
  int64_t sample_id = 0;
  int64_t box_id = 0;
  int position = 0;
};

}  // namespace lims

#endif  // LIMS_CORE_DOMAIN_H_
