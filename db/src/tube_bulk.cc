#include "lims/db/tube_bulk.h"

#include "lims/core/sample_lifecycle.h"
#include "soci/soci.h"
#include "sql_errors.h"

namespace lims::db {

// The bound values come first: each statement refers to them from its preparation on.
struct TubeBulk::Statements {
  explicit Statements(soci::session& sql) : sql(sql) {}
  soci::session& sql;
  std::string barcode;
  long long found = 0;
  long long box = 0, sample_id = 0, at = 0;
  int position = 0;
  std::string holder;
  // The sample's columns.
  long long parent = 0, enrollment = 0, timepoint = 0, site = 0, amount = 0, collected = 0,
            created = 0, version = 1;
  soci::indicator parent_ind = soci::i_null;
  std::string sample_type, unit, status, sprec;
  int freeze_thaw = 0, window_offset = 0;
  std::unique_ptr<soci::statement> exists, taken, insert_sample, insert_placement, insert_stay;
};

TubeBulk::TubeBulk(Tx& tx) : tx_(tx) {}
TubeBulk::~TubeBulk() = default;

absl::Status TubeBulk::Prepare() {
  if (st_) return absl::OkStatus();
  return Guarded([&]() -> absl::Status {
    auto s = std::make_unique<Statements>(tx_.session());
    soci::session& sql = tx_.session();
    s->exists = std::make_unique<soci::statement>(
        (sql.prepare << "SELECT id FROM samples WHERE barcode = :b", soci::use(s->barcode),
         soci::into(s->found)));
    s->taken = std::make_unique<soci::statement>(
        (sql.prepare << "SELECT s.barcode FROM placements pl JOIN samples s ON s.id = "
                        "pl.sample_id WHERE pl.box_id = :b AND pl.position_number = :p",
         soci::use(s->box), soci::use(s->position), soci::into(s->holder)));
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

absl::StatusOr<bool> TubeBulk::BarcodeExists(const std::string& barcode) {
  if (absl::Status ready = Prepare(); !ready.ok()) return ready;
  return Guarded([&]() -> absl::StatusOr<bool> {
    st_->barcode = barcode;
    st_->exists->execute(true);
    return st_->exists->got_data();
  });
}

absl::StatusOr<std::optional<std::string>> TubeBulk::TubeAt(int64_t box_id, int position) {
  if (absl::Status ready = Prepare(); !ready.ok()) return ready;
  return Guarded([&]() -> absl::StatusOr<std::optional<std::string>> {
    st_->box = box_id;
    st_->position = position;
    st_->taken->execute(true);
    if (!st_->taken->got_data()) return std::optional<std::string>();
    return std::optional<std::string>(st_->holder);
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

}  // namespace lims::db
