// Fuzz target: shipment manifests as another installation sends them (OpenManifest and
// ManifestSigner in services/shipment/manifest.h).
// Input: any bytes, read (1) as a manifest file, (2) as the depth of a nested document of up
// to a million brackets, and (3) as a JSON object that is sealed and signed, then changed by
// one byte.
// Properties:
//  - any input is either opened or refused with InvalidArgument, never a crash (nor a stack
//    overflow for deep nesting);
//  - an opened manifest reseals to the digest it carried (the digest covers its content), and
//    its signature checks out or is refused with InvalidArgument;
//  - a sealed object opens and names its signer, and the same text with one byte changed opens
//    and checks out only if it still parses to the same content.
// fuzz-sources: services/shipment/manifest.cc services/common/tokens.cc services/common/signing.cc
// fuzz-pkg-config: libcrypto libsodium
// fuzz-options: -max_len=4096
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "manifest.h"

namespace {

const lims::services::SigningKey& Key() {
  static const auto* key = new lims::services::SigningKey(lims::services::SigningKey::Generate());
  return *key;
}

bool RefusedAsInvalid(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto opened = lims::services::OpenManifest(text);
  if (opened.ok()) {
    auto signer = lims::services::ManifestSigner(*opened);
    FUZZ_CHECK(signer.ok() || RefusedAsInvalid(signer.status()), signer.status().ToString());
    nlohmann::json copy = *opened;
    const std::string carried = copy["digest"].get<std::string>();
    FUZZ_CHECK(lims::services::SealManifest(copy, Key()) == carried,
               "an opened manifest reseals differently");
  } else {
    FUZZ_CHECK(RefusedAsInvalid(opened.status()), opened.status().ToString());
  }

  // Deep nesting, far beyond what fits in the input: up to a million brackets.
  if (size >= 3) {
    const size_t depth = (static_cast<size_t>(data[1]) << 12 | static_cast<size_t>(data[2]) << 4) % 1'000'001;
    const char open = data[0] & 1 ? '[' : '{';
    std::string deep = "{\"format\":" + std::string(depth, open);
    auto nested = lims::services::OpenManifest(deep);
    FUZZ_CHECK(!nested.ok() && RefusedAsInvalid(nested.status()), "a deep document was not refused");
  }

  // A sealed manifest carrying the input's first bytes, then one byte of its text changed.
  nlohmann::json manifest = {{"format", lims::services::kManifestFormat},
                             {"bytes", std::vector<int>(data, data + std::min<size_t>(size, 64))}};
  lims::services::SealManifest(manifest, Key());
  const std::string sealed = manifest.dump();
  auto reopened_sealed = lims::services::OpenManifest(sealed);
  FUZZ_CHECK(reopened_sealed.ok(), "a sealed manifest does not open");
  auto signer = lims::services::ManifestSigner(*reopened_sealed);
  FUZZ_CHECK(signer.ok() && *signer == Key().public_key(), "a sealed manifest names no signer");
  if (size == 0) return 0;
  std::string changed = sealed;
  const size_t at = data[0] % changed.size();
  changed[at] = static_cast<char>(changed[at] ^ (size > 1 ? (data[1] | 1) : 1));
  auto reopened = lims::services::OpenManifest(changed);
  if (reopened.ok() && lims::services::ManifestSigner(*reopened).ok()) {
    nlohmann::json a = *reopened, b = manifest;
    a.erase("signature");
    b.erase("signature");
    FUZZ_CHECK(a == b, "a changed manifest checked out with other content: " +
                           lims::fuzz::Escaped(changed));
  }
  return 0;
}
