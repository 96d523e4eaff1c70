#ifndef LIMS_DB_SRC_PREPARE_H_
#define LIMS_DB_SRC_PREPARE_H_

#include <string>

#include "soci/soci.h"

namespace lims::db {

// Prepares a statement whose into()/use() elements were exchanged one by one — the way to share
// one row binding (e.g. a struct's Bind()) between several queries.
inline void Prepare(soci::statement& st, const std::string& query) {
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_PREPARE_H_
