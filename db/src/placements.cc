#include "lims/db/placements.h"

#include "absl/strings/str_cat.h"
#include "like_pattern.h"
#include "lims/core/box_layout.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

absl::Status PlacementRepository::Insert(const Placement& p, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long sample = p.sample_id, box = p.box_id, at = absl::ToUnixMicros(now);
    int position = p.position;
    tx_.session() << "INSERT INTO placements (sample_id, box_id, position_number, placed_at) "
                     "VALUES (:s, :b, :p, :t)",
        soci::use(sample), soci::use(box), soci::use(position), soci::use(at);
    // Every stay is kept: where the tube was, and when, is what exposure is computed from.
    tx_.session() << "INSERT INTO location_history (sample_id, box_id, position_number, from_at) "
                     "VALUES (:s, :b, :p, :t)",
        soci::use(sample), soci::use(box), soci::use(position), soci::use(at);
    return absl::OkStatus();
  });
}

absl::Status PlacementRepository::DeleteBySample(int64_t sample_id, absl::Time now) {
  return Guarded([&]() -> absl::Status {
    long long sample = sample_id, at = absl::ToUnixMicros(now);
    tx_.session() << "UPDATE location_history SET to_at = :t WHERE sample_id = :s "
                     "AND to_at IS NULL",
        soci::use(at), soci::use(sample);
    soci::statement st = (tx_.session().prepare << "DELETE FROM placements WHERE sample_id = :s",
                          soci::use(sample));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return absl::AbortedError("the sample's placement changed meanwhile; retry");
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<BoxPosition>> PlacementRepository::FindBySample(int64_t sample_id) {
  return Guarded([&]() -> absl::StatusOr<std::optional<BoxPosition>> {
    BoxPosition where;
    long long sample = sample_id, box = 0;
    tx_.session() << "SELECT pl.box_id, pl.position_number, b.name, b.path, b.rows_count, "
                     "b.columns_count FROM placements pl JOIN storage_units b ON b.id = pl.box_id "
                     "WHERE pl.sample_id = :s",
        soci::use(sample), soci::into(box), soci::into(where.position), soci::into(where.box_name),
        soci::into(where.box_path), soci::into(where.rows), soci::into(where.columns);
    if (!tx_.session().got_data()) return std::optional<BoxPosition>();
    where.box_id = box;
    return std::optional<BoxPosition>(where);
  });
}

absl::StatusOr<std::optional<OccupiedSlot>> PlacementRepository::FindByPosition(int64_t box_id,
                                                                               int position) {
  return Guarded([&]() -> absl::StatusOr<std::optional<OccupiedSlot>> {
    OccupiedSlot slot;
    long long box = box_id, sample = 0;
    tx_.session() << "SELECT pl.position_number, pl.sample_id, s.barcode, s.sample_type "
                     "FROM placements pl JOIN samples s ON s.id = pl.sample_id "
                     "WHERE pl.box_id = :b AND pl.position_number = :p",
        soci::use(box), soci::use(position), soci::into(slot.position), soci::into(sample),
        soci::into(slot.barcode), soci::into(slot.sample_type);
    if (!tx_.session().got_data()) return std::optional<OccupiedSlot>();
    slot.sample_id = sample;
    return std::optional<OccupiedSlot>(slot);
  });
}

absl::StatusOr<std::vector<OccupiedSlot>> PlacementRepository::ListBox(int64_t box_id) {
  return Guarded([&]() -> absl::StatusOr<std::vector<OccupiedSlot>> {
    std::vector<OccupiedSlot> out;
    OccupiedSlot slot;
    long long box = box_id, sample = 0;
    soci::statement st =
        (tx_.session().prepare << "SELECT pl.position_number, pl.sample_id, s.barcode, "
                                  "s.sample_type FROM placements pl JOIN samples s ON "
                                  "s.id = pl.sample_id WHERE pl.box_id = :b "
                                  "ORDER BY pl.position_number",
         soci::use(box), soci::into(slot.position), soci::into(sample), soci::into(slot.barcode),
         soci::into(slot.sample_type));
    st.execute();
    while (st.fetch()) {
      slot.sample_id = sample;
      out.push_back(slot);
    }
    return out;
  });
}

absl::StatusOr<std::vector<OccupiedSlot>> PlacementRepository::ListUnder(int64_t unit_id,
                                                                         const std::string& path) {
  return Guarded(
      [&]() -> absl::StatusOr<std::vector<OccupiedSlot>> {
        std::vector<OccupiedSlot> out;
        OccupiedSlot slot;
        long long unit = unit_id, sample = 0;
        const std::string below = BelowPath(path);
        soci::statement st =
            (tx_.session().prepare << "SELECT pl.position_number, pl.sample_id, s.barcode, "
                                      "s.sample_type FROM placements pl JOIN samples s ON "
                                      "s.id = pl.sample_id WHERE " +
                                          std::string(kPlacedUnder) + " ORDER BY pl.sample_id",
             soci::use(unit), soci::use(below), soci::into(slot.position), soci::into(sample),
             soci::into(slot.barcode), soci::into(slot.sample_type));
        st.execute();
        while (st.fetch()) {
          slot.sample_id = sample;
          out.push_back(slot);
        }
        return out;
      });
}

absl::StatusOr<std::map<int64_t, int64_t>> PlacementRepository::CountByBoxUnder(
    int64_t unit_id, const std::string& path) {
  return Guarded([&]() -> absl::StatusOr<std::map<int64_t, int64_t>> {
    std::map<int64_t, int64_t> out;
    long long unit = unit_id, box = 0, count = 0;
    const std::string below = BelowPath(path);
    soci::statement st =
        (tx_.session().prepare << "SELECT pl.box_id, COUNT(*) FROM placements pl WHERE " +
                                      std::string(kPlacedUnder) + " GROUP BY pl.box_id",
         soci::use(unit), soci::use(below), soci::into(box), soci::into(count));
    st.execute();
    while (st.fetch()) out[box] = count;
    return out;
  });
}

absl::StatusOr<int> PlacementRepository::CountBox(int64_t box_id) {
  return Guarded([&]() -> absl::StatusOr<int> {
    long long box = box_id;
    int count = 0;
    tx_.session() << "SELECT COUNT(*) FROM placements WHERE box_id = :b", soci::use(box),
        soci::into(count);
    return count;
  });
}

}  // namespace lims::db
