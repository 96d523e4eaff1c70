// Keyset paging for list RPCs: the page token is the last id of the previous page, so pages stay
// stable while rows are added and the server never holds more than one page.
#ifndef LIMS_SERVICES_COMMON_PAGING_H_
#define LIMS_SERVICES_COMMON_PAGING_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

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

// A page of rows read, of which the caller may see `visible` (the others are another site's):
// the next page still follows the rows read.
template <typename T>
struct VisiblePage {
  std::vector<T> visible;
  int fetched = 0;
  int64_t last_id = 0;

  std::string NextToken(const Page& page) const {
    return fetched > 0 ? NextPageToken(page, fetched, last_id) : "";
  }
};

// Keeps the rows `may_see` accepts; `rows` is what the database returned for `page`.
template <typename T, typename MaySee>
VisiblePage<T> Visible(std::vector<T> rows, MaySee may_see) {
  VisiblePage<T> out;
  out.fetched = static_cast<int>(rows.size());
  if (!rows.empty()) out.last_id = rows.back().id;
  for (T& row : rows) {
    if (may_see(row)) out.visible.push_back(std::move(row));
  }
  return out;
}

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_PAGING_H_
