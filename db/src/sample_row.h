#ifndef LIMS_DB_SRC_SAMPLE_ROW_H_
#define LIMS_DB_SRC_SAMPLE_ROW_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lims/core/domain.h"
#include "lims/db/placements.h"
#include "prepare.h"
#include "soci/soci.h"

namespace lims::db {

// A sample row with its registration context (site, patient, protocol, timepoint codes), the
// product it belongs to, and, with kLocationColumns/kLocationJoin, where it is stored.
inline constexpr char kSampleColumns[] =
    "SELECT s.id, s.barcode, COALESCE(par.barcode, ''), COALESCE(s.parent_id, 0), "
    "s.enrollment_id, s.timepoint_id, s.site_id, s.sample_type, s.quantity_amount, "
    "s.quantity_unit, s.status, s.freeze_thaw_count, s.collected_at, s.window_offset_days, "
    "s.version, s.sprec, si.code, pa.registry_id, pr.code, tp.code, COALESCE(prd.din, ''), "
    "COALESCE(th.coi, '')";
inline constexpr char kSampleFrom[] =
    " FROM samples s LEFT JOIN samples par ON par.id = s.parent_id "
    "JOIN sites si ON si.id = s.site_id JOIN enrollments e ON e.id = s.enrollment_id "
    "JOIN patients pa ON pa.id = e.patient_id JOIN protocols pr ON pr.id = e.protocol_id "
    "JOIN timepoints tp ON tp.id = s.timepoint_id "
    "LEFT JOIN product_samples ps ON ps.sample_id = s.id "
    "LEFT JOIN products prd ON prd.id = ps.product_id "
    "LEFT JOIN therapies th ON th.id = prd.therapy_id";
inline constexpr char kLocationColumns[] =
    ", COALESCE(pl.box_id, 0), COALESCE(pl.position_number, 0), COALESCE(b.name, ''), "
    "COALESCE(b.path, ''), COALESCE(b.rows_count, 0), COALESCE(b.columns_count, 0)";
inline constexpr char kLocationJoin[] =
    " LEFT JOIN placements pl ON pl.sample_id = s.id LEFT JOIN storage_units b ON b.id = pl.box_id";

struct SampleRow {
  long long id = 0, parent_id = 0, enrollment_id = 0, timepoint_id = 0, site_id = 0;
  long long amount = 0, collected_at = 0, version = 0;
  int freeze_thaw = 0, window_offset = 0;
  std::string barcode, parent_barcode, sample_type, unit, status, sprec, site_code, registry_id,
      protocol_code, timepoint_code, product_din, coi;

  // Calls visit(field) for each field in column order.
  template <typename Visit>
  void Fields(Visit&& visit) {
    visit(id);
    visit(barcode);
    visit(parent_barcode);
    visit(parent_id);
    visit(enrollment_id);
    visit(timepoint_id);
    visit(site_id);
    visit(sample_type);
    visit(amount);
    visit(unit);
    visit(status);
    visit(freeze_thaw);
    visit(collected_at);
    visit(window_offset);
    visit(version);
    visit(sprec);
    visit(site_code);
    visit(registry_id);
    visit(protocol_code);
    visit(timepoint_code);
    visit(product_din);
    visit(coi);
  }
  void Bind(soci::statement& st) { BindFields(st, *this); }

  // Rows are written only by Insert/Update, so a value that does not parse is corrupt data.
  Sample ToSample() const {
    Sample s;
    s.id = id;
    s.barcode = barcode;
    s.parent_barcode = parent_barcode;
    s.parent_id = parent_id;
    s.enrollment_id = enrollment_id;
    s.timepoint_id = timepoint_id;
    s.site_id = site_id;
    s.sample_type = sample_type;
    auto quantity = Quantity::FromCanonical(amount, unit);
    auto parsed_status = ParseStatusName(status);
    if (!quantity.ok() || !parsed_status.ok()) {
      throw soci::soci_error("corrupt quantity or status in sample " + barcode);
    }
    s.quantity = *quantity;
    s.status = *parsed_status;
    s.freeze_thaw_count = freeze_thaw;
    s.collected_at = absl::FromUnixMicros(collected_at);
    s.window_offset_days = window_offset;
    s.version = version;
    s.sprec = sprec;
    s.site_code = site_code;
    s.patient_registry_id = registry_id;
    s.protocol_code = protocol_code;
    s.timepoint_code = timepoint_code;
    s.product_din = product_din;
    s.coi = coi;
    return s;
  }
};

struct LocationRow {
  long long box_id = 0;
  int position = 0, rows = 0, columns = 0;
  std::string name, path;

  template <typename Visit>
  void Fields(Visit&& visit) {
    visit(box_id);
    visit(position);
    visit(name);
    visit(path);
    visit(rows);
    visit(columns);
  }
  void Bind(soci::statement& st) { BindFields(st, *this); }

  std::optional<BoxPosition> ToLocation() const {
    if (box_id == 0) return std::nullopt;
    return BoxPosition{box_id, position, name, path, rows, columns};
  }
};

inline absl::Status UnknownBarcode(const std::string& barcode) {
  return absl::NotFoundError(absl::StrCat(
      "no sample with barcode '", barcode,
      "'; check the label, or register the tube first (lims collect / lims sample derive)"));
}

}  // namespace lims::db

#endif  // LIMS_DB_SRC_SAMPLE_ROW_H_
