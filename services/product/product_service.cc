#include "product_service.h"

#include "absl/strings/str_cat.h"
#include "convert.h"
#include "lims/core/isbt128.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/patients.h"
#include "paging.h"
#include "product_operations.h"
#include "status_macros.h"

namespace lims::services {
namespace {

std::string Method(const char* name) { return absl::StrCat("lims.v1.ProductService.", name); }

// The proto enums follow lims-core's order, offset by their UNSPECIFIED zero.
v1::ProductKind ToProto(ProductKind kind) {
  return static_cast<v1::ProductKind>(static_cast<int>(kind) + 1);
}
v1::ProductStatus ToProto(ProductStatus status) {
  return static_cast<v1::ProductStatus>(static_cast<int>(status) + 1);
}

absl::StatusOr<ProductKind> KindFromProto(v1::ProductKind kind) {
  switch (kind) {
    case v1::PRODUCT_KIND_APHERESIS:
      return ProductKind::kApheresis;
    case v1::PRODUCT_KIND_HSC:
      return ProductKind::kHsc;
    case v1::PRODUCT_KIND_MSC:
      return ProductKind::kMsc;
    case v1::PRODUCT_KIND_CAR_T:
      return ProductKind::kCarT;
    case v1::PRODUCT_KIND_OTHER:
      return ProductKind::kOther;
    default:
      return absl::InvalidArgumentError(
          "kind must be PRODUCT_KIND_APHERESIS, _HSC, _MSC, _CAR_T or _OTHER");
  }
}

v1::CustodyEvent StepToProto(CustodyStep step) {
  switch (step) {
    case CustodyStep::kCollected:
      return v1::CUSTODY_EVENT_COLLECTED;
    case CustodyStep::kRegistered:
      return v1::CUSTODY_EVENT_REGISTERED;
    case CustodyStep::kShipped:
      return v1::CUSTODY_EVENT_SHIPPED_TO_MANUFACTURER;
    case CustodyStep::kReceived:
      return v1::CUSTODY_EVENT_RECEIVED;
    case CustodyStep::kReceiptRefused:
      return v1::CUSTODY_EVENT_RECEIPT_REFUSED;
    case CustodyStep::kStored:
      return v1::CUSTODY_EVENT_STORED;
    case CustodyStep::kThawed:
      return v1::CUSTODY_EVENT_THAWED;
    case CustodyStep::kIssued:
      return v1::CUSTODY_EVENT_ISSUED;
    case CustodyStep::kIssueRefused:
      return v1::CUSTODY_EVENT_ISSUE_REFUSED;
    case CustodyStep::kIssueConfirmed:
      return v1::CUSTODY_EVENT_ISSUE_CONFIRMED;
    case CustodyStep::kInfused:
      return v1::CUSTODY_EVENT_INFUSED;
    case CustodyStep::kReturned:
      return v1::CUSTODY_EVENT_RETURNED;
    case CustodyStep::kDiscarded:
      return v1::CUSTODY_EVENT_DISCARDED;
  }
  return v1::CUSTODY_EVENT_UNSPECIFIED;
}

absl::StatusOr<CustodyStep> StepFromProto(v1::CustodyEvent event) {
  for (CustodyStep step : {CustodyStep::kShipped, CustodyStep::kReceived, CustodyStep::kStored,
                           CustodyStep::kThawed, CustodyStep::kReturned, CustodyStep::kDiscarded}) {
    if (StepToProto(step) == event) return step;
  }
  return absl::InvalidArgumentError(
      "event must be CUSTODY_EVENT_SHIPPED_TO_MANUFACTURER, _RECEIVED, _STORED, _THAWED, "
      "_RETURNED or _DISCARDED; issues and infusions have their own calls");
}

void ToProto(const Product& p, v1::Product* out) {
  out->set_id(std::to_string(p.id));
  out->set_din(p.din);
  if (auto din = ParseDin(p.din); din.ok()) out->set_din_printed(din->Printed());
  out->set_coi(p.coi);
  out->set_kind(ToProto(p.kind));
  out->set_status(ToProto(p.status));
  out->set_product_code(p.product_code);
  out->set_patient_registry_id(p.patient_registry_id);
  out->set_enrollment_id(std::to_string(p.enrollment_id));
  out->set_timepoint_code(p.timepoint_code);
  if (!p.volume.is_zero()) *out->mutable_volume() = services::ToProto(p.volume);
  out->set_cell_count(p.cell_count);
  out->set_viability_percent(p.viability_percent);
  out->set_batch(p.batch);
  if (p.expires_on) out->set_expires_on(FormatIsoDate(*p.expires_on));
  out->set_source_din(p.source_din);
  if (p.unit_id) out->set_unit_id(std::to_string(p.unit_id));
  out->set_unit_path(p.unit_path);
  out->set_slot(p.slot);
  out->set_site_code(p.site_code);
}

}  // namespace

grpc::Status ProductService::RegisterProduct(grpc::ServerContext* context,
                                             const v1::RegisterProductRequest* request,
                                             v1::RegisterProductResponse* response) {
  return gate_.Mutate(
      *context, Method("RegisterProduct"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RegisterProductResponse* out) -> absl::Status {
        ProductRegistration r;
        LIMS_ASSIGN_OR_RETURN(r.kind, KindFromProto(request->kind()));
        r.din = request->din();
        r.product_code = request->product_code();
        LIMS_ASSIGN_OR_RETURN(r.patient_id, ParseId(request->patient_id(), "patient_id"));
        LIMS_ASSIGN_OR_RETURN(r.enrollment_id, ParseId(request->enrollment_id(), "enrollment_id"));
        r.timepoint_code = request->timepoint_code();
        if (request->has_volume()) {
          LIMS_ASSIGN_OR_RETURN(Quantity volume, FromProto(request->volume(), "volume"));
          r.volume = volume;
        }
        r.cell_count = request->cell_count();
        r.viability_percent = request->viability_percent();
        r.batch = request->batch();
        r.expires_on = request->expires_on();
        r.source_din = request->source_din();
        LIMS_ASSIGN_OR_RETURN(Product p, services::RegisterProduct(tx, call, r));
        ToProto(p, out->mutable_product());
        return absl::OkStatus();
      });
}

grpc::Status ProductService::RecordCustodyEvent(grpc::ServerContext* context,
                                                const v1::RecordCustodyEventRequest* request,
                                                v1::RecordCustodyEventResponse* response) {
  return gate_.MutateAnswering(
      *context, Method("RecordCustodyEvent"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RecordCustodyEventResponse* out,
          absl::Status* refusal) -> absl::Status {
        CustodyRequest r;
        r.din = request->din();
        LIMS_ASSIGN_OR_RETURN(r.step, StepFromProto(request->event()));
        r.reason = request->reason();
        r.expected_coi = request->expected_coi();
        r.expected_patient = request->expected_patient_registry_id();
        if (!request->unit_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(r.unit_id, ParseId(request->unit_id(), "unit_id"));
        }
        r.slot = request->slot();
        r.destination = request->destination();
        LIMS_ASSIGN_OR_RETURN(ProductAnswer answer, RecordCustody(tx, call, r));
        ToProto(answer.product, out->mutable_product());
        *refusal = answer.refusal;
        return absl::OkStatus();
      });
}

grpc::Status ProductService::IssueProduct(grpc::ServerContext* context,
                                          const v1::IssueProductRequest* request,
                                          v1::IssueProductResponse* response) {
  return gate_.MutateAnswering(
      *context, Method("IssueProduct"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::IssueProductResponse* out,
          absl::Status* refusal) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(
            ProductAnswer answer,
            services::IssueProduct(tx, call, request->din(), request->patient_registry_id()));
        if (answer.issue_id) out->set_issue_id(std::to_string(answer.issue_id));
        ToProto(answer.product, out->mutable_product());
        *refusal = answer.refusal;
        return absl::OkStatus();
      });
}

grpc::Status ProductService::ConfirmIssue(grpc::ServerContext* context,
                                          const v1::ConfirmIssueRequest* request,
                                          v1::ConfirmIssueResponse* response) {
  return gate_.Mutate(
      *context, Method("ConfirmIssue"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ConfirmIssueResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->issue_id(), "issue_id"));
        LIMS_ASSIGN_OR_RETURN(Product p, services::ConfirmIssue(tx, call, id));
        ToProto(p, out->mutable_product());
        return absl::OkStatus();
      });
}

grpc::Status ProductService::RecordInfusion(grpc::ServerContext* context,
                                            const v1::RecordInfusionRequest* request,
                                            v1::RecordInfusionResponse* response) {
  return gate_.Mutate(
      *context, Method("RecordInfusion"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RecordInfusionResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Product p, services::RecordInfusion(tx, call, request->din()));
        ToProto(p, out->mutable_product());
        return absl::OkStatus();
      });
}

grpc::Status ProductService::GetChainOfIdentity(grpc::ServerContext* context,
                                                const v1::GetChainOfIdentityRequest* request,
                                                v1::GetChainOfIdentityResponse* response) {
  return gate_.Query(*context, Method("GetChainOfIdentity"), response,
                     [&](db::Tx& tx, const CallContext& call,
                         v1::GetChainOfIdentityResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(Chain chain,
                                             ChainOfIdentity(tx, call,
                                                             {request->coi(), request->din(),
                                                              request->patient_registry_id()}));
                       out->set_coi(chain.therapy.coi);
                       out->set_patient_registry_id(chain.patient_registry_id);
                       for (const Product& p : chain.materials) {
                         v1::ChainMaterial* m = out->add_materials();
                         m->set_din(p.din);
                         m->set_kind(ToProto(p.kind));
                         m->set_status(ToProto(p.status));
                         m->set_source_din(p.source_din);
                         m->set_product_code(p.product_code);
                         m->set_unit_path(p.unit_path);
                         m->set_slot(p.slot);
                       }
                       for (const db::CustodyRecord& e : chain.events) {
                         v1::ChainEvent* event = out->add_events();
                         *event->mutable_at() = services::ToProto(e.at);
                         event->set_actor(e.actor);
                         event->set_event(StepToProto(e.step));
                         event->set_where(e.place);
                         event->set_why(e.reason);
                         event->set_din(e.din);
                       }
                       for (const std::string& coi : chain.other_cois) out->add_other_cois(coi);
                       for (const std::string& barcode : chain.sample_barcodes)
                         out->add_sample_barcodes(barcode);
                       return absl::OkStatus();
                     });
}

grpc::Status ProductService::DeriveProductSamples(grpc::ServerContext* context,
                                                  const v1::DeriveProductSamplesRequest* request,
                                                  v1::DeriveProductSamplesResponse* response) {
  return gate_.Mutate(
      *context, Method("DeriveProductSamples"), *request, response,
      [&](db::Tx& tx, const CallContext& call,
          v1::DeriveProductSamplesResponse* out) -> absl::Status {
        ProductSamplesCommand command{request->din(), request->sample_type(), request->count(), {}};
        LIMS_ASSIGN_OR_RETURN(command.quantity_each,
                              FromProto(request->quantity_each(), "quantity_each"));
        LIMS_ASSIGN_OR_RETURN(auto samples, services::DeriveProductSamples(tx, call, command));
        for (const Sample& s : samples) *out->add_samples() = services::ToProto(s);
        return absl::OkStatus();
      });
}

grpc::Status ProductService::ListProducts(grpc::ServerContext* context,
                                          const v1::ListProductsRequest* request,
                                          v1::ListProductsResponse* response) {
  return gate_.Query(
      *context, Method("ListProducts"), response,
      [&](db::Tx& tx, const CallContext& call, v1::ListProductsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
        db::ProductFilter filter;
        filter.site_ids = call.principal.site_ids;
        filter.all_sites = call.principal.role == Role::kAdmin;
        if (request->status() != v1::PRODUCT_STATUS_UNSPECIFIED) {
          if (!v1::ProductStatus_IsValid(request->status())) {
            return absl::InvalidArgumentError("unknown status");
          }
          filter.status = static_cast<ProductStatus>(static_cast<int>(request->status()) - 1);
        }
        if (!request->patient_registry_id().empty()) {
          LIMS_ASSIGN_OR_RETURN(Patient patient, db::PatientRepository(tx).FindByRegistryId(
                                                     request->patient_registry_id()));
          filter.patient_id = patient.id;
        }
        filter.after_id = page.after_id;
        filter.limit = page.size;
        LIMS_ASSIGN_OR_RETURN(auto products, db::ProductRepository(tx).List(filter));
        for (const Product& p : products) ToProto(p, out->add_products());
        out->set_next_page_token(NextPageToken(page, static_cast<int>(products.size()),
                                               products.empty() ? 0 : products.back().id));
        return absl::OkStatus();
      });
}

}  // namespace lims::services
