// The "shipment" part of both manifests (an installation's and a researcher's): destination,
// packaging, courier, tracking, logger, notes, and who dispatched it when.
#ifndef LIMS_SERVICES_SHIPMENT_DISPATCH_JSON_H_
#define LIMS_SERVICES_SHIPMENT_DISPATCH_JSON_H_

#include <nlohmann/json.hpp>

#include "call_context.h"
#include "lims/core/shipment.h"

namespace lims::services {

nlohmann::json DispatchJson(const Shipment& shipment, const CallContext& call);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_DISPATCH_JSON_H_
