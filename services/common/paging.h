// Keyset paging for list RPCs: the page token is the last id of the previous page, so pages stay
// stable while rows are added and the server never holds more than one page.
#ifndef LIMS_SERVICES_COMMON_PAGING_H_
#define LIMS_SERVICES_COMMON_PAGING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace lims::services {

struct Page {
  int64_t after_id = 0;
  int size = 0;
};

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 500;

// page_size 0 → default; above the maximum → the maximum; negative or a bad token →
// INVALID_ARGUMENT.
absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token);

// The next token when the page came back full, "" otherwise.
std::string NextPageToken(const Page& page, int returned, int64_t last_id);

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_PAGING_H_
