// What a checked tube import will write (sample_import.cc checks the file and makes it;
// tube_import_write.cc writes it). Internal to the sample service.
#ifndef LIMS_SERVICES_SAMPLE_TUBE_IMPORT_PLAN_H_
#define LIMS_SERVICES_SAMPLE_TUBE_IMPORT_PLAN_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/core/quantity.h"
#include "lims/db/database.h"
#include "lims/db/tube_bulk.h"

namespace lims::services {

// A patient the file names: in the database already, or to be created.
struct PatientPlan {
  int64_t id = 0;  // 0: to be created
  int64_t site_id = 0;
  std::string site_code;
  int line = 0;
};

// A patient's enrollment in a protocol the file uses.
struct EnrollmentPlan {
  int64_t id = 0;  // 0: to be created
  std::string registry_id;
  const Protocol* protocol = nullptr;
  std::optional<absl::CivilDay> anchor;
  int line = 0;
};

// One checked row, ready to be written.
struct TubePlan {
  int line = 0;
  std::string barcode;
  int parent_row = -1;    // the parent's index among the file's tubes, or
  int64_t parent_id = 0;  // the parent already in the database
  size_t enrollment = 0;  // index in enrollments_
  const Timepoint* timepoint = nullptr;
  std::string sample_type;
  Quantity quantity;
  absl::Time collected_at;
  int64_t box_id = 0;  // 0: not placed
  int position = 0;
};

struct TubeImportPlan {
  std::map<std::string, PatientPlan> patients;  // by registry id
  std::vector<EnrollmentPlan> enrollments;
  std::vector<TubePlan> tubes;  // in file order: a parent before the tubes made from it
};

// Creates the plan's new patients and enrollments (each audited), then its tubes with their
// places (one audit event per kTubesPerAuditEvent tubes, listing them). Sets the ids it makes.
absl::Status WriteTubeImport(db::Tx& tx, const CallContext& call, db::TubeBulk& bulk,
                             TubeImportPlan& plan);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SAMPLE_TUBE_IMPORT_PLAN_H_
