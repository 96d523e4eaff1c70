#include "manifest.h"

#include "absl/strings/str_cat.h"
#include "tokens.h"

namespace lims::services {
namespace {

// Keys sorted (nlohmann's object is a std::map), no white space: the same text on both sides.
std::string DigestOf(const nlohmann::json& manifest) { return Sha256Hex(manifest.dump()); }

}  // namespace

std::string SealManifest(nlohmann::json& manifest) {
  manifest.erase("digest");
  const std::string digest = DigestOf(manifest);
  manifest["digest"] = digest;
  return digest;
}

absl::StatusOr<nlohmann::json> OpenManifest(const std::string& text) {
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    return absl::InvalidArgumentError(
        "manifest_json is not a JSON object; send the file lims ship export wrote, unchanged");
  }
  if (manifest.value("format", "") != kManifestFormat) {
    return absl::InvalidArgumentError(absl::StrCat(
        "manifest_json is not a ", kManifestFormat, " manifest (format: ",
        manifest.contains("format") ? manifest["format"].dump() : "missing", ")"));
  }
  if (!manifest.contains("digest") || !manifest["digest"].is_string()) {
    return absl::InvalidArgumentError("the manifest has no digest: it cannot be checked");
  }
  const std::string claimed = manifest["digest"].get<std::string>();
  manifest.erase("digest");
  if (DigestOf(manifest) != claimed) {
    return absl::InvalidArgumentError(
        "the manifest does not match its digest: it was changed after dispatch (in transit or by "
        "hand); ask the sending centre for the file again");
  }
  manifest["digest"] = claimed;
  return manifest;
}

}  // namespace lims::services
