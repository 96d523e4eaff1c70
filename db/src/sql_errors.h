// Converts SOCI exceptions into the status vocabulary of database.h. Every repository method
// runs its SQL inside Guarded() so that no exception leaves db/.
#ifndef LIMS_DB_SRC_SQL_ERRORS_H_
#define LIMS_DB_SRC_SQL_ERRORS_H_

#include <exception>
#include <utility>

#include "absl/status/status.h"

namespace lims::db {

absl::Status StatusFromException(const std::exception& e);

template <typename F>
auto Guarded(F&& f) -> decltype(f()) {
  try {
    return std::forward<F>(f)();
  } catch (const std::exception& e) {
    return StatusFromException(e);
  }
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_SQL_ERRORS_H_
