// RegistryService.GetCompleteness and ListDueTimepoints: protobuf in, completeness_operations,
// protobuf out.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "call_gate.h"
#include "completeness_operations.h"
#include "lims/core/timepoint_window.h"
#include "paging.h"
#include "registry_service.h"
#include "status_macros.h"

namespace lims::services {
namespace {

v1::CompletenessStatus ToProto(CompletenessStatus status) {
  switch (status) {
    case CompletenessStatus::kComplete:
      return v1::COMPLETENESS_STATUS_COMPLETE;
    case CompletenessStatus::kPartial:
      return v1::COMPLETENESS_STATUS_PARTIAL;
    case CompletenessStatus::kDue:
      return v1::COMPLETENESS_STATUS_DUE;
    case CompletenessStatus::kOverdue:
      return v1::COMPLETENESS_STATUS_OVERDUE;
    case CompletenessStatus::kNotYetDue:
      return v1::COMPLETENESS_STATUS_NOT_YET_DUE;
  }
  return v1::COMPLETENESS_STATUS_UNSPECIFIED;
}

// The request's as_of, or the call's day (UTC).
absl::StatusOr<absl::CivilDay> AsOf(const std::string& as_of, const CallContext& call) {
  if (as_of.empty()) return absl::ToCivilDay(call.now, absl::UTCTimeZone());
  absl::StatusOr<absl::CivilDay> day = ParseIsoDate(as_of);
  if (!day.ok()) return absl::InvalidArgumentError(absl::StrCat("as_of: ", day.status().message()));
  return day;
}

absl::StatusOr<absl::CivilDay> RequiredDate(const std::string& text, const char* field) {
  if (text.empty()) return absl::InvalidArgumentError(absl::StrCat(field, " is required (YYYY-MM-DD)"));
  absl::StatusOr<absl::CivilDay> day = ParseIsoDate(text);
  if (!day.ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": ", day.status().message()));
  return day;
}

}  // namespace

grpc::Status RegistryService::GetCompleteness(grpc::ServerContext* context,
                                              const v1::GetCompletenessRequest* request,
                                              v1::GetCompletenessResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.GetCompleteness", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetCompletenessResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay as_of, AsOf(request->as_of(), call));
        LIMS_ASSIGN_OR_RETURN(
            CompletenessMatrix matrix,
            services::TallyCompleteness(
                tx, call,
                {request->protocol_code(), request->site_code(), as_of, page.after_id, page.size}));
        out->set_as_of(FormatIsoDate(as_of));
        for (const Timepoint& tp : matrix.protocol.timepoints) out->add_timepoint_codes(tp.code);
        for (const CompletenessMatrixRow& row : matrix.rows) {
          v1::CompletenessRow* r = out->add_rows();
          r->set_patient_registry_id(row.enrollment.patient_registry_id);
          r->set_site_code(row.enrollment.site_code);
          r->set_enrollment_id(absl::StrCat(row.enrollment.enrollment_id));
          r->set_anchor_date(FormatIsoDate(row.enrollment.anchor_date));
          for (size_t i = 0; i < row.cells.size(); ++i) {
            const CompletenessCell& cell = row.cells[i];
            v1::CompletenessCell* c = r->add_cells();
            c->set_timepoint_code(matrix.protocol.timepoints[i].code);
            c->set_status(ToProto(cell.status));
            c->set_expected_count(cell.expected_count);
            c->set_collected_count(cell.collected_count);
            c->set_due_date(FormatIsoDate(cell.window.due));
            c->set_window_start(FormatIsoDate(cell.window.earliest));
            c->set_window_end(FormatIsoDate(cell.window.latest));
          }
        }
        if (matrix.enrollments_read > 0) {
          out->set_next_page_token(
              NextPageToken(page, matrix.enrollments_read, matrix.last_enrollment_id));
        }
        return absl::OkStatus();
      });
}

grpc::Status RegistryService::ListDueTimepoints(grpc::ServerContext* context,
                                                const v1::ListDueTimepointsRequest* request,
                                                v1::ListDueTimepointsResponse* response) {
  return gate_.Query(
      *context, "lims.v1.RegistryService.ListDueTimepoints", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListDueTimepointsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay from, RequiredDate(request->from(), "from"));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay to, RequiredDate(request->to(), "to"));
        LIMS_ASSIGN_OR_RETURN(absl::CivilDay as_of, AsOf(request->as_of(), call));
        LIMS_ASSIGN_OR_RETURN(
            std::vector<DueTimepointItem> items,
            services::FindDueTimepoints(tx, call, {request->site_code(), from, to, as_of}));
        out->set_as_of(FormatIsoDate(as_of));
        for (const DueTimepointItem& item : items) {
          v1::DueTimepoint* d = out->add_items();
          d->set_patient_registry_id(item.patient_registry_id);
          d->set_protocol_code(item.protocol_code);
          d->set_timepoint_code(item.timepoint_code);
          d->set_due_date(FormatIsoDate(item.cell.window.due));
          d->set_window_start(FormatIsoDate(item.cell.window.earliest));
          d->set_window_end(FormatIsoDate(item.cell.window.latest));
          d->set_status(ToProto(item.cell.status));
          d->set_expected_count(item.cell.expected_count);
          d->set_collected_count(item.cell.collected_count);
        }
        return absl::OkStatus();
      });
}

}  // namespace lims::services
