#include "passwords.h"

#include <sodium.h>

#include <mutex>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace lims::services {
namespace {

constexpr size_t kMinLength = 10;
constexpr size_t kMaxLength = 128;

void InitSodium() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) abort();  // no CSPRNG: nothing here can be trusted
  });
}

// A fixed hash to verify against when the user does not exist.
const std::string& DecoyHash() {
  static const std::string* decoy = [] {
    auto hash = HashPassword("lims decoy password, never valid");
    return new std::string(hash.ok() ? *hash : "");
  }();
  return *decoy;
}

}  // namespace

absl::Status CheckNewPassword(const std::string& password) {
  if (password.size() < kMinLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("password: at least ", kMinLength, " characters, please (a short sentence "
                     "is easy to remember)"));
  }
  if (password.size() > kMaxLength) {
    return absl::InvalidArgumentError(absl::StrCat("password: at most ", kMaxLength, " bytes"));
  }
  if (absl::StripAsciiWhitespace(password).empty()) {
    return absl::InvalidArgumentError("password: not only spaces");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> HashPassword(const std::string& password) {
  InitSodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE,
                            crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return absl::UnavailableError("not enough memory to hash the password; try again");
  }
  return std::string(out);
}

bool VerifyPassword(const std::string& password, const std::string& stored) {
  InitSodium();
  if (stored.empty() || stored.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

void VerifyNothing(const std::string& password) {
  (void)VerifyPassword(password, DecoyHash());
}

std::string NewPassword() {
  InitSodium();
  static constexpr char kAlphabet[] = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  constexpr uint32_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  for (int i = 0; i < 20; ++i) out.push_back(kAlphabet[randombytes_uniform(kSize)]);
  return out;
}

}  // namespace lims::services
