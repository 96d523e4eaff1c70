// Shipments on the command line, for lims ship and lims request ship: the --packaging names and
// a shipment's summary lines.
#ifndef LIMS_CLI_SHIPMENT_DISPLAY_H_
#define LIMS_CLI_SHIPMENT_DISPLAY_H_

#include <string>

#include "lims/v1/shipment.pb.h"

namespace lims::cli {

// "dry-ice", "ln2", "cold-packs", "ambient"; CliError (usage) for anything else.
v1::Packaging ParsePackaging(const std::string& text);
// "DRAFT", "DISPATCHED", ...
std::string ShipmentStatusText(v1::ShipmentStatus s);
void PrintShipment(const v1::Shipment& s);

}  // namespace lims::cli

#endif  // LIMS_CLI_SHIPMENT_DISPLAY_H_
