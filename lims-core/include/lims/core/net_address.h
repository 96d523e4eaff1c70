// HOST:PORT addresses as the server listens and the client connects: whether traffic to them
// stays on this machine (plaintext is allowed there only). Pure string logic.
#ifndef LIMS_CORE_NET_ADDRESS_H_
#define LIMS_CORE_NET_ADDRESS_H_

#include <string_view>

namespace lims {

// True for 127.0.0.0/8, [::1] and localhost ("HOST:PORT", or a bare host).
bool IsLoopbackAddress(std::string_view address);

}  // namespace lims

#endif  // LIMS_CORE_NET_ADDRESS_H_
