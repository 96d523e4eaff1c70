// Fuzz target: shipment manifests as another installation sends them (OpenManifest in
// services/shipment/manifest.h).
// Input: any bytes, read (1) as a manifest file and (2) as a JSON object that is sealed, then
// changed by one byte.
// Properties:
//  - any input is either opened or refused with InvalidArgument, never a crash;
//  - an opened manifest reseals to the digest it carried (the digest covers its content);
//  - a sealed object opens, and the same text with one byte changed opens only if it still
//    parses to the same content (a change in the content is always seen).
// fuzz-sources: services/shipment/manifest.cc services/common/tokens.cc
// fuzz-pkg-config: libcrypto
// fuzz-options: -max_len=512
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fuzz_support.h"
#include "manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto opened = lims::services::OpenManifest(text);
  if (opened.ok()) {
    nlohmann::json copy = *opened;
    const std::string carried = copy["digest"].get<std::string>();
    FUZZ_CHECK(lims::services::SealManifest(copy) == carried, "an opened manifest reseals differently");
  } else {
    FUZZ_CHECK(opened.status().code() == absl::StatusCode::kInvalidArgument, opened.status().ToString());
  }

  // A sealed manifest carrying the input's first bytes, then one byte of its text changed.
  nlohmann::json manifest = {{"format", lims::services::kManifestFormat},
                             {"bytes", std::vector<int>(data, data + std::min<size_t>(size, 64))}};
  lims::services::SealManifest(manifest);
  const std::string sealed = manifest.dump();
  FUZZ_CHECK(lims::services::OpenManifest(sealed).ok(), "a sealed manifest does not open");
  if (size == 0) return 0;
  std::string changed = sealed;
  const size_t at = data[0] % changed.size();
  changed[at] = static_cast<char>(changed[at] ^ (size > 1 ? (data[1] | 1) : 1));
  auto reopened = lims::services::OpenManifest(changed);
  if (reopened.ok()) {
    nlohmann::json a = *reopened, b = manifest;
    FUZZ_CHECK(a == b, "a changed manifest opened with other content: " + lims::fuzz::Escaped(changed));
  }
  return 0;
}
