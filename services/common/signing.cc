#include "signing.h"

#include <sodium.h>

#include <algorithm>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace lims::services {
namespace {

constexpr absl::string_view kPrefix = "ed25519:";

// Debian's abseil has its own string_view.
absl::string_view View(std::string_view s) { return absl::string_view(s.data(), s.size()); }

void InitSodium() {
  // Idempotent and thread-safe; fails only without a usable random source.
  if (sodium_init() < 0) std::abort();
}

std::string Base64(const unsigned char* data, size_t size) {
  return absl::Base64Escape(absl::string_view(reinterpret_cast<const char*>(data), size));
}

bool FromBase64(absl::string_view text, size_t size, unsigned char* out) {
  std::string raw;
  if (!absl::Base64Unescape(text, &raw) || raw.size() != size) return false;
  std::copy(raw.begin(), raw.end(), out);
  return true;
}

}  // namespace

SigningKey SigningKey::Generate() {
  InitSodium();
  SigningKey key;
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> ignored{};
  crypto_sign_keypair(ignored.data(), key.secret_.data());
  key.DerivePublicParts();
  return key;
}

absl::StatusOr<SigningKey> SigningKey::FromSeedHex(std::string_view text) {
  InitSodium();
  const absl::string_view hex = absl::StripAsciiWhitespace(View(text));
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  size_t length = 0;
  if (hex.size() != 2 * seed.size() ||
      sodium_hex2bin(seed.data(), seed.size(), hex.data(), hex.size(), nullptr, &length,
                     nullptr) != 0 ||
      length != seed.size()) {
    return absl::InvalidArgumentError(
        "the signing key file does not hold a key (64 hexadecimal digits)");
  }
  SigningKey key;
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> ignored{};
  crypto_sign_seed_keypair(ignored.data(), key.secret_.data(), seed.data());
  sodium_memzero(seed.data(), seed.size());
  key.DerivePublicParts();
  return key;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

void SigningKey::DerivePublicParts() {
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  crypto_sign_ed25519_sk_to_pk(pk.data(), secret_.data());
  public_key_ = absl::StrCat(kPrefix, Base64(pk.data(), pk.size()));
  fingerprint_ = Fingerprint(public_key_);
}

std::string SigningKey::SeedHex() const {
  std::array<unsigned char, crypto_sign_SEEDBYTES> seed{};
  crypto_sign_ed25519_sk_to_seed(seed.data(), secret_.data());
  std::string hex(2 * seed.size() + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), seed.data(), seed.size());
  sodium_memzero(seed.data(), seed.size());
  hex.pop_back();
  return hex;
}

std::string SigningKey::Sign(std::string_view message) const {
  std::array<unsigned char, crypto_sign_BYTES> signature{};
  crypto_sign_detached(signature.data(), nullptr,
                       reinterpret_cast<const unsigned char*>(message.data()), message.size(),
                       secret_.data());
  return Base64(signature.data(), signature.size());
}

absl::StatusOr<std::string> CanonicalPublicKey(std::string_view input) {
  absl::string_view text = absl::StripAsciiWhitespace(View(input));
  absl::ConsumePrefix(&text, kPrefix);
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  if (!FromBase64(text, pk.size(), pk.data())) {
    return absl::InvalidArgumentError(
        "public_key is not an Ed25519 public key: give it as the sending installation's "
        "`lims trust show` prints it (ed25519: and 44 base64 characters)");
  }
  return absl::StrCat(kPrefix, Base64(pk.data(), pk.size()));
}

std::string Fingerprint(std::string_view canonical_public_key) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> hash{};
  crypto_hash_sha256(hash.data(), reinterpret_cast<const unsigned char*>(canonical_public_key.data()),
                     canonical_public_key.size());
  std::string hex(2 * 16 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), hash.data(), 16);
  hex.pop_back();
  return hex;
}

std::string CanonicalFingerprint(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == ':' || c == '-') continue;
    out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

bool VerifySignature(std::string_view canonical_public_key, std::string_view message,
                     std::string_view signature) {
  InitSodium();
  absl::string_view key = View(canonical_public_key);
  if (!absl::ConsumePrefix(&key, kPrefix)) return false;
  std::array<unsigned char, crypto_sign_PUBLICKEYBYTES> pk{};
  std::array<unsigned char, crypto_sign_BYTES> sig{};
  if (!FromBase64(key, pk.size(), pk.data()) || !FromBase64(View(signature), sig.size(), sig.data())) {
    return false;
  }
  return crypto_sign_verify_detached(sig.data(),
                                     reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size(), pk.data()) == 0;
}

}  // namespace lims::services
