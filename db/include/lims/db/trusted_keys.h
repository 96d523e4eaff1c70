// Other installations' manifest signing keys trusted here (db/migrations/0012_trusted_keys.sql):
// one row per key and site it may sign for; revoked rows stay, marked.
#ifndef LIMS_DB_TRUSTED_KEYS_H_
#define LIMS_DB_TRUSTED_KEYS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::db {

struct TrustedKeyRecord {
  int64_t id = 0;
  std::string site_code;
  std::string public_key;   // canonical text, "ed25519:BASE64"
  std::string fingerprint;  // hex
  std::string reason;
  std::string added_by;
  absl::Time added_at;
  std::string revoked_by;  // empty while trusted
  absl::Time revoked_at;
  std::string revoke_reason;

  bool revoked() const { return !revoked_by.empty(); }
};

class TrustedKeyRepository {
 public:
  explicit TrustedKeyRepository(Tx& tx) : tx_(tx) {}

  // Sets key.id. ABORTED if the same key is added for the same site concurrently.
  absl::Status Insert(TrustedKeyRecord& key);
  // Every row of the key (one per site), revoked ones included; empty when unknown.
  absl::StatusOr<std::vector<TrustedKeyRecord>> FindByFingerprint(const std::string& fingerprint);
  // Marks every row of the key that is not revoked yet; returns how many.
  absl::StatusOr<int> Revoke(const std::string& fingerprint, const std::string& by,
                             absl::Time at, const std::string& reason);
  // Every row, in id order.
  absl::StatusOr<std::vector<TrustedKeyRecord>> List();

 private:
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_TRUSTED_KEYS_H_
