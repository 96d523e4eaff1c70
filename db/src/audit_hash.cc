#include "lims/db/audit_hash.h"

#include <openssl/evp.h>

#include <stdexcept>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace lims::db {
namespace {

// Bump when the canonical form changes; old events keep verifying only with their version.
constexpr absl::string_view kVersion = "lims.audit.v1";

void AppendField(std::string& out, absl::string_view value) {
  absl::StrAppend(&out, value.size(), ":", value, ",");
}

}  // namespace

std::string CanonicalAuditContent(const AuditEvent& e) {
  std::string out;
  out.reserve(256 + e.details.size() + e.before_json.size() + e.after_json.size());
  AppendField(out, kVersion);
  AppendField(out, absl::StrCat(e.id));
  AppendField(out, absl::StrCat(absl::ToUnixMicros(e.at)));
  for (const std::string* field :
       {&e.actor, &e.action, &e.entity_type, &e.entity_key, &e.details, &e.before_json,
        &e.after_json, &e.reason, &e.request_id}) {
    AppendField(out, *field);
  }
  return out;
}

std::string ChainHash(absl::string_view prev_hash, const AuditEvent& event) {
  const std::string input = absl::StrCat(prev_hash, CanonicalAuditContent(event));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    // Only on a broken OpenSSL installation; Guarded() turns it into INTERNAL.
    throw std::runtime_error("OpenSSL SHA-256 failed");
  }
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(digest), length));
}

}  // namespace lims::db
