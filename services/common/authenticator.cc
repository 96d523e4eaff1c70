#include "authenticator.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "lims/db/users.h"
#include "tokens.h"

namespace lims::services {
namespace {

constexpr size_t kMaxRemembered = 10000;
constexpr char kBearer[] = "Bearer ";
constexpr absl::Duration kSessionTouchInterval = absl::Minutes(1);

absl::Status NotLoggedIn(const char* why) {
  return absl::UnauthenticatedError(
      std::string(why) + "; send `authorization: Bearer TOKEN` (with the CLI: lims login)");
}

}  // namespace

absl::StatusOr<std::string> BearerTokenHash(const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return NotLoggedIn("no token");
  const std::string header(it->second.data(), it->second.size());
  if (!absl::StartsWith(header, kBearer) || header.size() == sizeof(kBearer) - 1) {
    return NotLoggedIn("the authorization metadata is not a bearer token");
  }
  return TokenHash(header.substr(sizeof(kBearer) - 1));
}

absl::StatusOr<Principal> Authenticator::Authenticate(db::Tx& tx,
                                                      const grpc::ServerContext& context) {
  auto bearer = BearerTokenHash(context);
  if (!bearer.ok()) return bearer.status();
  const std::string& hash = *bearer;
  const absl::Time now = absl::Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = cache_.find(hash);
    if (found != cache_.end() && found->second.until > now) return found->second.principal;
  }
  db::UserRepository users(tx);
  auto owner = users.FindByTokenHash(hash, now);
  if (!owner.ok()) return owner.status();
  if (!owner->has_value()) {
    return NotLoggedIn("unknown, revoked or expired token (or a session idle too long)");
  }
  // A session's idle time restarts with use; written at most once a minute (or a quarter of
  // its idle limit) per session, not on every call.
  absl::Time remember_until = std::min(now + cache_lifetime_, (*owner)->valid_until);
  if ((*owner)->session) {
    const absl::Duration touch_interval = std::min(kSessionTouchInterval, (*owner)->idle / 4);
    absl::Time last_used = (*owner)->last_used;
    if (now - last_used > touch_interval) {
      if (absl::Status touched = users.TouchSession(hash, now); !touched.ok()) return touched;
      last_used = now;
    }
    // Back to the database before the next touch is due, so that use keeps it alive.
    remember_until = std::min(remember_until, last_used + touch_interval);
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxRemembered) cache_.clear();
  // Never remembered past the token's own end.
  cache_[hash] = {(*owner)->principal, remember_until};
  return (*owner)->principal;
}

void Authenticator::ForgetAll() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

}  // namespace lims::services
