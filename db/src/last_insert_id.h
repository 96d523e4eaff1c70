#ifndef LIMS_DB_SRC_LAST_INSERT_ID_H_
#define LIMS_DB_SRC_LAST_INSERT_ID_H_

#include <string>

#include "lims/db/database.h"
#include "soci/soci.h"

namespace lims::db {

// The id the last INSERT on this session generated (SQLite rowid / MariaDB AUTO_INCREMENT).
inline int64_t LastInsertId(Tx& tx, const std::string& table) {
  long long id = 0;
  if (!tx.session().get_last_insert_id(table, id)) {
    throw soci::soci_error("no generated id after INSERT into " + table);
  }
  return id;
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_LAST_INSERT_ID_H_
