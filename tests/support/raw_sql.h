// Runs SQL on a test database behind the LIMS's back — the sqlite3 C API on the file, the
// MariaDB C API on the server — the way someone with access to the file or server would tamper
// with it.
#ifndef LIMS_TESTS_SUPPORT_RAW_SQL_H_
#define LIMS_TESTS_SUPPORT_RAW_SQL_H_

#include <string>

#include "absl/status/status.h"

namespace lims::testing {

// `url` is a TestDatabase::url(). Runs `sql` (one statement) in autocommit.
absl::Status ExecuteRawSql(const std::string& url, const std::string& sql);

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_RAW_SQL_H_
