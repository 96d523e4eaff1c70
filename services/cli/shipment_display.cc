#include "shipment_display.h"

#include <iostream>
#include <map>

#include "cli.h"
#include "output.h"

namespace lims::cli {

void AddShipmentOptions(CLI::App* command, ShipmentArgs& args) {
  command->add_option("--to", args.to, "destination (centre and address)")->required();
  command->add_option("--packaging", args.packaging, "dry-ice, ln2, cold-packs or ambient")->required();
  command->add_option("--courier", args.courier, "courier");
  command->add_option("--tracking", args.tracking, "courier tracking number");
  command->add_option("--logger", args.logger, "temperature data-logger id");
  command->add_option("--notes", args.notes, "notes");
}

v1::Packaging ParsePackaging(const std::string& text) {
  static const std::map<std::string, v1::Packaging> names = {
      {"dry-ice", v1::PACKAGING_DRY_ICE},
      {"ln2", v1::PACKAGING_LN2_DRY_SHIPPER},
      {"cold-packs", v1::PACKAGING_COLD_PACKS},
      {"ambient", v1::PACKAGING_AMBIENT}};
  auto it = names.find(Trim(text));
  if (it == names.end()) {
    throw CliError(kExitUsage, "--packaging " + text + ": one of dry-ice, ln2, cold-packs, ambient");
  }
  return it->second;
}

std::string ShipmentStatusText(v1::ShipmentStatus s) {
  std::string name = v1::ShipmentStatus_Name(s);
  return name.substr(std::string("SHIPMENT_STATUS_").size());
}

void PrintShipment(const v1::Shipment& s) {
  std::cout << Style::Bold("Shipment " + s.id()) << "  "
            << (s.direction() == v1::SHIPMENT_DIRECTION_INCOMING ? "incoming from " : "from ")
            << s.from_site_code() << " to " << s.destination() << "  " << ShipmentStatusText(s.status())
            << ", " << s.item_count() << " tubes\n";
  if (!s.tracking_number().empty() || !s.logger_id().empty()) {
    std::cout << "courier " << s.courier() << ", tracking " << s.tracking_number() << ", logger "
              << s.logger_id() << "\n";
  }
  if (!s.sample_request_id().empty()) {
    std::cout << "carries sample request #" << s.sample_request_id()
              << " (its manifest names tubes by request code only)\n";
  }
  if (!s.manifest_digest().empty()) std::cout << "manifest digest " << s.manifest_digest() << "\n";
}

}  // namespace lims::cli
