#include "lims/core/net_address.h"

namespace lims {

bool IsLoopbackAddress(std::string_view address) {
  std::string_view host = address;
  const size_t colon = address.rfind(':');
  // "[::1]:50051" and "127.0.0.1:50051" have a port after the last colon; "::1" alone does not.
  if (colon != std::string_view::npos && address != "::1") host = address.substr(0, colon);
  return host.substr(0, 4) == "127." || host == "localhost" || host == "[::1]" || host == "::1";
}

}  // namespace lims
