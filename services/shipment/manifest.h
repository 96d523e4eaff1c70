// The shipment manifest exchanged between installations: one JSON document carrying everything
// the receiver needs to register the tubes (origin site, protocols with their schedules,
// pseudonymous patients with their enrollments and consent, tubes with lineage, type, quantity,
// timepoint, SPREC and freeze-thaw count, where each was packed from), with a SHA-256 digest
// over its canonical form (keys sorted, no spaces) for people, and the sending installation's
// Ed25519 signature over the same form with the digest, for the receiving installation: the
// digest alone proves nothing, anyone who edits a manifest can recompute it.
#ifndef LIMS_SERVICES_SHIPMENT_MANIFEST_H_
#define LIMS_SERVICES_SHIPMENT_MANIFEST_H_

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "signing.h"

namespace lims::services {

inline constexpr char kManifestFormat[] = "lims-shipment-manifest/1";
// A researcher's manifest (research_shipment.h): tubes by request code only, sealed the same way.
inline constexpr char kResearchManifestFormat[] = "lims-research-manifest/1";

// `manifest` with "digest" added, then "signature" ({"public_key", "fingerprint", "value"}) by
// `key` over the canonical text of everything else; any digest or signature it had is replaced.
// Returns the digest.
std::string SealManifest(nlohmann::json& manifest, const SigningKey& key);

// The manifest, once its size, format and digest check out. INVALID_ARGUMENT, saying what is
// wrong: too large or deeply nested, not JSON, another format, no digest, or a digest that does
// not match (changed in transit). Whether its signer is trusted is ManifestSigner's question.
absl::StatusOr<nlohmann::json> OpenManifest(const std::string& text,
                                            std::string_view format = kManifestFormat);

// The public key that signed an opened manifest, once the signature checks out: INVALID_ARGUMENT
// for an unsigned manifest or a signature that does not match its content (a changed byte).
absl::StatusOr<std::string> ManifestSigner(const nlohmann::json& manifest);

// True when the manifest carries a signature (manifests dispatched before signing existed do not).
bool IsSigned(const nlohmann::json& manifest);

// One CSV line per tube of the manifest, for people: a header of the columns' names, then each
// tube's values of their keys ("" where a tube has none), quoted where needed.
struct CsvColumn {
  const char* header;
  const char* key;
};
std::string ManifestCsv(const nlohmann::json& manifest, const std::vector<CsvColumn>& columns);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_MANIFEST_H_
