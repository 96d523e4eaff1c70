#include "call_gate.h"

#include "absl/time/clock.h"

namespace lims::services {
namespace {

constexpr size_t kMaxRequestId = 64;

bool PrintableAscii(const std::string& s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<CallContext> CallGate::Admit(db::Tx& tx, const grpc::ServerContext& context,
                                            const std::string& method,
                                            const std::string& request_id) {
  auto principal = authenticator_.Authenticate(tx, context);
  if (!principal.ok()) return principal.status();
  if (absl::Status allowed = Authorize(*principal, method); !allowed.ok()) return allowed;
  if (request_id.size() > kMaxRequestId || !PrintableAscii(request_id)) {
    return absl::InvalidArgumentError(
        "request_id must be at most 64 printable ASCII characters without spaces (e.g. a UUID)");
  }
  CallContext call;
  call.principal = *principal;
  call.actor = principal->username;
  call.request_id = request_id;
  call.now = absl::Now();
  return call;
}

}  // namespace lims::services
