// Users, their sites and their API tokens. Tokens are looked up by hash only: the plain token
// never reaches the database.
#ifndef LIMS_DB_USERS_H_
#define LIMS_DB_USERS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/access.h"
#include "lims/db/database.h"

namespace lims::db {

struct UserRecord {
  int64_t id = 0;
  std::string username;
  Role role = Role::kResearcher;
  std::vector<int64_t> site_ids;
  std::vector<std::string> site_codes;
  bool has_valid_token = false;  // filled by List/FindByUsername
};

class UserRepository {
 public:
  explicit UserRepository(Tx& tx) : tx_(tx) {}

  absl::StatusOr<int64_t> Count();
  // Sets user.id; writes its site memberships. ABORTED if the name is taken concurrently.
  absl::Status Insert(UserRecord& user, absl::Time now);
  absl::StatusOr<std::optional<UserRecord>> FindByUsername(const std::string& username);
  absl::StatusOr<std::vector<UserRecord>> List(int64_t after_id, int limit);

  // `expires`: refused from then on (none: until revoked).
  absl::Status InsertToken(int64_t user_id, const std::string& token_hash, absl::Time now,
                           std::optional<absl::Time> expires = std::nullopt);
  // Revokes every valid token of the user; returns how many.
  absl::StatusOr<int> RevokeTokens(int64_t user_id, absl::Time now);
  // The principal owning a valid token with this hash at `now` (not revoked, not expired).
  absl::StatusOr<std::optional<Principal>> FindByTokenHash(const std::string& token_hash,
                                                           absl::Time now);

 private:
  absl::Status LoadSites(UserRecord& user);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_USERS_H_
