#include <algorithm>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "audit.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/enrollments.h"
#include "lims/db/patients.h"
#include "sample_import.h"
#include "status_macros.h"
#include "tube_import_plan.h"

namespace lims::services {
namespace {

// Tubes written together (a statement's worth on MariaDB).
constexpr size_t kTubesPerChunk = 1000;

class TubeWriter {
 public:
  TubeWriter(db::Tx& tx, const CallContext& call, db::TubeBulk& bulk, TubeImportPlan& plan)
      : tx_(tx), call_(call), bulk_(bulk), plan_(plan) {}

  // The patients and enrollments the file needs, each audited as the registry import does.
  absl::Status WriteRegistry() {
    for (auto& [registry_id, plan] : plan_.patients) {
      if (plan.id) continue;
      Patient patient;
      patient.registry_id = registry_id;
      patient.site_id = plan.site_id;
      patient.site_code = plan.site_code;
      LIMS_RETURN_IF_ERROR(db::PatientRepository(tx_).Insert(patient, call_.now));
      LIMS_RETURN_IF_ERROR(
          Audit(tx_, call_,
                AuditEntry("patient.created", "patient", registry_id)
                    .Details(absl::StrCat("patient ", registry_id, " registered at ",
                                          plan.site_code, " (tube import, line ", plan.line, ")"))
                    .After(SnapshotJson(patient))));
      plan.id = patient.id;
    }
    for (EnrollmentPlan& plan : plan_.enrollments) {
      if (plan.id) continue;
      const PatientPlan& patient = plan_.patients.at(plan.registry_id);
      Enrollment enrollment;
      enrollment.patient_id = patient.id;
      enrollment.protocol_id = plan.protocol->id;
      enrollment.anchor_date = *plan.anchor;
      enrollment.protocol_code = plan.protocol->code;
      enrollment.patient_registry_id = plan.registry_id;
      enrollment.site_id = patient.site_id;
      LIMS_RETURN_IF_ERROR(db::EnrollmentRepository(tx_).Insert(enrollment, call_.now));
      LIMS_RETURN_IF_ERROR(Audit(tx_, call_,
                                 AuditEntry("patient.enrolled", "patient", plan.registry_id)
                                     .Details(absl::StrCat("enrolled in ", plan.protocol->code,
                                                           ", anchor ", FormatIsoDate(*plan.anchor),
                                                           " (tube import, line ", plan.line, ")"))
                                     .After(SnapshotJson(enrollment))));
      plan.id = enrollment.id;
    }
    return absl::OkStatus();
  }

  // The tubes, parents before the tubes made from them a level at a time (so that tubes
  // written together never include a parent and its child), in chunks; one audit event per
  // kTubesPerAuditEvent of them listing their barcodes.
  absl::Status WriteTubes() {
    std::vector<int> depth(plan_.tubes.size(), 0);
    for (size_t k = 0; k < plan_.tubes.size(); ++k) {
      if (plan_.tubes[k].parent_row >= 0) depth[k] = depth[plan_.tubes[k].parent_row] + 1;
    }
    std::vector<size_t> order(plan_.tubes.size());
    for (size_t k = 0; k < order.size(); ++k) order[k] = k;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return depth[a] < depth[b]; });
    std::vector<int64_t> ids(plan_.tubes.size(), 0);
    std::vector<size_t> chunk;
    std::vector<std::string> audited;
    int first_line = 0, last_line = 0, events = 0;
    for (size_t at = 0; at < order.size(); ++at) {
      chunk.push_back(order[at]);
      const bool level_ends = at + 1 == order.size() || depth[order[at + 1]] != depth[order[at]];
      if (chunk.size() < kTubesPerChunk && !level_ends) continue;
      LIMS_RETURN_IF_ERROR(WriteChunk(chunk, ids));
      for (size_t k : chunk) {
        audited.push_back(plan_.tubes[k].barcode);
        first_line =
            audited.size() == 1 ? plan_.tubes[k].line : std::min(first_line, plan_.tubes[k].line);
        last_line = std::max(last_line, plan_.tubes[k].line);
        if (audited.size() == static_cast<size_t>(kTubesPerAuditEvent)) {
          LIMS_RETURN_IF_ERROR(AuditBatch(++events, audited, first_line, last_line));
          audited.clear();
          last_line = 0;
        }
      }
      chunk.clear();
    }
    if (!audited.empty()) {
      LIMS_RETURN_IF_ERROR(AuditBatch(++events, audited, first_line, last_line));
    }
    return absl::OkStatus();
  }

  absl::Status WriteChunk(const std::vector<size_t>& chunk, std::vector<int64_t>& ids) {
    std::vector<Sample> samples;
    std::vector<std::optional<Placement>> places;
    for (size_t k : chunk) {
      const TubePlan& tube = plan_.tubes[k];
      const EnrollmentPlan& enrollment = plan_.enrollments[tube.enrollment];
      Sample sample;
      sample.barcode = tube.barcode;
      sample.parent_id = tube.parent_row >= 0 ? ids[tube.parent_row] : tube.parent_id;
      sample.enrollment_id = enrollment.id;
      sample.timepoint_id = tube.timepoint->id;
      sample.site_id = plan_.patients.at(enrollment.registry_id).site_id;
      sample.sample_type = tube.sample_type;
      sample.quantity = tube.quantity;
      sample.status = tube.box_id ? SampleStatus::kStored : SampleStatus::kCollected;
      sample.collected_at = tube.collected_at;
      const TimepointWindow window =
          ComputeWindow(*enrollment.anchor, tube.timepoint->offset_days,
                        tube.timepoint->window_before_days, tube.timepoint->window_after_days);
      sample.window_offset_days =
          WindowOffsetDays(window, absl::ToCivilDay(tube.collected_at, absl::UTCTimeZone()));
      samples.push_back(std::move(sample));
      places.push_back(tube.box_id
                           ? std::optional<Placement>(Placement{0, tube.box_id, tube.position})
                           : std::nullopt);
    }
    LIMS_RETURN_IF_ERROR(bulk_.InsertMany(samples, places, call_.now));
    for (size_t i = 0; i < chunk.size(); ++i) ids[chunk[i]] = samples[i].id;
    return absl::OkStatus();
  }

  absl::Status AuditBatch(int number, const std::vector<std::string>& barcodes, int first_line,
                          int last_line) {
    return Audit(
        tx_, call_,
        AuditEntry("samples.imported", "tube_import",
                   absl::StrCat(call_.request_id.empty() ? "csv" : call_.request_id, "#", number))
            .Details(absl::StrCat(barcodes.size(), " tubes imported from lines ", first_line, "-",
                                  last_line))
            .After(nlohmann::json{{"barcodes", barcodes}}.dump()));
  }

 private:
  db::Tx& tx_;
  const CallContext& call_;
  db::TubeBulk& bulk_;
  TubeImportPlan& plan_;
};

}  // namespace

absl::Status WriteTubeImport(db::Tx& tx, const CallContext& call, db::TubeBulk& bulk,
                             TubeImportPlan& plan) {
  TubeWriter writer(tx, call, bulk, plan);
  LIMS_RETURN_IF_ERROR(writer.WriteRegistry());
  return writer.WriteTubes();
}

}  // namespace lims::services
