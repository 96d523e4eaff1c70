// Converts SOCI exceptions into the status vocabulary of database.h. Every repository method
// runs its SQL inside Guarded() so that no exception leaves db/.
#ifndef LIMS_DB_SRC_SQL_ERRORS_H_
#define LIMS_DB_SRC_SQL_ERRORS_H_

#include <exception>
#include <utility>

#include "absl/status/status.h"

namespace lims::db {

// Messages for clients: what happened and what to do, never the SQL, its values or the
// database's own text (those go to the server's log, without the values).
absl::Status StatusFromException(const std::exception& e);

// UNAVAILABLE: the connection is gone or the server is not serving (the one status that
// means "reconnect").
absl::Status ConnectionLost();

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
