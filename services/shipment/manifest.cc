#include "manifest.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lims/core/csv_writer.h"
#include "lims/core/json_shape.h"
#include "status_macros.h"
#include "tokens.h"

namespace lims::services {
namespace {

// Keys sorted (nlohmann's object is a std::map), no white space: the same text on both sides.
std::string DigestOf(const nlohmann::json& manifest) { return Sha256Hex(manifest.dump()); }

// What the signature covers: everything but itself, digest included.
std::string SignedText(nlohmann::json manifest) {
  manifest.erase("signature");
  return manifest.dump();
}

// A shipment of ten thousand tubes is a few megabytes; nothing in a manifest nests deeper
// than tubes -> tube -> quantity.
constexpr JsonLimits kManifestLimits{32u << 20, 16};

}  // namespace

std::string ManifestCsv(const nlohmann::json& manifest, const std::vector<CsvColumn>& columns) {
  std::vector<std::string> fields;
  for (const CsvColumn& c : columns) fields.push_back(c.header);
  std::string csv = absl::StrJoin(fields, ",") + "\n";
  for (const nlohmann::json& tube : manifest["tubes"]) {
    fields.clear();
    for (const CsvColumn& c : columns) {
      const nlohmann::json value = tube.value(c.key, nlohmann::json());
      fields.push_back(CsvField(value.is_string()   ? value.get<std::string>()
                                : value.is_null() ? ""
                                                  : value.dump()));
    }
    csv += absl::StrJoin(fields, ",") + "\n";
  }
  return csv;
}

std::string SealManifest(nlohmann::json& manifest, const SigningKey& key) {
  manifest.erase("signature");
  manifest.erase("digest");
  const std::string digest = DigestOf(manifest);
  manifest["digest"] = digest;
  const std::string signature = key.Sign(SignedText(manifest));
  manifest["signature"] = {{"public_key", key.public_key()},
                           {"fingerprint", key.fingerprint()},
                           {"value", signature}};
  return digest;
}

bool IsSigned(const nlohmann::json& manifest) { return manifest.contains("signature"); }

absl::StatusOr<std::string> ManifestSigner(const nlohmann::json& manifest) {
  const auto found = manifest.find("signature");
  if (found == manifest.end() || !found->is_object()) {
    return absl::InvalidArgumentError(
        "the manifest is not signed: only manifests signed by an installation trusted here are "
        "imported; ask the sending centre to export it again with a current lims-server");
  }
  const nlohmann::json& signature = *found;
  const auto key = signature.find("public_key");
  const auto value = signature.find("value");
  if (key == signature.end() || !key->is_string() || value == signature.end() ||
      !value->is_string()) {
    return absl::InvalidArgumentError(
        "the manifest's signature is incomplete (public_key and value are needed)");
  }
  auto public_key = CanonicalPublicKey(key->get<std::string>());
  if (!public_key.ok() ||
      !VerifySignature(*public_key, SignedText(manifest), value->get<std::string>())) {
    return absl::InvalidArgumentError(
        "the manifest's signature does not match its content: it was changed after the sending "
        "installation signed it; ask the sending centre for the file again");
  }
  return *public_key;
}

absl::StatusOr<nlohmann::json> OpenManifest(const std::string& text, std::string_view format) {
  LIMS_RETURN_IF_ERROR(CheckJsonShape(text, kManifestLimits, "manifest_json"));
  nlohmann::json manifest = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (manifest.is_discarded() || !manifest.is_object()) {
    return absl::InvalidArgumentError(
        "manifest_json is not a JSON object; send the file lims ship export wrote, unchanged");
  }
  const std::string found = manifest.value("format", "");
  if (found == kResearchManifestFormat && format == kManifestFormat) {
    return absl::InvalidArgumentError(
        "manifest_json is a researcher's manifest: its tubes are known by request codes only, "
        "so it cannot register them here; it goes to the research team with the tubes");
  }
  if (found != format) {
    return absl::InvalidArgumentError(absl::StrCat(
        "manifest_json is not a ", std::string(format), " manifest (format: ",
        manifest.contains("format") ? manifest["format"].dump() : "missing", ")"));
  }
  if (!manifest.contains("digest") || !manifest["digest"].is_string()) {
    return absl::InvalidArgumentError("the manifest has no digest: it cannot be checked");
  }
  const std::string claimed = manifest["digest"].get<std::string>();
  nlohmann::json content = manifest;
  content.erase("digest");
  content.erase("signature");
  if (DigestOf(content) != claimed) {
    return absl::InvalidArgumentError(
        "the manifest does not match its digest: it was changed after dispatch (in transit or by "
        "hand); ask the sending centre for the file again");
  }
  return manifest;
}

}  // namespace lims::services
