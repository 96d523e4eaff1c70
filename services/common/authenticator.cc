#include "authenticator.h"

#include "absl/strings/match.h"
#include "absl/time/clock.h"
#include "lims/db/users.h"
#include "tokens.h"

namespace lims::services {
namespace {

constexpr size_t kMaxRemembered = 10000;
constexpr char kBearer[] = "Bearer ";

absl::Status NotLoggedIn(const char* why) {
  return absl::UnauthenticatedError(
      std::string(why) + "; send `authorization: Bearer TOKEN` (with the CLI: lims login)");
}

}  // namespace

absl::StatusOr<Principal> Authenticator::Authenticate(db::Tx& tx,
                                                      const grpc::ServerContext& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return NotLoggedIn("no token");
  const std::string header(it->second.data(), it->second.size());
  if (!absl::StartsWith(header, kBearer) || header.size() == sizeof(kBearer) - 1) {
    return NotLoggedIn("the authorization metadata is not a bearer token");
  }
  const std::string hash = TokenHash(header.substr(sizeof(kBearer) - 1));
  const absl::Time now = absl::Now();
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto found = cache_.find(hash);
    if (found != cache_.end() && found->second.until > now) return found->second.principal;
  }
  auto principal = db::UserRepository(tx).FindByTokenHash(hash, now);
  if (!principal.ok()) return principal.status();
  if (!principal->has_value()) return NotLoggedIn("unknown, revoked or expired token");
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxRemembered) cache_.clear();
  cache_[hash] = {**principal, now + cache_lifetime_};
  return **principal;
}

void Authenticator::ForgetAll() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

}  // namespace lims::services
