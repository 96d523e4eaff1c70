// What the database benchmarks share: elapsed milliseconds, and SOCI's bulk binding for
// generating their data sets straight into the tables.
#ifndef LIMS_BENCH_SRC_BENCH_SQL_H_
#define LIMS_BENCH_SRC_BENCH_SQL_H_

#include <chrono>
#include <string>
#include <vector>

#include "soci/soci.h"

namespace lims::bench {

inline double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// One statement executed for every row of the columns.
template <typename... Columns>
void Bulk(soci::session& s, const std::string& sql, std::vector<Columns>&... columns) {
  soci::statement st(s);
  (st.exchange(soci::use(columns)), ...);
  st.alloc();
  st.prepare(sql);
  st.define_and_bind();
  st.execute(true);
}

}  // namespace lims::bench

#endif  // LIMS_BENCH_SRC_BENCH_SQL_H_
