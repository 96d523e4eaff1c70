// "1, 2, 3" for an SQL IN (...) list. Only for ids from our own tables (numbers we read from the
// database or the caller's principal), never for anything a client typed.
#ifndef LIMS_DB_SRC_ID_LIST_H_
#define LIMS_DB_SRC_ID_LIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"

namespace lims::db {

inline std::string IdList(const std::vector<int64_t>& ids) { return absl::StrJoin(ids, ", "); }

}  // namespace lims::db

#endif  // LIMS_DB_SRC_ID_LIST_H_
