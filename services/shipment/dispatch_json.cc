#include "dispatch_json.h"

#include <string>

#include "absl/time/time.h"

namespace lims::services {

nlohmann::json DispatchJson(const Shipment& shipment, const CallContext& call) {
  return {{"destination", shipment.destination},
          {"packaging", std::string(PackagingName(shipment.packaging))},
          {"courier", shipment.courier},
          {"tracking_number", shipment.tracking_number},
          {"logger_id", shipment.logger_id},
          {"notes", shipment.notes},
          {"dispatched_by", call.actor},
          {"dispatched_at", absl::FormatTime(absl::RFC3339_sec, call.now, absl::UTCTimeZone())}};
}

}  // namespace lims::services
