#include "lims/db/tube_bulk.h"

#include <algorithm>

#include "lims/core/sample_lifecycle.h"
#include "prepare.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

// The bound values come first: each statement refers to them from its preparation on.
struct TubeBulk::Statements {
  explicit Statements(soci::session& sql) : sql(sql) {}
  soci::session& sql;
  std::string barcode;
  long long box = 0, sample_id = 0, at = 0;
  int position = 0;
  // The sample's columns.
  long long parent = 0, enrollment = 0, timepoint = 0, site = 0, amount = 0, collected = 0,
            created = 0, version = 1;
  soci::indicator parent_ind = soci::i_null;
  std::string sample_type, unit, status, sprec;
  int freeze_thaw = 0, window_offset = 0;
  std::unique_ptr<soci::statement> insert_sample, insert_placement, insert_stay;
};

TubeBulk::TubeBulk(Tx& tx) : tx_(tx) {}
TubeBulk::~TubeBulk() = default;

absl::Status TubeBulk::Prepare() {
  if (st_) return absl::OkStatus();
  return Guarded([&]() -> absl::Status {
    auto s = std::make_unique<Statements>(tx_.session());
    soci::session& sql = tx_.session();
    s->insert_sample = std::make_unique<soci::statement>(
        (sql.prepare << "INSERT INTO samples (barcode, parent_id, enrollment_id, timepoint_id, "
                        "site_id, sample_type, quantity_amount, quantity_unit, status, "
                        "freeze_thaw_count, collected_at, window_offset_days, version, "
                        "created_at, sprec) VALUES (:b, :p, :e, :t, :si, :st, :qa, :qu, :status, "
                        ":ft, :ca, :wo, :v, :cr, :sp)",
         soci::use(s->barcode), soci::use(s->parent, s->parent_ind), soci::use(s->enrollment),
         soci::use(s->timepoint), soci::use(s->site), soci::use(s->sample_type),
         soci::use(s->amount), soci::use(s->unit), soci::use(s->status), soci::use(s->freeze_thaw),
         soci::use(s->collected), soci::use(s->window_offset), soci::use(s->version),
         soci::use(s->created), soci::use(s->sprec)));
    s->insert_placement = std::make_unique<soci::statement>(
        (sql.prepare << "INSERT INTO placements (sample_id, box_id, position_number, placed_at) "
                        "VALUES (:s, :b, :p, :t)",
         soci::use(s->sample_id), soci::use(s->box), soci::use(s->position), soci::use(s->at)));
    s->insert_stay = std::make_unique<soci::statement>(
        (sql.prepare << "INSERT INTO location_history (sample_id, box_id, position_number, "
                        "from_at) VALUES (:s, :b, :p, :t)",
         soci::use(s->sample_id), soci::use(s->box), soci::use(s->position), soci::use(s->at)));
    st_ = std::move(s);
    return absl::OkStatus();
  });
}

namespace {

constexpr size_t kPerQuery = 500;

// ":k0, :k1, ..." for n values.
std::string Placeholders(size_t n, const char* prefix) {
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    out += (i ? ", :" : ":") + std::string(prefix) + std::to_string(i);
  }
  return out;
}

}  // namespace

absl::StatusOr<std::set<std::string>> TubeBulk::ExistingBarcodes(
    const std::vector<std::string>& barcodes) {
  return Guarded([&]() -> absl::StatusOr<std::set<std::string>> {
    std::set<std::string> found;
    for (size_t from = 0; from < barcodes.size(); from += kPerQuery) {
      const size_t n = std::min(kPerQuery, barcodes.size() - from);
      std::string code;
      soci::statement st(tx_.session());
      for (size_t i = 0; i < n; ++i) st.exchange(soci::use(barcodes[from + i]));
      st.exchange(soci::into(code));
      db::Prepare(st,
                  "SELECT barcode FROM samples WHERE barcode IN (" + Placeholders(n, "k") + ")");
      st.execute();
      while (st.fetch()) found.insert(code);
    }
    return found;
  });
}

absl::StatusOr<std::map<std::pair<int64_t, int>, std::string>> TubeBulk::TubesIn(
    const std::vector<std::pair<int64_t, int>>& wells) {
  return Guarded([&]() -> absl::StatusOr<std::map<std::pair<int64_t, int>, std::string>> {
    std::map<std::pair<int64_t, int>, std::string> found;
    // The wells' boxes, then their occupied wells: boxes are few, wells many.
    std::set<int64_t> box_set;
    for (const auto& [box, position] : wells) box_set.insert(box);
    std::vector<long long> boxes(box_set.begin(), box_set.end());
    std::set<std::pair<int64_t, int>> wanted(wells.begin(), wells.end());
    for (size_t from = 0; from < boxes.size(); from += kPerQuery) {
      const size_t n = std::min(kPerQuery, boxes.size() - from);
      long long box = 0;
      int position = 0;
      std::string code;
      soci::statement st(tx_.session());
      for (size_t i = 0; i < n; ++i) st.exchange(soci::use(boxes[from + i]));
      st.exchange(soci::into(box));
      st.exchange(soci::into(position));
      st.exchange(soci::into(code));
      db::Prepare(st,
                  "SELECT pl.box_id, pl.position_number, s.barcode FROM placements pl JOIN "
                  "samples s ON s.id = pl.sample_id WHERE pl.box_id IN (" +
                      Placeholders(n, "b") + ")");
      st.execute();
      while (st.fetch()) {
        if (wanted.count({box, position})) found[{box, position}] = code;
      }
    }
    return found;
  });
}

absl::Status TubeBulk::Insert(Sample& sample, const std::optional<Placement>& place,
                              absl::Time now) {
  if (absl::Status ready = Prepare(); !ready.ok()) return ready;
  return Guarded([&]() -> absl::Status {
    Statements& s = *st_;
    s.barcode = sample.barcode;
    s.parent = sample.parent_id;
    s.parent_ind = sample.parent_id == 0 ? soci::i_null : soci::i_ok;
    s.enrollment = sample.enrollment_id;
    s.timepoint = sample.timepoint_id;
    s.site = sample.site_id;
    s.sample_type = sample.sample_type;
    s.amount = sample.quantity.canonical_amount();
    s.unit = sample.quantity.canonical_unit();
    s.status = std::string(StatusName(sample.status));
    s.freeze_thaw = sample.freeze_thaw_count;
    s.collected = absl::ToUnixMicros(sample.collected_at);
    s.window_offset = sample.window_offset_days;
    s.created = absl::ToUnixMicros(now);
    s.sprec = sample.sprec;
    s.insert_sample->execute(true);
    long long id = 0;
    if (!s.sql.get_last_insert_id("samples", id)) {
      throw soci::soci_error("no generated id after INSERT into samples");
    }
    sample.id = id;
    sample.version = 1;
    if (place) {
      s.sample_id = id;
      s.box = place->box_id;
      s.position = place->position;
      s.at = absl::ToUnixMicros(now);
      s.insert_placement->execute(true);
      s.insert_stay->execute(true);
    }
    return absl::OkStatus();
  });
}

absl::Status TubeBulk::InsertMany(std::vector<Sample>& samples,
                                  const std::vector<std::optional<Placement>>& places,
                                  absl::Time now) {
  if (tx_.backend() == Backend::kSqlite) {
    for (size_t k = 0; k < samples.size(); ++k) {
      if (absl::Status done = Insert(samples[k], places[k], now); !done.ok()) return done;
    }
    return absl::OkStatus();
  }
  constexpr size_t kChunk = 200;
  return Guarded([&]() -> absl::Status {
    const long long created = absl::ToUnixMicros(now);
    for (size_t from = 0; from < samples.size(); from += kChunk) {
      const size_t n = std::min(kChunk, samples.size() - from);
      // The values of the chunk, bound in the order of the placeholders.
      std::vector<long long> parent(n), enrollment(n), timepoint(n), site(n), amount(n),
          collected(n);
      std::vector<soci::indicator> parent_ind(n);
      std::vector<std::string> unit(n), status(n);
      std::vector<int> window(n);
      soci::statement st(tx_.session());
      std::string sql =
          "INSERT INTO samples (barcode, parent_id, enrollment_id, timepoint_id, site_id, "
          "sample_type, quantity_amount, quantity_unit, status, freeze_thaw_count, collected_at, "
          "window_offset_days, version, created_at, sprec) VALUES ";
      long long version = 1;
      for (size_t k = 0; k < n; ++k) {
        Sample& s = samples[from + k];
        parent[k] = s.parent_id;
        parent_ind[k] = s.parent_id == 0 ? soci::i_null : soci::i_ok;
        enrollment[k] = s.enrollment_id;
        timepoint[k] = s.timepoint_id;
        site[k] = s.site_id;
        amount[k] = s.quantity.canonical_amount();
        unit[k] = s.quantity.canonical_unit();
        status[k] = std::string(StatusName(s.status));
        collected[k] = absl::ToUnixMicros(s.collected_at);
        window[k] = s.window_offset_days;
        sql += (k ? ", (" : "(") + Placeholders(15, ("r" + std::to_string(k) + "_").c_str()) + ")";
        st.exchange(soci::use(s.barcode));
        st.exchange(soci::use(parent[k], parent_ind[k]));
        st.exchange(soci::use(enrollment[k]));
        st.exchange(soci::use(timepoint[k]));
        st.exchange(soci::use(site[k]));
        st.exchange(soci::use(s.sample_type));
        st.exchange(soci::use(amount[k]));
        st.exchange(soci::use(unit[k]));
        st.exchange(soci::use(status[k]));
        st.exchange(soci::use(s.freeze_thaw_count));
        st.exchange(soci::use(collected[k]));
        st.exchange(soci::use(window[k]));
        st.exchange(soci::use(version));
        st.exchange(soci::use(created));
        st.exchange(soci::use(s.sprec));
      }
      db::Prepare(st, sql);
      st.execute(true);
      // The ids, by barcode: with Galera's interleaved auto-increment they need not follow on.
      std::map<std::string, Sample*> by_code;
      std::vector<std::string> codes;
      for (size_t k = 0; k < n; ++k) {
        by_code[samples[from + k].barcode] = &samples[from + k];
        codes.push_back(samples[from + k].barcode);
      }
      long long id = 0;
      std::string code;
      soci::statement ids(tx_.session());
      for (const std::string& c : codes) ids.exchange(soci::use(c));
      ids.exchange(soci::into(id));
      ids.exchange(soci::into(code));
      db::Prepare(
          ids, "SELECT id, barcode FROM samples WHERE barcode IN (" + Placeholders(n, "k") + ")");
      ids.execute();
      size_t found = 0;
      while (ids.fetch()) {
        by_code.at(code)->id = id;
        by_code.at(code)->version = 1;
        ++found;
      }
      if (found != n) throw soci::soci_error("tubes inserted but not read back");
      // Their places and first stays, two statements for the chunk.
      std::vector<long long> placed_id, placed_box;
      std::vector<int> placed_position;
      for (size_t k = 0; k < n; ++k) {
        if (!places[from + k]) continue;
        placed_id.push_back(samples[from + k].id);
        placed_box.push_back(places[from + k]->box_id);
        placed_position.push_back(places[from + k]->position);
      }
      if (placed_id.empty()) continue;
      for (const char* table : {"placements (sample_id, box_id, position_number, placed_at)",
                                "location_history (sample_id, box_id, position_number, from_at)"}) {
        soci::statement put(tx_.session());
        std::string values;
        for (size_t k = 0; k < placed_id.size(); ++k) {
          values +=
              (k ? ", (" : "(") + Placeholders(4, ("p" + std::to_string(k) + "_").c_str()) + ")";
          put.exchange(soci::use(placed_id[k]));
          put.exchange(soci::use(placed_box[k]));
          put.exchange(soci::use(placed_position[k]));
          put.exchange(soci::use(created));
        }
        db::Prepare(put, std::string("INSERT INTO ") + table + " VALUES " + values);
        put.execute(true);
      }
    }
    return absl::OkStatus();
  });
}

}  // namespace lims::db
