#include "request_service.h"

#include <set>

#include "convert.h"
#include "paging.h"
#include "request_operations.h"
#include "request_shipping.h"
#include "lims/core/sample_request_status.h"
#include "shipment_convert.h"
#include "status_macros.h"

namespace lims::services {
namespace {

std::string Method(const char* name) { return std::string("lims.v1.RequestService.") + name; }

absl::StatusOr<RequestCriteria> CriteriaFromProto(const v1::Criteria& c) {
  RequestCriteria out;
  out.protocol_codes.assign(c.protocol_codes().begin(), c.protocol_codes().end());
  out.timepoint_codes.assign(c.timepoint_codes().begin(), c.timepoint_codes().end());
  out.sample_types.assign(c.sample_types().begin(), c.sample_types().end());
  out.site_codes.assign(c.site_codes().begin(), c.site_codes().end());
  if (c.has_min_quantity()) {
    LIMS_ASSIGN_OR_RETURN(out.min_quantity, services::FromProto(c.min_quantity(), "criteria.min_quantity"));
  }
  out.max_per_patient_timepoint = c.max_per_patient_timepoint();
  for (int scope : c.required_consent_scopes()) {
    if (scope < static_cast<int>(ConsentScope::kStorage) ||
        scope > static_cast<int>(ConsentScope::kCommercial)) {
      return absl::InvalidArgumentError(
          "criteria.required_consent_scopes holds an unknown scope; use CONSENT_SCOPE_*");
    }
    out.required_consent_scopes.push_back(static_cast<ConsentScope>(scope));
  }
  out.keep_last_tube = !c.allow_last_tube();
  if (c.has_max_exposure_minutes()) out.max_exposure_minutes = c.max_exposure_minutes();
  if (c.has_max_exposure_celsius()) out.max_exposure_celsius = c.max_exposure_celsius();
  return out;
}

v1::Criteria CriteriaProto(const RequestCriteria& c) {
  v1::Criteria out;
  for (const auto& v : c.protocol_codes) out.add_protocol_codes(v);
  for (const auto& v : c.timepoint_codes) out.add_timepoint_codes(v);
  for (const auto& v : c.sample_types) out.add_sample_types(v);
  for (const auto& v : c.site_codes) out.add_site_codes(v);
  if (c.min_quantity) *out.mutable_min_quantity() = services::ToProto(*c.min_quantity);
  out.set_max_per_patient_timepoint(c.max_per_patient_timepoint);
  for (ConsentScope s : c.required_consent_scopes) {
    out.add_required_consent_scopes(static_cast<v1::ConsentScope>(static_cast<int>(s)));
  }
  out.set_allow_last_tube(!c.keep_last_tube);
  if (c.max_exposure_minutes) out.set_max_exposure_minutes(*c.max_exposure_minutes);
  if (c.max_exposure_celsius) out.set_max_exposure_celsius(*c.max_exposure_celsius);
  return out;
}

v1::SampleRequestStatus RequestStatusProto(const std::string& s) {
  if (s == kRequestSubmitted) return v1::SAMPLE_REQUEST_STATUS_SUBMITTED;
  if (s == kRequestApproved) return v1::SAMPLE_REQUEST_STATUS_APPROVED;
  if (s == kRequestRejected) return v1::SAMPLE_REQUEST_STATUS_REJECTED;
  if (s == kRequestPicked) return v1::SAMPLE_REQUEST_STATUS_PICKED;
  if (s == kRequestPacked) return v1::SAMPLE_REQUEST_STATUS_PACKED;
  if (s == kRequestShipped) return v1::SAMPLE_REQUEST_STATUS_SHIPPED;
  return v1::SAMPLE_REQUEST_STATUS_UNSPECIFIED;
}

v1::SampleRequest RequestProto(const db::SampleRequestRecord& r) {
  v1::SampleRequest out;
  out.set_id(std::to_string(r.id));
  out.set_code(r.code);
  out.set_title(r.title);
  out.set_ethics_reference(r.ethics_reference);
  auto criteria = CriteriaFromJson(r.criteria_json);
  if (criteria.ok()) *out.mutable_criteria() = CriteriaProto(*criteria);
  out.set_status(RequestStatusProto(r.status));
  out.set_submitted_by(r.submitted_by);
  *out.mutable_submitted_at() = services::ToProto(r.submitted_at);
  out.set_decided_by(r.decided_by);
  out.set_decision_reason(r.decision_reason);
  out.set_reserved_count(r.reserved_count);
  out.set_picked_count(r.picked_count);
  for (int64_t shipment : r.shipment_ids) out.add_shipment_ids(std::to_string(shipment));
  return out;
}

void PickItemProto(const db::RequestedTube& t, v1::PickListItem* out) {
  out->set_barcode(t.barcode);
  if (t.where) *out->mutable_location() = services::ToProto(*t.where);
  out->set_request_code(t.sample_code);
  out->set_picked(t.picked);
}

}  // namespace

grpc::Status RequestService::PreviewRequest(grpc::ServerContext* context,
                                            const v1::PreviewRequestRequest* request,
                                            v1::PreviewRequestResponse* response) {
  return gate_.Query(*context, Method("PreviewRequest"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::PreviewRequestResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(RequestCriteria c, CriteriaFromProto(request->criteria()));
                       LIMS_ASSIGN_OR_RETURN(RequestPreview p,
                                             services::CountMatchingSamples(tx, call, c));
                       out->set_matching_patients(p.patients);
                       out->set_matching_samples(p.samples);
                       for (const auto& [code, n] : p.by_timepoint) {
                         v1::TimepointCount* t = out->add_by_timepoint();
                         t->set_timepoint_code(code);
                         t->set_samples(n);
                       }
                       return absl::OkStatus();
                     });
}

grpc::Status RequestService::SubmitRequest(grpc::ServerContext* context,
                                           const v1::SubmitRequestRequest* request,
                                           v1::SubmitRequestResponse* response) {
  return gate_.Mutate(*context, Method("SubmitRequest"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::SubmitRequestResponse* out) -> absl::Status {
                        LIMS_ASSIGN_OR_RETURN(RequestCriteria c, CriteriaFromProto(request->criteria()));
                        LIMS_ASSIGN_OR_RETURN(
                            auto r,
                            services::FileRequest(
                                tx, call, {request->title(), request->ethics_reference(), c}));
                        *out->mutable_sample_request() = RequestProto(r);
                        return absl::OkStatus();
                      });
}

grpc::Status RequestService::ApproveRequest(grpc::ServerContext* context,
                                            const v1::ApproveRequestRequest* request,
                                            v1::ApproveRequestResponse* response) {
  return gate_.Mutate(*context, Method("ApproveRequest"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::ApproveRequestResponse* out) -> absl::Status {
                        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                        LIMS_ASSIGN_OR_RETURN(
                            auto r, services::ApproveAndReserve(tx, call, {id, request->reason()}));
                        *out->mutable_sample_request() = RequestProto(r);
                        return absl::OkStatus();
                      });
}

grpc::Status RequestService::RejectRequest(grpc::ServerContext* context,
                                           const v1::RejectRequestRequest* request,
                                           v1::RejectRequestResponse* response) {
  return gate_.Mutate(*context, Method("RejectRequest"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::RejectRequestResponse* out) -> absl::Status {
                        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                        LIMS_ASSIGN_OR_RETURN(
                            auto r, services::DeclineRequest(tx, call, {id, request->reason()}));
                        *out->mutable_sample_request() = RequestProto(r);
                        return absl::OkStatus();
                      });
}

grpc::Status RequestService::GetSampleRequest(grpc::ServerContext* context,
                                              const v1::GetSampleRequestRequest* request,
                                              v1::GetSampleRequestResponse* response) {
  return gate_.Query(*context, Method("GetSampleRequest"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::GetSampleRequestResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                       LIMS_ASSIGN_OR_RETURN(RequestView view, GetRequest(tx, call, id));
                       *out->mutable_sample_request() = RequestProto(view.request);
                       // Codes only: no barcode, no registry id, no place.
                       for (const db::RequestedTube& t : view.tubes) {
                         v1::RequestedSample* s = out->add_samples();
                         s->set_request_code(t.sample_code);
                         s->set_patient_code(t.patient_code);
                         s->set_protocol_code(t.protocol_code);
                         s->set_timepoint_code(t.timepoint_code);
                         s->set_sample_type(t.sample_type);
                         *s->mutable_quantity() = services::ToProto(t.quantity);
                         s->set_picked(t.picked);
                         s->set_withdrawn(t.withdrawn);
                       }
                       return absl::OkStatus();
                     });
}

grpc::Status RequestService::ListSampleRequests(grpc::ServerContext* context,
                                                const v1::ListSampleRequestsRequest* request,
                                                v1::ListSampleRequestsResponse* response) {
  return gate_.Query(*context, Method("ListSampleRequests"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::ListSampleRequestsResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
                       LIMS_ASSIGN_OR_RETURN(auto all, ListRequests(tx, call, page.after_id, page.size));
                       for (const auto& r : all) *out->add_sample_requests() = RequestProto(r);
                       out->set_next_page_token(NextPageToken(page, static_cast<int>(all.size()),
                                                              all.empty() ? 0 : all.back().id));
                       return absl::OkStatus();
                     });
}

grpc::Status RequestService::GetPickList(grpc::ServerContext* context,
                                         const v1::GetPickListRequest* request,
                                         v1::GetPickListResponse* response) {
  return gate_.Query(*context, Method("GetPickList"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::GetPickListResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                       LIMS_ASSIGN_OR_RETURN(auto list, PickList(tx, call, id));
                       std::set<int64_t> boxes;
                       for (const db::RequestedTube& t : list) {
                         PickItemProto(t, out->add_items());
                         if (t.where) boxes.insert(t.where->box_id);
                       }
                       out->set_boxes(static_cast<int>(boxes.size()));
                       return absl::OkStatus();
                     });
}

grpc::Status RequestService::PickTube(grpc::ServerContext* context,
                                      const v1::PickTubeRequest* request,
                                      v1::PickTubeResponse* response) {
  return gate_.Mutate(*context, Method("PickTube"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::PickTubeResponse* out) -> absl::Status {
                        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                        LIMS_ASSIGN_OR_RETURN(
                            PickResult r,
                            services::TickOffTube(tx, call, {id, request->barcode()}));
                        PickItemProto(r.tube, out->mutable_item());
                        out->set_remaining(r.remaining);
                        return absl::OkStatus();
                      });
}

grpc::Status RequestService::ShipRequest(grpc::ServerContext* context,
                                         const v1::ShipRequestRequest* request,
                                         v1::ShipRequestResponse* response) {
  return gate_.Mutate(*context, Method("ShipRequest"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::ShipRequestResponse* out) -> absl::Status {
                        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->sample_request_id(), "sample_request_id"));
                        NewShipment shipment{"", request->destination(),
                                             PackagingFromProto(request->packaging()),
                                             request->courier(), request->tracking_number(),
                                             request->logger_id(), request->notes()};
                        LIMS_ASSIGN_OR_RETURN(
                            ShippedRequest shipped,
                            services::PackRequestForShipping(tx, call, id, std::move(shipment)));
                        *out->mutable_sample_request() = RequestProto(shipped.request);
                        for (const Shipment& s : shipped.shipments) *out->add_shipments() = ShipmentProto(s);
                        return absl::OkStatus();
                      });
}

}  // namespace lims::services
