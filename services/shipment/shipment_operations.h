// Shipment use cases on domain types, each inside the caller's transaction and audited:
// packing and dispatching at the origin (shipment_outgoing.cc), importing the manifest and
// receiving tube by tube at the destination (shipment_incoming.cc).
#ifndef LIMS_SERVICES_SHIPMENT_SHIPMENT_OPERATIONS_H_
#define LIMS_SERVICES_SHIPMENT_SHIPMENT_OPERATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/shipment.h"
#include "lims/db/database.h"
#include "signing.h"

namespace lims::services {

struct NewShipment {
  std::string from_site_code;
  std::string destination;
  std::optional<Packaging> packaging;
  std::string courier, tracking_number, logger_id, notes;
  // A researcher's request the shipment carries (RequestService.ShipRequest); 0: none.
  int64_t sample_request_id = 0;
};

struct ShipmentView {
  Shipment shipment;
  std::vector<ShipmentItem> items;
};

// The shipment if the caller works at its site (origin, or receiving site when incoming).
absl::StatusOr<Shipment> LoadShipment(db::Tx& tx, const CallContext& call, int64_t id);
// The same with its items.
absl::StatusOr<ShipmentView> LookUpShipment(db::Tx& tx, const CallContext& call, int64_t id);
absl::StatusOr<std::vector<Shipment>> ListShipmentPage(db::Tx& tx, const CallContext& call,
                                                       int64_t after_id, int limit);

absl::StatusOr<Shipment> OpenShipment(db::Tx& tx, const CallContext& call,
                                      const NewShipment& request);

struct TubesToPack {
  int64_t shipment_id = 0;
  std::vector<std::string> barcodes;
  std::vector<int64_t> box_ids;
};
// Adds the tubes (and every tube of the boxes) to a draft; returns the barcodes added. All or
// nothing: FAILED_PRECONDITION naming every refused tube (another site, not stored or checked
// out, already on the shipment).
absl::StatusOr<std::vector<std::string>> PackTubes(db::Tx& tx, const CallContext& call,
                                                   const TubesToPack& request);

// Every tube SHIPPED, its position freed; the manifest frozen with its digest and signed.
absl::StatusOr<Shipment> SealAndDispatch(db::Tx& tx, const CallContext& call, const SigningKey& key,
                                         int64_t shipment_id);

struct ExportedManifest {
  std::string json;
  std::string csv;
};
// FAILED_PRECONDITION for a draft (nothing is frozen yet), or when a tube's patient withdrew
// consent since (CheckShipmentTubes). A manifest dispatched before manifests were signed is
// signed with `key` on the way out.
absl::StatusOr<ExportedManifest> AssembleManifest(db::Tx& tx, const CallContext& call,
                                                  const SigningKey& key, int64_t shipment_id);

struct ImportResult {
  Shipment shipment;
  int sites_created = 0, patients_created = 0, protocols_created = 0, enrollments_created = 0;
  std::string signer_fingerprint;
  std::vector<std::string> signer_site_codes;  // empty: this installation's own key
};

struct ManifestToImport {
  const SigningKey* own = nullptr;  // the installation's key (never copied)
  std::string manifest_json;
  std::string receiving_site_code;
};
// INVALID_ARGUMENT for a manifest that does not check out: too large, not a manifest, a digest
// or signature that does not match, a signer not trusted here or revoked. FAILED_PRECONDITION
// when it names a site its signer is not trusted for, or a patient registered here at another
// site; ALREADY_EXISTS when it was imported before or one of its tubes is known here already.
// What it creates is audited as the caller's, on the signer's word.
absl::StatusOr<ImportResult> AcceptManifest(db::Tx& tx, const CallContext& call,
                                            const ManifestToImport& request);

struct ScannedTube {
  std::string barcode;
  ItemCondition condition = ItemCondition::kOk;
};
struct ReceiptResult {
  std::vector<ShipmentItem> received;    // by this call
  std::vector<ShipmentItem> missing;     // expected, not received yet
  std::vector<ShipmentItem> unexpected;  // all so far
  std::vector<std::string> already_received;
  Shipment shipment;
};

struct TubesArrived {
  int64_t shipment_id = 0;
  std::vector<ScannedTube> tubes;
};
absl::StatusOr<ReceiptResult> CheckInTubes(db::Tx& tx, const CallContext& call,
                                           const TubesArrived& request);

struct DiscrepancyResolution {
  int64_t shipment_id = 0;
  std::string barcode;
  std::string reason;
};
absl::StatusOr<ShipmentItem> SettleDiscrepancy(db::Tx& tx, const CallContext& call,
                                               const DiscrepancyResolution& request);

absl::StatusOr<Shipment> FinishShipment(db::Tx& tx, const CallContext& call, int64_t shipment_id);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_SHIPMENT_OPERATIONS_H_
