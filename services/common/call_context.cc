#include "call_context.h"

#include "absl/strings/string_view.h"
#include "absl/status/status.h"
#include "absl/time/clock.h"

namespace lims::services {
namespace {

constexpr size_t kMaxRequestId = 64;
constexpr size_t kMaxActor = 100;

bool PrintableAscii(absl::string_view s) {
  for (char c : s) {
    if (c < 0x21 || c > 0x7e) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<CallContext> MakeCallContext(const grpc::ServerContext& context,
                                            const std::string& request_id) {
  if (request_id.size() > kMaxRequestId || !PrintableAscii(request_id)) {
    return absl::InvalidArgumentError(
        "request_id must be at most 64 printable ASCII characters without spaces (e.g. a UUID)");
  }
  CallContext call;
  call.request_id = request_id;
  call.now = absl::Now();
  call.actor = "unknown";
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("x-lims-actor");
  if (it != metadata.end()) {
    std::string actor(it->second.data(), it->second.size());
    if (!actor.empty() && actor.size() <= kMaxActor && PrintableAscii(actor)) call.actor = actor;
  }
  return call;
}

}  // namespace lims::services
