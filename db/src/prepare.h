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

// Binds each field of `row` as an into() element, in the order its Fields(visit) lists them
// (the order of the query's columns).
template <typename Row>
void BindFields(soci::statement& st, Row& row) {
  row.Fields([&](auto& field) { st.exchange(soci::into(field)); });
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_PREPARE_H_
