// The shipment manifest exchanged between installations: one JSON document carrying everything
// the receiver needs to register the tubes (origin site, protocols with their schedules,
// pseudonymous patients with their enrollments and consent, tubes with lineage, type, quantity,
// timepoint, SPREC and freeze-thaw count, where each was packed from), sealed with a SHA-256
// digest over its canonical form (keys sorted, no spaces) so any change in transit is seen.
#ifndef LIMS_SERVICES_SHIPMENT_MANIFEST_H_
#define LIMS_SERVICES_SHIPMENT_MANIFEST_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace lims::services {

inline constexpr char kManifestFormat[] = "lims-shipment-manifest/1";
// A researcher's manifest (research_shipment.h): tubes by request code only, sealed the same way.
inline constexpr char kResearchManifestFormat[] = "lims-research-manifest/1";

// `manifest` (without a digest) with "digest" added; the digest is also returned.
std::string SealManifest(nlohmann::json& manifest);

// The manifest, once its format and digest check out. INVALID_ARGUMENT, saying what is wrong:
// not JSON, another format, no digest, or a digest that does not match (changed in transit).
absl::StatusOr<nlohmann::json> OpenManifest(const std::string& text,
                                            std::string_view format = kManifestFormat);

// One CSV line per tube of the manifest, for people: a header of the columns' names, then each
// tube's values of their keys ("" where a tube has none), quoted where needed.
struct CsvColumn {
  const char* header;
  const char* key;
};
std::string ManifestCsv(const nlohmann::json& manifest, const std::vector<CsvColumn>& columns);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_MANIFEST_H_
