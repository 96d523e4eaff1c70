// The stays of tubes stored before the location history was kept, replayed from the audit
// trail: every sample event's after-image names the tube's box and position (or none).
#include <map>
#include <nlohmann/json.hpp>

#include "absl/strings/numbers.h"
#include "lims/core/box_layout.h"
#include "lims/core/location_replay.h"
#include "lims/db/location_history.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {
namespace {

// What one audit after-image says of the tube's place: unset when it says nothing (written
// before the after-image carried a location, or not about storage), else the place or none.
std::optional<std::optional<WellPlace>> PlaceInImage(const std::string& after_json,
                                                     const std::map<int64_t, BoxLayout>& boxes) {
  const nlohmann::json image = nlohmann::json::parse(after_json, nullptr, false);
  if (!image.is_object() || !image.contains("location")) return std::nullopt;
  const nlohmann::json& where = image["location"];
  if (where.is_null()) return std::optional<WellPlace>();
  int64_t box_id = 0;
  if (!where.is_object() || !where.value("box_id", nlohmann::json()).is_string() ||
      !absl::SimpleAtoi(where["box_id"].get<std::string>(), &box_id)) {
    return std::nullopt;
  }
  auto layout = boxes.find(box_id);
  if (layout == boxes.end() || !where.value("position", nlohmann::json()).is_string()) {
    return std::nullopt;  // a box since removed: its positions cannot be named
  }
  auto position = layout->second.ParsePosition(where["position"].get<std::string>());
  if (!position.ok()) return std::nullopt;
  return std::optional<WellPlace>(WellPlace{box_id, *position});
}

struct SampleRecords {
  std::vector<RecordedPlace> records;
  std::optional<absl::Time> known_from;  // the first stay already kept, if any
  WellPlace known;
};

// The stays to add for one tube.
std::vector<ReplayedStay> OlderStays(const SampleRecords& s) {
  const std::vector<ReplayedStay> stays = ReplayStays(s.records);
  if (s.known_from) return StaysBefore(stays, *s.known_from, s.known);
  // No stay kept at all: the tube is in no box now, so a stay the records leave open ended at a
  // moment they do not give; only the stays they close are certain.
  std::vector<ReplayedStay> closed;
  for (const ReplayedStay& stay : stays) {
    if (stay.to) closed.push_back(stay);
  }
  return closed;
}

// The events of the tubes with lo <= id <= hi that name a place, by tube.
std::map<int64_t, SampleRecords> ReadRange(soci::session& sql, long long lo, long long hi,
                                           const std::map<int64_t, BoxLayout>& boxes) {
  std::map<int64_t, SampleRecords> samples;
  long long sample = 0, at = 0, known_from = 0, known_box = 0;
  int known_position = 0;
  std::string after_json;
  soci::indicator known_ind = soci::i_null, box_ind = soci::i_null, pos_ind = soci::i_null;
  // Driven by the samples' primary key, then the audit trail's entity index.
  soci::statement st =
      (sql.prepare << "SELECT s.id, a.at, a.after_json, h.from_at, h.box_id, h.position_number "
                      "FROM samples s JOIN audit_events a ON a.entity_type = 'sample' "
                      "AND a.entity_key = s.barcode "
                      "LEFT JOIN location_history h ON h.id = (SELECT h2.id FROM "
                      "location_history h2 WHERE h2.sample_id = s.id ORDER BY h2.from_at, h2.id "
                      "LIMIT 1) "
                      "WHERE s.id BETWEEN :lo AND :hi AND a.after_json LIKE '%\"location\"%' "
                      "ORDER BY s.id, a.id",
       soci::use(lo), soci::use(hi), soci::into(sample), soci::into(at), soci::into(after_json),
       soci::into(known_from, known_ind), soci::into(known_box, box_ind),
       soci::into(known_position, pos_ind));
  st.execute();
  while (st.fetch()) {
    const auto place = PlaceInImage(after_json, boxes);
    if (!place) continue;
    SampleRecords& s = samples[sample];
    s.records.push_back({absl::FromUnixMicros(at), *place});
    if (known_ind == soci::i_ok && box_ind == soci::i_ok && pos_ind == soci::i_ok) {
      s.known_from = absl::FromUnixMicros(known_from);
      s.known = {known_box, known_position};
    }
  }
  return samples;
}

int64_t WriteStays(soci::session& sql, const std::map<int64_t, SampleRecords>& samples) {
  int64_t added = 0;
  for (const auto& [sample_id, records] : samples) {
    for (const ReplayedStay& stay : OlderStays(records)) {
      long long sample = sample_id, box = stay.place.box_id, from = absl::ToUnixMicros(stay.from),
                to = stay.to ? absl::ToUnixMicros(*stay.to) : 0;
      int position = stay.place.position;
      soci::indicator to_ind = stay.to ? soci::i_ok : soci::i_null;
      sql << "INSERT INTO location_history (sample_id, box_id, position_number, from_at, to_at) "
             "VALUES (:s, :b, :p, :f, :t)",
          soci::use(sample), soci::use(box), soci::use(position), soci::use(from),
          soci::use(to, to_ind);
      ++added;
    }
  }
  return added;
}

}  // namespace

absl::StatusOr<int64_t> LocationHistory::RebuildFromAudit(int64_t samples_per_batch) {
  if (samples_per_batch < 1) return absl::InvalidArgumentError("batch size must be positive");
  return Guarded([&]() -> absl::StatusOr<int64_t> {
    std::map<int64_t, BoxLayout> boxes;
    {
      long long id = 0;
      int rows = 0, columns = 0;
      soci::statement st =
          (tx_.session().prepare << "SELECT id, rows_count, columns_count FROM storage_units "
                                    "WHERE rows_count > 0 AND columns_count > 0",
           soci::into(id), soci::into(rows), soci::into(columns));
      st.execute();
      while (st.fetch()) {
        auto layout = BoxLayout::Create(rows, columns);
        if (layout.ok()) boxes.emplace(id, *layout);
      }
    }
    long long first = 0, last = 0;
    soci::indicator first_ind = soci::i_null, last_ind = soci::i_null;
    tx_.session() << "SELECT MIN(id), MAX(id) FROM samples", soci::into(first, first_ind),
        soci::into(last, last_ind);
    if (first_ind != soci::i_ok || last_ind != soci::i_ok) return int64_t{0};  // no tube yet
    int64_t added = 0;
    // A range read whole, then written: MariaDB serves one statement at a time per connection.
    for (long long lo = first; lo <= last; lo += samples_per_batch) {
      added += WriteStays(tx_.session(),
                          ReadRange(tx_.session(), lo, lo + samples_per_batch - 1, boxes));
    }
    return added;
  });
}

}  // namespace lims::db
