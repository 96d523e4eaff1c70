#include "lims/core/net_address.h"

#include <arpa/inet.h>

#include <cstring>
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace lims {


namespace {

// An address literal as 16 bytes (IPv4 mapped into IPv6), or nothing for a name.
std::optional<std::array<unsigned char, 16>> Parse(std::string_view text) {
  std::string host(text);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  std::array<unsigned char, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    std::memcpy(out.data() + 12, &v4, 4);
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, host.c_str(), &v6) == 1) {
    std::memcpy(out.data(), &v6, 16);
    return out;
  }
  return std::nullopt;
}

}  // namespace

bool IsLoopbackAddress(std::string_view address) {
  std::string_view host = address;
  const size_t colon = address.rfind(':');
  // "[::1]:50051" and "127.0.0.1:50051" have a port after the last colon; "::1" alone does not.
  if (colon != std::string_view::npos && address != "::1") host = address.substr(0, colon);
  if (host == "localhost") return true;
  const auto bytes = Parse(host);
  if (!bytes) return false;
  static constexpr std::array<unsigned char, 16> kV6Loopback = {0, 0, 0, 0, 0, 0, 0, 0,
                                                                0, 0, 0, 0, 0, 0, 0, 1};
  const bool v4 = (*bytes)[10] == 0xff && (*bytes)[11] == 0xff;
  return (v4 && (*bytes)[12] == 127) || *bytes == kV6Loopback;
}

absl::StatusOr<std::vector<IpNetwork>> ParseNetworks(std::string_view list) {
  std::vector<IpNetwork> out;
  // Debian's abseil has its own string_view.
  for (absl::string_view piece :
       absl::StrSplit(absl::string_view(list.data(), list.size()), ',', absl::SkipWhitespace())) {
    piece = absl::StripAsciiWhitespace(piece);
    const std::string_view item(piece.data(), piece.size());
    const size_t slash = item.find('/');
    const auto address = Parse(item.substr(0, slash));
    int bits = -1;
    if (address) {
      const bool v4 = (*address)[10] == 0xff && (*address)[11] == 0xff &&
                      item.substr(0, slash).find(':') == std::string_view::npos;
      const int width = v4 ? 32 : 128;
      bits = width;
      if (slash != std::string_view::npos &&
          (!absl::SimpleAtoi(piece.substr(slash + 1), &bits) || bits < 0 || bits > width)) {
        bits = -1;
      }
      if (bits >= 0) out.push_back({*address, v4 ? 96 + bits : bits});
    }
    if (bits < 0) {
      return absl::InvalidArgumentError(absl::StrCat(
          "'", std::string(item), "' is not a network: give e.g. 10.4.0.0/16 or fd00::/8"));
    }
  }
  return out;
}

bool IsAddressIn(std::string_view host, const std::vector<IpNetwork>& networks) {
  const auto address = Parse(host);
  if (!address) return false;
  for (const IpNetwork& n : networks) {
    bool inside = true;
    for (int bit = 0; bit < n.prefix_bits && inside; ++bit) {
      const unsigned char mask = static_cast<unsigned char>(0x80 >> (bit % 8));
      inside = ((*address)[bit / 8] & mask) == (n.address[bit / 8] & mask);
    }
    if (inside) return true;
  }
  return false;
}

}  // namespace lims
