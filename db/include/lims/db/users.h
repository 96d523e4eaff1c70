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
  bool has_password = false;     // filled by List/FindByUsername
};

// The owner of a valid token, and whether the token is a browser session (which ends after a
// while without use, so its last use is kept).
struct TokenOwner {
  Principal principal;
  bool session = false;
  absl::Duration idle;   // a session's idle limit
  absl::Time last_used;  // a session's last recorded use
  absl::Time valid_until = absl::InfiniteFuture();  // the expiry or the idle limit, if any
};

// Wrong passwords in a row for one subject ("user:NAME" or "addr:IP").
struct LoginFailures {
  int64_t failures = 0;
  absl::Time last_failed_at = absl::InfinitePast();
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
  // A session token: refused from `expires`, and after `idle` without a call.
  absl::Status InsertSession(int64_t user_id, const std::string& token_hash, absl::Time now,
                             absl::Time expires, absl::Duration idle);
  // Records a call on a session token (its idle time starts again).
  absl::Status TouchSession(const std::string& token_hash, absl::Time now);
  // Revokes one token; false if it was not valid.
  absl::StatusOr<bool> RevokeToken(const std::string& token_hash, absl::Time now);
  // The owner of a valid token with this hash at `now` (not revoked, not expired, not idle).
  absl::StatusOr<std::optional<TokenOwner>> FindByTokenHash(const std::string& token_hash,
                                                            absl::Time now);

  // The user's Argon2id password string ("" when none is set); NOT_FOUND for no such user.
  absl::StatusOr<std::string> PasswordHash(int64_t user_id);
  absl::Status SetPasswordHash(int64_t user_id, const std::string& password_hash);

  absl::StatusOr<LoginFailures> FailuresOf(const std::string& subject);
  absl::Status RecordFailure(const std::string& subject, absl::Time now);
  absl::Status ClearFailures(const std::string& subject);

 private:
  absl::Status LoadSites(UserRecord& user);
  Tx& tx_;
};

}  // namespace lims::db

#endif  // LIMS_DB_USERS_H_
