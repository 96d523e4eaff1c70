#include "shipment_service.h"

#include "convert.h"
#include "packing_list.h"
#include "paging.h"
#include "shipment_convert.h"
#include "shipment_operations.h"
#include "status_macros.h"
#include "trust_operations.h"

namespace lims::services {
namespace {

constexpr char kPrefix[] = "lims.v1.ShipmentService.";

std::string Method(const char* name) { return std::string(kPrefix) + name; }

v1::ItemCondition ConditionProto(std::optional<ItemCondition> c) {
  if (!c) return v1::ITEM_CONDITION_UNSPECIFIED;
  switch (*c) {
    case ItemCondition::kOk: return v1::ITEM_CONDITION_OK;
    case ItemCondition::kThawed: return v1::ITEM_CONDITION_THAWED;
    case ItemCondition::kDamaged: return v1::ITEM_CONDITION_DAMAGED;
  }
  return v1::ITEM_CONDITION_UNSPECIFIED;
}

void ItemProto(const ShipmentItem& item, v1::ShipmentItem* out) {
  out->set_barcode(item.barcode);
  out->set_sample_type(item.sample_type);
  if (item.state != ItemState::kUnexpected) *out->mutable_quantity() = ToProto(item.quantity);
  out->set_packed_box(item.packed_box);
  out->set_packed_position(item.packed_position);
  out->set_state(std::string(ItemStateName(item.state)));
  out->set_condition(ConditionProto(item.condition));
  out->set_resolution(item.resolution);
}

void TrustedKeyProto(const db::TrustedKeyRecord& k, v1::TrustedKey* out) {
  out->set_site_code(k.site_code);
  out->set_public_key(k.public_key);
  out->set_fingerprint(k.fingerprint);
  out->set_reason(k.reason);
  out->set_added_by(k.added_by);
  *out->mutable_added_at() = ToProto(k.added_at);
  out->set_revoked(k.revoked());
  if (k.revoked()) {
    out->set_revoked_by(k.revoked_by);
    *out->mutable_revoked_at() = ToProto(k.revoked_at);
    out->set_revoke_reason(k.revoke_reason);
  }
}

}  // namespace

grpc::Status ShipmentService::CreateShipment(grpc::ServerContext* context,
                                             const v1::CreateShipmentRequest* request,
                                             v1::CreateShipmentResponse* response) {
  return gate_.Mutate(*context, Method("CreateShipment"), *request, response,
                      [&](db::Tx& tx, const CallContext& call, v1::CreateShipmentResponse* out) -> absl::Status {
                        NewShipment n{request->from_site_code(), request->destination(),
                                      PackagingFromProto(request->packaging()), request->courier(),
                                      request->tracking_number(), request->logger_id(),
                                      request->notes()};
                        LIMS_ASSIGN_OR_RETURN(Shipment s, services::OpenShipment(tx, call, n));
                        *out->mutable_shipment() = ShipmentProto(s);
                        return absl::OkStatus();
                      });
}

grpc::Status ShipmentService::GetShipment(grpc::ServerContext* context,
                                          const v1::GetShipmentRequest* request,
                                          v1::GetShipmentResponse* response) {
  return gate_.Query(*context, Method("GetShipment"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::GetShipmentResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
                       LIMS_ASSIGN_OR_RETURN(ShipmentView view,
                                             services::LookUpShipment(tx, call, id));
                       *out->mutable_shipment() = ShipmentProto(view.shipment);
                       for (const ShipmentItem& item : view.items) ItemProto(item, out->add_items());
                       return absl::OkStatus();
                     });
}

grpc::Status ShipmentService::ListShipments(grpc::ServerContext* context,
                                            const v1::ListShipmentsRequest* request,
                                            v1::ListShipmentsResponse* response) {
  return gate_.Query(*context, Method("ListShipments"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::ListShipmentsResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(Page page, ParsePage(request->page_size(), request->page_token()));
                       LIMS_ASSIGN_OR_RETURN(auto all, services::ListShipmentPage(
                                                           tx, call, page.after_id, page.size));
                       for (const Shipment& s : all) *out->add_shipments() = ShipmentProto(s);
                       out->set_next_page_token(NextPageToken(page, static_cast<int>(all.size()),
                                                              all.empty() ? 0 : all.back().id));
                       return absl::OkStatus();
                     });
}

grpc::Status ShipmentService::AddShipmentItems(grpc::ServerContext* context,
                                               const v1::AddShipmentItemsRequest* request,
                                               v1::AddShipmentItemsResponse* response) {
  return gate_.Mutate(
      *context, Method("AddShipmentItems"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::AddShipmentItemsResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
        std::vector<int64_t> boxes;
        for (const std::string& box : request->box_ids()) {
          LIMS_ASSIGN_OR_RETURN(int64_t box_id, ParseId(box, "box_ids"));
          boxes.push_back(box_id);
        }
        const std::vector<std::string> barcodes(request->barcodes().begin(), request->barcodes().end());
        LIMS_ASSIGN_OR_RETURN(auto added, services::PackTubes(tx, call, {id, barcodes, boxes}));
        for (const std::string& b : added) out->add_added(b);
        LIMS_ASSIGN_OR_RETURN(Shipment s, LoadShipment(tx, call, id));
        *out->mutable_shipment() = ShipmentProto(s);
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::DispatchShipment(grpc::ServerContext* context,
                                               const v1::DispatchShipmentRequest* request,
                                               v1::DispatchShipmentResponse* response) {
  return gate_.Mutate(
      *context, Method("DispatchShipment"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::DispatchShipmentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
        LIMS_ASSIGN_OR_RETURN(Shipment s, services::SealAndDispatch(tx, call, key_, id));
        *out->mutable_shipment() = ShipmentProto(s);
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::ExportManifest(grpc::ServerContext* context,
                                             const v1::ExportManifestRequest* request,
                                             v1::ExportManifestResponse* response) {
  return gate_.Query(*context, Method("ExportManifest"), response,
                     [&](db::Tx& tx, const CallContext& call, v1::ExportManifestResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
                       LIMS_ASSIGN_OR_RETURN(ExportedManifest m,
                                             services::AssembleManifest(tx, call, key_, id));
                       out->set_manifest_json(m.json);
                       out->set_manifest_csv(m.csv);
                       if (request->packing_list_pdf()) {
                         LIMS_ASSIGN_OR_RETURN(*out->mutable_packing_list_pdf(),
                                               PackingListPdfOf(m.json));
                       }
                       return absl::OkStatus();
                     });
}

grpc::Status ShipmentService::ImportManifest(grpc::ServerContext* context,
                                             const v1::ImportManifestRequest* request,
                                             v1::ImportManifestResponse* response) {
  return gate_.Mutate(
      *context, Method("ImportManifest"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ImportManifestResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(
            ImportResult r,
            services::AcceptManifest(
                tx, call, {&key_, request->manifest_json(), request->receiving_site_code()}));
        *out->mutable_shipment() = ShipmentProto(r.shipment);
        out->set_sites_created(r.sites_created);
        out->set_patients_created(r.patients_created);
        out->set_protocols_created(r.protocols_created);
        out->set_enrollments_created(r.enrollments_created);
        out->set_signer_fingerprint(r.signer_fingerprint);
        for (const std::string& site : r.signer_site_codes) out->add_signer_site_codes(site);
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::ReceiveShipment(grpc::ServerContext* context,
                                              const v1::ReceiveShipmentRequest* request,
                                              v1::ReceiveShipmentResponse* response) {
  return gate_.Mutate(
      *context, Method("ReceiveShipment"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ReceiveShipmentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
        std::vector<ScannedTube> tubes;
        for (const v1::ReceivedItem& item : request->items()) {
          ScannedTube tube{item.barcode(), ItemCondition::kOk};
          if (item.condition() == v1::ITEM_CONDITION_THAWED) tube.condition = ItemCondition::kThawed;
          if (item.condition() == v1::ITEM_CONDITION_DAMAGED) tube.condition = ItemCondition::kDamaged;
          tubes.push_back(std::move(tube));
        }
        LIMS_ASSIGN_OR_RETURN(ReceiptResult r, services::CheckInTubes(tx, call, {id, tubes}));
        for (const ShipmentItem& i : r.received) ItemProto(i, out->add_received());
        for (const ShipmentItem& i : r.missing) ItemProto(i, out->add_missing());
        for (const ShipmentItem& i : r.unexpected) ItemProto(i, out->add_unexpected());
        for (const std::string& b : r.already_received) out->add_already_received(b);
        *out->mutable_shipment() = ShipmentProto(r.shipment);
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::ResolveDiscrepancy(grpc::ServerContext* context,
                                                 const v1::ResolveDiscrepancyRequest* request,
                                                 v1::ResolveDiscrepancyResponse* response) {
  return gate_.Mutate(
      *context, Method("ResolveDiscrepancy"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::ResolveDiscrepancyResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
        LIMS_ASSIGN_OR_RETURN(
            ShipmentItem item,
            services::SettleDiscrepancy(tx, call, {id, request->barcode(), request->reason()}));
        ItemProto(item, out->mutable_item());
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::CloseShipment(grpc::ServerContext* context,
                                            const v1::CloseShipmentRequest* request,
                                            v1::CloseShipmentResponse* response) {
  return gate_.Mutate(
      *context, Method("CloseShipment"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::CloseShipmentResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(int64_t id, ParseId(request->shipment_id(), "shipment_id"));
        LIMS_ASSIGN_OR_RETURN(Shipment s, services::FinishShipment(tx, call, id));
        *out->mutable_shipment() = ShipmentProto(s);
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::GetSigningKey(grpc::ServerContext* context,
                                            const v1::GetSigningKeyRequest*,
                                            v1::GetSigningKeyResponse* response) {
  return gate_.Query(*context, Method("GetSigningKey"), response,
                     [&](db::Tx&, const CallContext&, v1::GetSigningKeyResponse* out) -> absl::Status {
                       out->set_public_key(key_.public_key());
                       out->set_fingerprint(key_.fingerprint());
                       return absl::OkStatus();
                     });
}

grpc::Status ShipmentService::AddTrustedKey(grpc::ServerContext* context,
                                            const v1::AddTrustedKeyRequest* request,
                                            v1::AddTrustedKeyResponse* response) {
  return gate_.Mutate(
      *context, Method("AddTrustedKey"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::AddTrustedKeyResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(
            db::TrustedKeyRecord k,
            TrustKey(tx, call,
                     {&key_, request->site_code(), request->public_key(), request->reason()}));
        TrustedKeyProto(k, out->mutable_key());
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::RevokeTrustedKey(grpc::ServerContext* context,
                                               const v1::RevokeTrustedKeyRequest* request,
                                               v1::RevokeTrustedKeyResponse* response) {
  return gate_.Mutate(
      *context, Method("RevokeTrustedKey"), *request, response,
      [&](db::Tx& tx, const CallContext& call, v1::RevokeTrustedKeyResponse* out) -> absl::Status {
        LIMS_ASSIGN_OR_RETURN(auto keys,
                              RevokeKey(tx, call, {request->fingerprint(), request->reason()}));
        for (const db::TrustedKeyRecord& k : keys) TrustedKeyProto(k, out->add_keys());
        return absl::OkStatus();
      });
}

grpc::Status ShipmentService::ListTrustedKeys(grpc::ServerContext* context,
                                              const v1::ListTrustedKeysRequest*,
                                              v1::ListTrustedKeysResponse* response) {
  return gate_.Query(*context, Method("ListTrustedKeys"), response,
                     [&](db::Tx& tx, const CallContext&, v1::ListTrustedKeysResponse* out) -> absl::Status {
                       LIMS_ASSIGN_OR_RETURN(auto keys, ListKeys(tx));
                       for (const db::TrustedKeyRecord& k : keys) TrustedKeyProto(k, out->add_keys());
                       return absl::OkStatus();
                     });
}

}  // namespace lims::services
