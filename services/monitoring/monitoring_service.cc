#include "monitoring_service.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "convert.h"
#include "evacuation_operations.h"
#include "lims/core/reading_csv.h"
#include "lims/core/unit_label.h"
#include "monitoring_operations.h"
#include "paging.h"
#include "status_macros.h"

namespace lims::services {
namespace {

constexpr size_t kChartPoints = 3000;
constexpr size_t kMaxCsvBytes = 64 * 1024 * 1024;
constexpr int kMaxPushed = 100'000;

std::string Method(const char* name) { return absl::StrCat("lims.v1.MonitoringService.", name); }

v1::Excursion ToProto(const ExcursionView& view) {
  const db::ExcursionRecord& e = view.record;
  v1::Excursion out;
  out.set_id(std::to_string(e.id));
  out.set_unit_id(std::to_string(e.unit_id));
  out.set_unit_path(view.unit.path);
  *out.mutable_start() = services::ToProto(e.span.start);
  if (e.span.end) *out.mutable_end() = services::ToProto(*e.span.end);
  out.set_peak_celsius(e.span.peak);
  *out.mutable_peak_at() = services::ToProto(e.span.peak_at);
  out.set_minutes_beyond(e.span.minutes_beyond);
  out.set_degree_minutes(e.span.degree_minutes);
  out.set_side(e.span.side == ExcursionSide::kHigh ? "high" : "low");
  out.set_threshold_celsius(e.span.threshold);
  *out.mutable_last_reading_at() = services::ToProto(e.span.last_reading);
  out.set_acknowledged(!e.acknowledged_by.empty());
  if (!e.acknowledged_by.empty()) {
    v1::ExcursionAcknowledgement* ack = out.mutable_acknowledgement();
    ack->set_by(e.acknowledged_by);
    *ack->mutable_at() = services::ToProto(e.acknowledged_at);
    ack->set_cause(e.cause);
    ack->set_impact(e.impact);
    ack->set_corrective_action(e.corrective_action);
  }
  return out;
}

void AddReading(const std::string& probe, const Reading& r,
                google::protobuf::RepeatedPtrField<v1::TemperatureReading>* out) {
  v1::TemperatureReading* reading = out->Add();
  reading->set_probe_id(probe);
  *reading->mutable_at() = services::ToProto(r.at);
  reading->set_celsius(r.celsius);
}

void MoveToProto(const PlannedMove& m, v1::EvacuationMove* move) {
  move->set_unit_id(std::to_string(m.unit.id));
  move->set_unit_name(absl::StrCat(std::string(KindLabel(m.unit.kind)), " ", m.unit.name));
  move->set_from_path(m.unit.path);
  move->set_to_parent_id(std::to_string(m.move.to_parent_id));
  move->set_to_path(m.to_path);
  move->set_critical_tubes(static_cast<int32_t>(m.move.critical_tubes));
  move->set_tubes(static_cast<int32_t>(m.move.tubes));
  move->set_done(m.done);
  move->set_withdrawn_tubes(static_cast<int32_t>(m.move.withdrawn_tubes));
  move->set_label_code(UnitLabelCode(m.unit.id));
}

void AddMoves(const EvacuationView& view,
              google::protobuf::RepeatedPtrField<v1::EvacuationMove>* out) {
  for (const PlannedMove& m : view.moves) MoveToProto(m, out->Add());
}

}  // namespace

grpc::Status MonitoringService::ImportReadingsCsv(grpc::ServerContext* context,
                                                  const v1::ImportReadingsCsvRequest* request,
                                                  v1::ImportReadingsCsvResponse* response) {
  return gate_.Mutate(
      *context, Method("ImportReadingsCsv"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ImportReadingsCsvResponse* out) -> absl::Status {
        if (request->csv().size() > kMaxCsvBytes) {
          return absl::InvalidArgumentError(
              "the file is larger than 64 MiB; split it (by month, say) and import each part");
        }
        absl::TimeZone zone = absl::UTCTimeZone();
        if (!request->time_zone().empty() && !absl::LoadTimeZone(request->time_zone(), &zone)) {
          return absl::InvalidArgumentError(
              absl::StrCat("unknown time zone '", request->time_zone(),
                           "'; give an IANA name such as "
                           "Europe/Paris, or leave it empty for UTC"));
        }
        ParsedReadings parsed = ParseReadingsCsv(request->csv(), zone);
        ReadingsBatch batch{std::move(parsed.readings), std::move(parsed.errors),
                            request->dry_run(), raw_retention_, "csv"};
        LIMS_ASSIGN_OR_RETURN(ReadingsOutcome outcome, RecordReadings(tx, call, batch));
        out->set_rows_accepted(outcome.accepted);
        out->set_readings_new(outcome.fresh);
        out->set_excursions_open(outcome.excursions_open);
        for (const CsvLineError& e : outcome.errors) {
          v1::CsvError* error = out->add_errors();
          error->set_line(e.line);
          error->set_message(e.message);
        }
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::PushReadings(grpc::ServerContext* context,
                                             const v1::PushReadingsRequest* request,
                                             v1::PushReadingsResponse* response) {
  return gate_.Mutate(
      *context, Method("PushReadings"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::PushReadingsResponse* out) -> absl::Status {
        if (request->readings_size() > kMaxPushed) {
          return absl::InvalidArgumentError(
              absl::StrCat("at most ", kMaxPushed, " readings per batch; send several"));
        }
        ReadingsBatch batch;
        batch.raw_retention = raw_retention_;
        batch.source = "push";
        for (int i = 0; i < request->readings_size(); ++i) {
          const v1::TemperatureReading& r = request->readings(i);
          const std::string field = absl::StrCat("readings[", i, "]");
          if (r.probe_id().empty()) {
            return absl::InvalidArgumentError(absl::StrCat(field, ".probe_id is empty"));
          }
          LIMS_ASSIGN_OR_RETURN(absl::Time at, FromProto(r.at(), field + ".at"));
          if (!std::isfinite(r.celsius()) || r.celsius() < -273.15 || r.celsius() > 200) {
            return absl::InvalidArgumentError(
                absl::StrCat(field, ".celsius ", r.celsius(), " is not a temperature in °C"));
          }
          batch.readings.push_back({r.probe_id(), at, r.celsius(), 0});
        }
        LIMS_ASSIGN_OR_RETURN(ReadingsOutcome outcome, RecordReadings(tx, call, batch));
        out->set_accepted(outcome.fresh);
        out->set_duplicates(outcome.duplicates);
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::ListExcursions(grpc::ServerContext* context,
                                               const v1::ListExcursionsRequest* request,
                                               v1::ListExcursionsResponse* response) {
  return gate_.Query(
      *context, Method("ListExcursions"), response,
      [&](db::Tx& tx, const CallContext& call, v1::ListExcursionsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), ""));
        int64_t unit_id = 0;
        if (!request->unit_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(unit_id, ParseId(request->unit_id(), "unit_id"));
        }
        LIMS_ASSIGN_OR_RETURN(
            auto views, ListUnitExcursions(tx, call, unit_id, request->open_only(), page.size));
        for (const ExcursionView& view : views) *out->add_excursions() = ToProto(view);
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::GetExcursion(grpc::ServerContext* context,
                                             const v1::GetExcursionRequest* request,
                                             v1::GetExcursionResponse* response) {
  return gate_.Query(
      *context, Method("GetExcursion"), response,
      [&](db::Tx& tx, const CallContext& call, v1::GetExcursionResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->excursion_id(), "excursion_id"));
        LIMS_ASSIGN_OR_RETURN(ExcursionView view, LookUpExcursion(tx, call, id));
        *out->mutable_excursion() = ToProto(view);
        LIMS_ASSIGN_OR_RETURN(auto exposed, db::ExcursionRepository(tx).ExposuresOf(id));
        for (const db::Exposure& e : exposed) {
          v1::ExposedTube* tube = out->add_exposed();
          tube->set_barcode(e.barcode);
          tube->set_minutes_exposed(e.minutes);
          tube->set_peak_celsius(e.peak_celsius);
        }
        const ExcursionSpan& span = view.record.span;
        auto curve =
            TemperaturesOf(tx, call, view.unit.id, span.start - absl::Hours(1),
                           span.end.value_or(span.last_reading) + absl::Hours(1), kChartPoints);
        if (curve.ok()) {
          for (const Reading& r : curve->readings) {
            AddReading(view.unit.climate.probe_id, r, out->mutable_readings());
          }
        }
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::AcknowledgeExcursion(grpc::ServerContext* context,
                                                     const v1::AcknowledgeExcursionRequest* request,
                                                     v1::AcknowledgeExcursionResponse* response) {
  return gate_.Mutate(*context, Method("AcknowledgeExcursion"), *request, response,
                      [&](db::Tx& tx, const CallContext& call,
                          v1::AcknowledgeExcursionResponse* out) -> absl::Status {
                        Investigation investigation;
                        LIMS_ASSIGN_OR_RETURN(investigation.excursion_id,
                                              ParseId(request->excursion_id(), "excursion_id"));
                        investigation.cause = request->cause();
                        investigation.impact = request->impact();
                        investigation.corrective_action = request->corrective_action();
                        LIMS_ASSIGN_OR_RETURN(ExcursionView view, services::AcknowledgeExcursion(
                                                                      tx, call, investigation));
                        *out->mutable_excursion() = ToProto(view);
                        return absl::OkStatus();
                      });
}

grpc::Status MonitoringService::GetTemperatures(grpc::ServerContext* context,
                                                const v1::GetTemperaturesRequest* request,
                                                v1::GetTemperaturesResponse* response) {
  return gate_.Query(
      *context, Method("GetTemperatures"), response,
      [&](db::Tx& tx, const CallContext& call, v1::GetTemperaturesResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t unit_id, ParseId(request->unit_id(), "unit_id"));
        // Readings stamped a little ahead (a monitoring clock running fast) are shown too.
        absl::Time until = call.now + absl::Minutes(10), since = call.now - absl::Hours(24);
        if (request->has_until()) {
          LIMS_ASSIGN_OR_RETURN(until, FromProto(request->until(), "until"));
        }
        if (request->has_since()) {
          LIMS_ASSIGN_OR_RETURN(since, FromProto(request->since(), "since"));
        }
        LIMS_ASSIGN_OR_RETURN(UnitTemperatures t,
                              TemperaturesOf(tx, call, unit_id, since, until, kChartPoints));
        for (const Reading& r : t.readings) {
          AddReading(t.unit.climate.probe_id, r, out->mutable_readings());
        }
        if (t.last) {
          out->mutable_last()->set_probe_id(t.unit.climate.probe_id);
          *out->mutable_last()->mutable_at() = services::ToProto(t.last->at);
          out->mutable_last()->set_celsius(t.last->celsius);
        }
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::PlanEvacuation(grpc::ServerContext* context,
                                               const v1::PlanEvacuationRequest* request,
                                               v1::PlanEvacuationResponse* response) {
  return gate_.Mutate(
      *context, Method("PlanEvacuation"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::PlanEvacuationResponse* out) -> absl::Status {
        EvacuationRequest plan;
        if (!request->put_back_plan_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(plan.put_back_of,
                                ParseId(request->put_back_plan_id(), "put_back_plan_id"));
        } else {
          LIMS_ASSIGN_OR_RETURN(plan.from_unit_id,
                                ParseId(request->from_unit_id(), "from_unit_id"));
          LIMS_ASSIGN_OR_RETURN(plan.to_unit_id, ParseId(request->to_unit_id(), "to_unit_id"));
        }
        LIMS_ASSIGN_OR_RETURN(EvacuationView view, services::PlanEvacuation(tx, call, plan));
        out->set_plan_id(std::to_string(view.plan.id));
        AddMoves(view, out->mutable_moves());
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::GetEvacuationPlan(grpc::ServerContext* context,
                                                  const v1::GetEvacuationPlanRequest* request,
                                                  v1::GetEvacuationPlanResponse* response) {
  return gate_.Query(
      *context, Method("GetEvacuationPlan"), response,
      [&](db::Tx& tx, const CallContext& call, v1::GetEvacuationPlanResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->plan_id(), "plan_id"));
        LIMS_ASSIGN_OR_RETURN(EvacuationView view, LookUpEvacuation(tx, call, id));
        out->set_plan_id(std::to_string(view.plan.id));
        AddMoves(view, out->mutable_moves());
        out->set_moves_done(view.MovesDone());
        if (request->pick_list_pdf()) {
          LIMS_ASSIGN_OR_RETURN(*out->mutable_pick_list_pdf(), PickListPdfOf(view));
        }
        return absl::OkStatus();
      });
}

grpc::Status MonitoringService::RecordEvacuationMove(grpc::ServerContext* context,
                                                     const v1::RecordEvacuationMoveRequest* request,
                                                     v1::RecordEvacuationMoveResponse* response) {
  return gate_.Mutate(
      *context, Method("RecordEvacuationMove"), *request, response,
      [&](db::Tx& tx, const CallContext& call,
          v1::RecordEvacuationMoveResponse* out) -> absl::Status {
        ScannedMove scanned{0, request->scanned_code()};
        LIMS_ASSIGN_OR_RETURN(scanned.plan_id, ParseId(request->plan_id(), "plan_id"));
        PlannedMove moved;
        LIMS_ASSIGN_OR_RETURN(EvacuationView view,
                              services::RecordEvacuationMove(tx, call, scanned, &moved));
        MoveToProto(moved, out->mutable_move());
        out->set_moves_done(view.MovesDone());
        out->set_moves_total(static_cast<int32_t>(view.moves.size()));
        return absl::OkStatus();
      });
}

}  // namespace lims::services
