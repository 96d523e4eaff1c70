// Shipments carrying a researcher's request (RequestService.ShipRequest): they hold the
// request's picked tubes only, and their manifest names each tube and patient by the codes
// minted for the request, never by barcode, registry id or collection date, so the research
// team cannot link the tubes back to a patient or to another request.
#ifndef LIMS_SERVICES_SHIPMENT_RESEARCH_SHIPMENT_H_
#define LIMS_SERVICES_SHIPMENT_RESEARCH_SHIPMENT_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/core/domain.h"
#include "lims/core/shipment.h"
#include "lims/db/database.h"

namespace lims::services {

// FAILED_PRECONDITION naming each of `samples` the shipment may not carry: on a request's
// shipment, anything but that request's picked tubes, or one whose patient no longer consents
// to what the request needs; on any other, a tube an open request holds (reserved or picked for
// it), which must leave under its request codes, or one whose patient withdrew consent to
// storage or research. Consent is read newest and locked (see db::PatientRepository::Lock), so
// a withdrawal committed a moment ago is never missed.
absl::Status CheckShipmentTubes(db::Tx& tx, const CallContext& call, const Shipment& shipment,
                                const std::vector<Sample>& samples);

// The researcher's manifest (kResearchManifestFormat), unsealed; `samples[i]` is the tube of
// `items[i]`. Refuses what CheckShipmentTubes refuses on a request's shipment.
absl::StatusOr<nlohmann::json> BuildResearchManifest(db::Tx& tx, const CallContext& call,
                                                     const Shipment& shipment,
                                                     const std::vector<ShipmentItem>& items,
                                                     const std::vector<Sample>& samples);

// One line per tube, from the frozen manifest.
std::string ResearchManifestCsv(const nlohmann::json& manifest);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_RESEARCH_SHIPMENT_H_
