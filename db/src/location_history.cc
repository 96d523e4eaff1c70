#include "lims/db/location_history.h"

#include "absl/strings/str_cat.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::StatusOr<std::vector<TubeStay>> LocationHistory::Select(
    const std::string& where, const std::vector<long long>& values) {
  return Guarded([&]() -> absl::StatusOr<std::vector<TubeStay>> {
    std::vector<TubeStay> out;
    TubeStay row;
    long long sample = 0, box = 0, from = 0, to = 0;
    soci::indicator to_ind = soci::i_null;
    std::vector<long long> bound = values;  // soci binds by reference
    soci::statement st(tx_.session());
    st.exchange(soci::into(sample));
    st.exchange(soci::into(row.barcode));
    st.exchange(soci::into(box));
    st.exchange(soci::into(row.position));
    st.exchange(soci::into(row.box_path));
    st.exchange(soci::into(row.rows));
    st.exchange(soci::into(row.columns));
    st.exchange(soci::into(from));
    st.exchange(soci::into(to, to_ind));
    for (long long& v : bound) st.exchange(soci::use(v));
    Prepare(st, absl::StrCat("SELECT h.sample_id, s.barcode, h.box_id, h.position_number, b.path, "
                             "b.rows_count, b.columns_count, h.from_at, h.to_at "
                             "FROM location_history h JOIN storage_units b ON b.id = h.box_id "
                             "JOIN samples s ON s.id = h.sample_id ",
                             where));
    st.execute();
    while (st.fetch()) {
      row.sample_id = sample;
      row.box_id = box;
      row.from = absl::FromUnixMicros(from);
      row.to = to_ind == soci::i_null ? std::nullopt
                                      : std::optional<absl::Time>(absl::FromUnixMicros(to));
      out.push_back(row);
    }
    return out;
  });
}

absl::StatusOr<std::vector<TubeStay>> LocationHistory::ForSample(int64_t sample_id) {
  return Select("WHERE h.sample_id = :s ORDER BY h.from_at, h.id", {sample_id});
}

absl::StatusOr<std::vector<TubeStay>> LocationHistory::InBoxBetween(int64_t box_id, absl::Time from,
                                                                    absl::Time to) {
  return Select(
      "WHERE h.box_id = :b AND h.from_at < :t AND (h.to_at IS NULL OR h.to_at > :f) "
      "ORDER BY h.from_at",
      {box_id, absl::ToUnixMicros(to), absl::ToUnixMicros(from)});
}

}  // namespace lims::db
