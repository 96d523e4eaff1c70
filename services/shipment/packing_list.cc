#include "packing_list.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lims/labels/packing_list.h"

namespace lims::services {

absl::StatusOr<std::string> PackingListPdfOf(const std::string& manifest_json) {
  const nlohmann::json m = nlohmann::json::parse(manifest_json, nullptr, false);
  if (m.is_discarded() || !m.contains("tubes") || !m["tubes"].is_array()) {
    return absl::InternalError("the manifest could not be read for the packing list");
  }
  const nlohmann::json origin = m.value("origin", nlohmann::json::object());
  const nlohmann::json info = m.value("shipment", nlohmann::json::object());
  labels::PackingList list;
  list.title = absl::StrCat("Packing list: shipment ", origin.value("site_code", ""), "-",
                            origin.value("shipment_id", nlohmann::json()).dump());
  list.destination = info.value("destination", "");
  list.transport = absl::StrCat(
      "Packaging ", info.value("packaging", ""), "   courier ", info.value("courier", ""),
      "   tracking ", info.value("tracking_number", ""), "   logger ", info.value("logger_id", ""));
  list.dispatched = absl::StrCat("Dispatched ", info.value("dispatched_at", ""), " by ",
                                 info.value("dispatched_by", ""));
  list.digest = m.value("digest", "");
  for (const auto& t : m["tubes"]) {
    // A researcher's manifest knows tubes and patients by their request codes only.
    list.lines.push_back(
        {t.value("barcode", t.value("request_code", "")), t.value("sample_type", ""),
         t.value("quantity_text", ""), t.value("patient_registry_id", t.value("patient_code", "")),
         absl::StrCat(t.value("protocol_code", ""), " ", t.value("timepoint_code", "")),
         absl::StrCat(t.value("packed_box", ""), " ", t.value("packed_position", ""))});
  }
  return labels::PackingListPdf(list);
}

}  // namespace lims::services
