#include "paging.h"

#include <algorithm>

#include "absl/status/status.h"
#include "convert.h"

namespace lims::services {

absl::StatusOr<Page> ParsePage(int page_size, const std::string& page_token) {
  if (page_size < 0) return absl::InvalidArgumentError("page_size must not be negative");
  Page page;
  page.size = page_size == 0 ? kDefaultPageSize : std::min(page_size, kMaxPageSize);
  if (!page_token.empty()) {
    auto after = ParseId(page_token, "page_token");
    if (!after.ok()) {
      return absl::InvalidArgumentError(
          "page_token is not one this server issued; pass next_page_token unchanged");
    }
    page.after_id = *after;
  }
  return page;
}

std::string NextPageToken(const Page& page, int returned, int64_t last_id) {
  return returned == page.size ? std::to_string(last_id) : std::string();
}

}  // namespace lims::services
