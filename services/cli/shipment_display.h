// Shipments on the command line, for lims ship and lims request ship: the options describing a
// shipment, the --packaging names and a shipment's summary lines.
#ifndef LIMS_CLI_SHIPMENT_DISPLAY_H_
#define LIMS_CLI_SHIPMENT_DISPLAY_H_

#include <string>

#include <CLI/CLI.hpp>

#include "lims/v1/shipment.pb.h"

namespace lims::cli {

// "dry-ice", "ln2", "cold-packs", "ambient"; CliError (usage) for anything else.
v1::Packaging ParsePackaging(const std::string& text);

// --to (required), --packaging (required), --courier, --tracking, --logger, --notes.
struct ShipmentArgs {
  std::string to, packaging, courier, tracking, logger, notes;
};
void AddShipmentOptions(CLI::App* command, ShipmentArgs& args);

// Sets destination, packaging, courier, tracking number, logger id and notes on a
// CreateShipmentRequest or a ShipRequestRequest.
template <typename Request>
void FillShipment(const ShipmentArgs& args, Request* request) {
  request->set_destination(args.to);
  request->set_packaging(ParsePackaging(args.packaging));
  request->set_courier(args.courier);
  request->set_tracking_number(args.tracking);
  request->set_logger_id(args.logger);
  request->set_notes(args.notes);
}

// "DRAFT", "DISPATCHED", ...
std::string ShipmentStatusText(v1::ShipmentStatus s);
void PrintShipment(const v1::Shipment& s);

}  // namespace lims::cli

#endif  // LIMS_CLI_SHIPMENT_DISPLAY_H_
