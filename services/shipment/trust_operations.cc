#include "trust_operations.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "audit.h"
#include "lims/core/sample_id.h"
#include "manifest.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

std::string Day(absl::Time t) { return absl::FormatTime("%Y-%m-%d", t, absl::UTCTimeZone()); }

std::string KeyJson(const db::TrustedKeyRecord& k) {
  return nlohmann::json{{"site_code", k.site_code},
                        {"public_key", k.public_key},
                        {"fingerprint", k.fingerprint},
                        {"revoked", k.revoked()}}
      .dump();
}

}  // namespace

absl::StatusOr<db::TrustedKeyRecord> TrustKey(db::Tx& tx, const CallContext& call,
                                              const KeyToTrust& request) {
  const SigningKey& own = *request.own;
  const std::string& site_code = request.site_code;
  const std::string& public_key = request.public_key;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(ValidateSiteCode(site_code));
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  LIMS_ASSIGN_OR_RETURN(std::string key, CanonicalPublicKey(public_key));
  if (key == own.public_key()) {
    return absl::FailedPreconditionError(
        "this is this installation's own signing key: it is trusted here already; add the "
        "sending installation's key (its `lims trust show`)");
  }
  db::TrustedKeyRepository keys(tx);
  const std::string fingerprint = Fingerprint(key);
  LIMS_ASSIGN_OR_RETURN(auto rows, keys.FindByFingerprint(fingerprint));
  for (const db::TrustedKeyRecord& row : rows) {
    if (row.revoked()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "key ", fingerprint, " was revoked on ", Day(row.revoked_at), " by ", row.revoked_by,
          " (", row.revoke_reason, "); a revoked key is not trusted again: the sending "
          "installation makes a new one"));
    }
    if (row.site_code == site_code) {
      return absl::AlreadyExistsError(
          absl::StrCat("key ", fingerprint, " is trusted for ", site_code, " already"));
    }
  }
  db::TrustedKeyRecord record;
  record.site_code = site_code;
  record.public_key = key;
  record.fingerprint = fingerprint;
  record.reason = reason;
  record.added_by = call.actor;
  record.added_at = call.now;
  LIMS_RETURN_IF_ERROR(keys.Insert(record));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("trust.key_added", "trusted_key", fingerprint)
                .Details(absl::StrCat("manifests from ", site_code, " signed by key ", fingerprint,
                                      " are trusted"))
                .After(KeyJson(record))
                .Reason(reason)));
  return record;
}

absl::StatusOr<std::vector<db::TrustedKeyRecord>> RevokeKey(db::Tx& tx, const CallContext& call,
                                                            const KeyToRevoke& request) {
  const std::string& fingerprint = request.fingerprint;
  const std::string& reason = request.reason;
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  const std::string wanted = CanonicalFingerprint(fingerprint);
  db::TrustedKeyRepository keys(tx);
  LIMS_ASSIGN_OR_RETURN(auto rows, keys.FindByFingerprint(wanted));
  if (rows.empty()) {
    return absl::NotFoundError(absl::StrCat("no key with fingerprint '", fingerprint,
                                            "' is trusted here; lims trust list shows them"));
  }
  LIMS_ASSIGN_OR_RETURN(int revoked, keys.Revoke(wanted, call.actor, call.now, reason));
  if (revoked == 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "key ", wanted, " was revoked already, on ", Day(rows.front().revoked_at), " by ",
        rows.front().revoked_by));
  }
  LIMS_ASSIGN_OR_RETURN(rows, keys.FindByFingerprint(wanted));
  std::vector<std::string> sites;
  for (const db::TrustedKeyRecord& row : rows) sites.push_back(row.site_code);
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("trust.key_revoked", "trusted_key", wanted)
                                 .Details(absl::StrCat("manifests signed by key ", wanted,
                                                       " are refused from now on (it was trusted "
                                                       "for ",
                                                       absl::StrJoin(sites, ", "), ")"))
                                 .Before(KeyJson(rows.front()))
                                 .Reason(reason)));
  return rows;
}

absl::StatusOr<std::vector<db::TrustedKeyRecord>> ListKeys(db::Tx& tx) {
  return db::TrustedKeyRepository(tx).List();
}

std::string ManifestVoucher::Describe() const {
  if (own) return absl::StrCat("manifest signed by this installation's key ", fingerprint);
  return absl::StrCat("manifest signed by key ", fingerprint, " (trusted for ",
                      absl::StrJoin(site_codes, ", "), ")");
}

absl::StatusOr<ManifestVoucher> VouchForManifest(db::Tx& tx, const nlohmann::json& manifest,
                                                 const SigningKey& own) {
  LIMS_ASSIGN_OR_RETURN(std::string key, ManifestSigner(manifest));
  ManifestVoucher voucher;
  voucher.fingerprint = Fingerprint(key);
  if (key == own.public_key()) {
    voucher.own = true;
    return voucher;
  }
  LIMS_ASSIGN_OR_RETURN(auto rows, db::TrustedKeyRepository(tx).FindByFingerprint(voucher.fingerprint));
  std::string origin = "?";
  if (manifest.contains("origin") && manifest["origin"].is_object()) {
    origin = manifest["origin"].value("site_code", "?");
  }
  if (rows.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the manifest is signed by an unknown key (fingerprint ", voucher.fingerprint,
        ", it says it comes from ", origin, "): nothing was imported. If it is the sending "
        "installation's key, an admin here checks the fingerprint with them and trusts it "
        "(lims trust add ", origin, " KEY)"));
  }
  for (const db::TrustedKeyRecord& row : rows) {
    if (row.revoked()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "the manifest is signed by key ", voucher.fingerprint, ", revoked here on ",
          Day(row.revoked_at), " by ", row.revoked_by, " (", row.revoke_reason,
          "): nothing was imported; the sending installation signs with its new key"));
    }
    voucher.site_codes.insert(row.site_code);
  }
  return voucher;
}

}  // namespace lims::services
