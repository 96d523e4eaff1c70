#include "tokens.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdlib>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lims::services {

absl::StatusOr<std::string> NewToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return absl::UnavailableError("the system's random number generator failed; retry");
  }
  return absl::StrCat(
      "lims_", absl::WebSafeBase64Escape(absl::string_view(reinterpret_cast<char*>(bytes),
                                                           sizeof(bytes))));
}

std::string Sha256Hex(const std::string& data) {
  // Fetched once: SHA256() looks the algorithm up in OpenSSL's provider tables on every call,
  // and every call to lims-server hashes its bearer token.
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (sha256 == nullptr ||
      EVP_Digest(data.data(), data.size(), digest, &length, sha256, nullptr) != 1) {
    std::abort();  // no SHA-256 in this OpenSSL: nothing can be checked or signed
  }
  return absl::BytesToHexString(absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace lims::services
