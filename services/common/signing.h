// Ed25519 signatures (libsodium) for what one installation vouches for to another: shipment
// manifests. Keys travel as text: "ed25519:" and the 32-byte public key in base64; people
// compare fingerprints, the first 16 bytes of the public key's SHA-256 in hex.
#ifndef LIMS_SERVICES_COMMON_SIGNING_H_
#define LIMS_SERVICES_COMMON_SIGNING_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace lims::services {

class SigningKey {
 public:
  static SigningKey Generate();
  // From the 32-byte seed in hex, as a key file keeps it. INVALID_ARGUMENT otherwise.
  static absl::StatusOr<SigningKey> FromSeedHex(std::string_view hex);
  SigningKey(const SigningKey&) = default;
  SigningKey& operator=(const SigningKey&) = default;
  ~SigningKey();

  std::string SeedHex() const;
  const std::string& public_key() const { return public_key_; }
  const std::string& fingerprint() const { return fingerprint_; }
  // The detached signature of `message`, in base64.
  std::string Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  void DerivePublicParts();

  std::array<unsigned char, 64> secret_{};  // libsodium's secret key: seed and public key
  std::string public_key_, fingerprint_;
};

// The public key in its canonical text form, from "ed25519:BASE64" or the base64 alone (white
// space around it ignored). INVALID_ARGUMENT saying what is wrong.
absl::StatusOr<std::string> CanonicalPublicKey(std::string_view text);

// The fingerprint of a canonical public key.
std::string Fingerprint(std::string_view canonical_public_key);

// A fingerprint as people type it: hex in either case, with spaces or colons between groups.
std::string CanonicalFingerprint(std::string_view text);

// True when `signature` (base64) is the key's signature of `message`.
bool VerifySignature(std::string_view canonical_public_key, std::string_view message,
                     std::string_view signature);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_SIGNING_H_
