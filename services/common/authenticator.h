// Turns the `authorization: Bearer TOKEN` metadata of a call into a Principal. Valid tokens are
// remembered for a few seconds so that the bench hot path does not pay a database look-up per
// scan; a revocation made by this process takes effect at once, one made by another process
// within the cache lifetime.
#ifndef LIMS_SERVICES_COMMON_AUTHENTICATOR_H_
#define LIMS_SERVICES_COMMON_AUTHENTICATOR_H_

#include <grpcpp/server_context.h>

#include <map>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/core/access.h"
#include "lims/db/database.h"

namespace lims::services {

// The SHA-256 of the call's bearer token; UNAUTHENTICATED (with what to do) without one.
absl::StatusOr<std::string> BearerTokenHash(const grpc::ServerContext& context);

class Authenticator {
 public:
  explicit Authenticator(absl::Duration cache_lifetime = absl::Seconds(5))
      : cache_lifetime_(cache_lifetime) {}
  Authenticator(const Authenticator&) = delete;
  Authenticator& operator=(const Authenticator&) = delete;

  // UNAUTHENTICATED (with what to do) when the metadata has no valid bearer token.
  absl::StatusOr<Principal> Authenticate(db::Tx& tx, const grpc::ServerContext& context);

  // Forgets every remembered token, e.g. after a revocation.
  void ForgetAll();

 private:
  struct Remembered {
    Principal principal;
    absl::Time until;
  };
  const absl::Duration cache_lifetime_;
  std::mutex mu_;
  std::map<std::string, Remembered> cache_;  // by token hash; only valid tokens
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_AUTHENTICATOR_H_
