// Which installations' manifests are believed here: the other installations' signing keys an
// admin trusts, each for one of their sites; and who vouches for a manifest being imported.
#ifndef LIMS_SERVICES_SHIPMENT_TRUST_OPERATIONS_H_
#define LIMS_SERVICES_SHIPMENT_TRUST_OPERATIONS_H_

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "call_context.h"
#include "lims/db/database.h"
#include "lims/db/trusted_keys.h"
#include "signing.h"

namespace lims::services {

struct KeyToTrust {
  const SigningKey* own = nullptr;  // the installation's key (never copied)
  std::string site_code;
  std::string public_key;
  std::string reason;
};
// Trusts `public_key` for manifests from `site_code` (audited). INVALID_ARGUMENT for a key that
// is not one, a bad site code or a missing reason; ALREADY_EXISTS when it is trusted for the
// site already; FAILED_PRECONDITION for a revoked key (a new key is made instead) or this
// installation's own key.
absl::StatusOr<db::TrustedKeyRecord> TrustKey(db::Tx& tx, const CallContext& call,
                                              const KeyToTrust& request);

struct KeyToRevoke {
  std::string fingerprint;
  std::string reason;
};
// Revokes every site's trust in the key (audited); NOT_FOUND for a key not trusted here,
// FAILED_PRECONDITION when it is revoked already.
absl::StatusOr<std::vector<db::TrustedKeyRecord>> RevokeKey(db::Tx& tx, const CallContext& call,
                                                            const KeyToRevoke& request);

absl::StatusOr<std::vector<db::TrustedKeyRecord>> ListKeys(db::Tx& tx);

// Who vouches for a manifest: its signer's fingerprint and the sites its key is trusted for
// (none for this installation's own key, which vouches only for what is here already).
struct ManifestVoucher {
  std::string fingerprint;
  std::set<std::string> site_codes;
  bool own = false;

  bool SpeaksFor(const std::string& site_code) const { return site_codes.count(site_code) > 0; }
  // "manifest signed by key F (trusted for A, B)", for the audit trail.
  std::string Describe() const;
};

// The manifest's signature checked, and its key looked up: INVALID_ARGUMENT for an unsigned
// manifest, a bad signature (a changed byte), an unknown key, or a revoked one, each saying which.
absl::StatusOr<ManifestVoucher> VouchForManifest(db::Tx& tx, const nlohmann::json& manifest,
                                                 const SigningKey& own);

}  // namespace lims::services

#endif  // LIMS_SERVICES_SHIPMENT_TRUST_OPERATIONS_H_
