#include "sample_service.h"

#include "absl/time/time.h"
#include "call_gate.h"
#include "convert.h"
#include "lims/core/consent.h"
#include "lims/core/sample_id.h"
#include "sample_operations.h"
#include "status_macros.h"

namespace lims::services {
namespace {

// The tube's record with the excursions it went through.
absl::Status AddExposures(db::Tx& tx, int64_t sample_id, v1::Sample& out) {
  LIMS_ASSIGN_OR_RETURN(auto exposures, TubeExposures(tx, sample_id));
  for (const db::Exposure& e : exposures) {
    v1::TubeExposure* exposure = out.add_exposures();
    exposure->set_excursion_id(std::to_string(e.excursion_id));
    exposure->set_minutes_exposed(e.minutes);
    exposure->set_peak_celsius(e.peak_celsius);
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status SampleService::CollectSample(grpc::ServerContext* context,
                                          const v1::CollectSampleRequest* request,
                                          v1::CollectSampleResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.SampleService.CollectSample", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CollectSampleResponse* out) -> absl::Status {
        CollectCommand command;
        LIMS_ASSIGN_OR_RETURN(command.enrollment_id,
                              ParseId(request->enrollment_id(), "enrollment_id"));
        command.timepoint_code = request->timepoint_code();
        command.sample_type = request->sample_type();
        LIMS_ASSIGN_OR_RETURN(command.quantity, FromProto(request->quantity(), "quantity"));
        LIMS_ASSIGN_OR_RETURN(command.collected_at,
                              FromProto(request->collected_at(), "collected_at"));
        command.preprinted_barcode = request->barcode();
        command.sprec = request->sprec();
        command.primary_container = request->primary_container();
        LIMS_ASSIGN_OR_RETURN(Sample sample, RegisterCollection(tx, call, command));
        *out->mutable_sample() = ToProto(sample);
        return absl::OkStatus();
      });
}

grpc::Status SampleService::DeriveSamples(grpc::ServerContext* context,
                                          const v1::DeriveSamplesRequest* request,
                                          v1::DeriveSamplesResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.SampleService.DeriveSamples", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::DeriveSamplesResponse* out) -> absl::Status {
        DeriveCommand command;
        LIMS_ASSIGN_OR_RETURN(command.parent_barcode, CanonicalBarcode(request->parent_barcode()));
        command.sample_type = request->sample_type();
        command.count = request->count();
        LIMS_ASSIGN_OR_RETURN(command.quantity_each,
                              FromProto(request->quantity_each(), "quantity_each"));
        command.preprinted_barcodes.assign(request->barcodes().begin(), request->barcodes().end());
        LIMS_ASSIGN_OR_RETURN(Derivation derivation, DeriveFromParent(tx, call, command));
        for (const Sample& child : derivation.children) *out->add_samples() = ToProto(child);
        *out->mutable_parent() = ToProto(derivation.parent);
        return absl::OkStatus();
      });
}

grpc::Status SampleService::GetSample(grpc::ServerContext* context,
                                      const v1::GetSampleRequest* request,
                                      v1::GetSampleResponse* response) {
  return gate_.Query(
      *context, "lims.v1.SampleService.GetSample", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetSampleResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(Sample sample, LookUpTube(tx, call, {barcode}));
        *out->mutable_sample() = ToProto(sample);
        LIMS_RETURN_IF_ERROR(AddExposures(tx, sample.id, *out->mutable_sample()));
        return absl::OkStatus();
      });
}

// The bench hot path: one statement (two for a tube an excursion exposed), no transaction.
grpc::Status SampleService::ResolveBarcode(grpc::ServerContext* context,
                                           const v1::ResolveBarcodeRequest* request,
                                           v1::ResolveBarcodeResponse* response) {
  return gate_.Query(
      *context, "lims.v1.SampleService.ResolveBarcode", response,
      [&](db::Tx& tx, const CallContext& call, v1::ResolveBarcodeResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(TubeAtBench tube, ResolveTube(tx, call, {barcode}));
        *out->mutable_sample() = ToProto(tube.sample);
        if (tube.exposed) {
          LIMS_RETURN_IF_ERROR(AddExposures(tx, tube.sample.id, *out->mutable_sample()));
        }
        if (tube.location) *out->mutable_location() = ToProto(*tube.location);
        out->set_patient_registry_id(tube.sample.patient_registry_id);
        out->set_protocol_code(tube.sample.protocol_code);
        out->set_timepoint_code(tube.sample.timepoint_code);
        for (const ScopeState& s : tube.consent.granted) {
          out->add_consent_scopes(static_cast<v1::ConsentScope>(static_cast<int>(s.scope)));
        }
        out->set_consent_withdrawn(!tube.consent.withdrawn.empty());
        return absl::OkStatus();
      });
}

grpc::Status SampleService::GetSampleHistory(grpc::ServerContext* context,
                                             const v1::GetSampleHistoryRequest* request,
                                             v1::GetSampleHistoryResponse* response) {
  return gate_.Query(
      *context, "lims.v1.SampleService.GetSampleHistory", response,
      [&](db::Tx& tx, const CallContext& call, v1::GetSampleHistoryResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(auto events, TubeHistory(tx, call, {barcode}));
        for (const db::AuditEvent& e : events) {
          v1::SampleEvent* event = out->add_events();
          *event->mutable_at() = ToProto(e.at);
          event->set_actor(e.actor);
          event->set_action(e.action);
          event->set_details(e.details);
          event->set_reason(e.reason);
          event->set_before_json(e.before_json);
          event->set_after_json(e.after_json);
        }
        return absl::OkStatus();
      });
}

grpc::Status SampleService::ListSamples(grpc::ServerContext* context,
                                        const v1::ListSamplesRequest* request,
                                        v1::ListSamplesResponse* response) {
  return gate_.Query(
      *context, "lims.v1.SampleService.ListSamples", response,
      [&](db::Tx& tx, const CallContext& call, v1::ListSamplesResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        LIMS_ASSIGN_OR_RETURN(
            auto tubes, ListEnrollmentTubes(tx, call,
                                            {request->patient_registry_id(),
                                             request->protocol_code(), request->timepoint_code()},
                                            page));
        for (const db::ResolvedSample& tube : tubes) {
          v1::ListedSample* listed = out->add_samples();
          *listed->mutable_sample() = ToProto(tube.sample);
          if (tube.location) *listed->mutable_location() = ToProto(*tube.location);
        }
        out->set_next_page_token(NextPageToken(page, static_cast<int>(tubes.size()),
                                               tubes.empty() ? 0 : tubes.back().sample.id));
        return absl::OkStatus();
      });
}

grpc::Status SampleService::RecordLifecycleEvent(grpc::ServerContext* context,
                                                 const v1::RecordLifecycleEventRequest* request,
                                                 v1::RecordLifecycleEventResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.SampleService.RecordLifecycleEvent", *request, response,
      [&](db::Tx& tx, const CallContext& call,
          v1::RecordLifecycleEventResponse* out) -> absl::Status {
        LifecycleCommand command;
        LIMS_ASSIGN_OR_RETURN(command.barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(command.event, FromProto(request->event()));
        command.reason = request->reason();
        LIMS_ASSIGN_OR_RETURN(command.pre_centrifugation_temperature,
                              FromProto(request->pre_centrifugation_temperature()));
        if (request->has_occurred_at()) {
          LIMS_ASSIGN_OR_RETURN(command.occurred_at,
                                FromProto(request->occurred_at(), "occurred_at"));
        }
        LIMS_ASSIGN_OR_RETURN(LifecycleResult result, ApplyLifecycleEvent(tx, call, command));
        *out->mutable_sample() = ToProto(result.sample);
        if (result.freed) *out->mutable_previous_location() = ToProto(*result.freed);
        return absl::OkStatus();
      });
}

grpc::Status SampleService::SetSampleSprec(grpc::ServerContext* context,
                                           const v1::SetSampleSprecRequest* request,
                                           v1::SetSampleSprecResponse* response) {
  return gate_.Mutate(
      *context, "lims.v1.SampleService.SetSampleSprec", *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::SetSampleSprecResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(std::string barcode, CanonicalBarcode(request->barcode()));
        LIMS_ASSIGN_OR_RETURN(
            Sample sample, ReplaceSprec(tx, call, {barcode, request->sprec(), request->reason()}));
        *out->mutable_sample() = ToProto(sample);
        return absl::OkStatus();
      });
}

}  // namespace lims::services
