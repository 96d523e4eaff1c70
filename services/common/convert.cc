#include "convert.h"

#include <charconv>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "lims/core/timepoint_window.h"

namespace lims::services {

absl::StatusOr<int64_t> ParseId(absl::string_view text, absl::string_view field) {
  int64_t id = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || id <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, " must be a positive number such as 12 (got '", text.substr(0, 32),
                     text.size() > 32 ? "...'" : "'", ")"));
  }
  return id;
}

absl::StatusOr<Quantity> FromProto(const v1::Quantity& quantity, absl::string_view field) {
  auto q = Quantity::FromValue(quantity.value(), quantity.unit());
  if (!q.ok()) return absl::InvalidArgumentError(absl::StrCat(field, ": ", q.status().message()));
  return q;
}

v1::Quantity ToProto(const Quantity& quantity) {
  v1::Quantity out;
  out.set_value(quantity.display_value());
  out.set_unit(quantity.display_unit());
  return out;
}

absl::StatusOr<absl::Time> FromProto(const google::protobuf::Timestamp& ts,
                                     absl::string_view field) {
  if (ts.seconds() == 0 && ts.nanos() == 0) {
    return absl::InvalidArgumentError(absl::StrCat(field, " is required"));
  }
  if (ts.nanos() < 0 || ts.nanos() > 999999999) {
    return absl::InvalidArgumentError(absl::StrCat(field, " has invalid nanos"));
  }
  return absl::FromUnixSeconds(ts.seconds()) + absl::Nanoseconds(ts.nanos());
}

google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp out;
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000, rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    --seconds;
  }
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>(rest * 1000));
  return out;
}

absl::StatusOr<StorageKind> FromProto(v1::StorageKind kind) {
  switch (kind) {
    case v1::STORAGE_KIND_SITE: return StorageKind::kSite;
    case v1::STORAGE_KIND_ROOM: return StorageKind::kRoom;
    case v1::STORAGE_KIND_FREEZER: return StorageKind::kFreezer;
    case v1::STORAGE_KIND_SHELF: return StorageKind::kShelf;
    case v1::STORAGE_KIND_RACK: return StorageKind::kRack;
    case v1::STORAGE_KIND_TOWER: return StorageKind::kTower;
    case v1::STORAGE_KIND_CANISTER:
      return StorageKind::kCanister;
    case v1::STORAGE_KIND_CASSETTE:
      return StorageKind::kCassette;
    case v1::STORAGE_KIND_BIN:
      return StorageKind::kBin;
    case v1::STORAGE_KIND_BOX: return StorageKind::kBox;
    default:
      return absl::InvalidArgumentError(
          "kind is required: one of SITE, ROOM, FREEZER, SHELF, RACK, TOWER, BOX");
  }
}

absl::StatusOr<SampleEvent> FromProto(v1::LifecycleEvent event) {
  switch (event) {
    case v1::LIFECYCLE_EVENT_RECEIVE: return SampleEvent::kReceive;
    case v1::LIFECYCLE_EVENT_START_PROCESSING: return SampleEvent::kStartProcessing;
    case v1::LIFECYCLE_EVENT_CONSUME: return SampleEvent::kConsume;
    case v1::LIFECYCLE_EVENT_DISPOSE: return SampleEvent::kDispose;
    default:
      return absl::InvalidArgumentError(
          "event is required: RECEIVE, START_PROCESSING, CONSUME or DISPOSE");
  }
}

absl::StatusOr<std::optional<HoldingTemperature>> FromProto(v1::HoldingTemperature temperature) {
  switch (temperature) {
    case v1::HOLDING_TEMPERATURE_UNSPECIFIED: return std::nullopt;
    case v1::HOLDING_TEMPERATURE_ROOM: return HoldingTemperature::kRoom;
    case v1::HOLDING_TEMPERATURE_REFRIGERATED: return HoldingTemperature::kRefrigerated;
    default:
      return absl::InvalidArgumentError(
          "pre_centrifugation_temperature must be ROOM (18-28 °C) or REFRIGERATED (2-10 °C)");
  }
}

v1::StorageKind ToProto(StorageKind kind) {
  switch (kind) {
    case StorageKind::kSite: return v1::STORAGE_KIND_SITE;
    case StorageKind::kRoom: return v1::STORAGE_KIND_ROOM;
    case StorageKind::kFreezer: return v1::STORAGE_KIND_FREEZER;
    case StorageKind::kShelf: return v1::STORAGE_KIND_SHELF;
    case StorageKind::kRack: return v1::STORAGE_KIND_RACK;
    case StorageKind::kTower: return v1::STORAGE_KIND_TOWER;
    case StorageKind::kCanister:
      return v1::STORAGE_KIND_CANISTER;
    case StorageKind::kCassette:
      return v1::STORAGE_KIND_CASSETTE;
    case StorageKind::kBin:
      return v1::STORAGE_KIND_BIN;
    case StorageKind::kBox: return v1::STORAGE_KIND_BOX;
  }
  return v1::STORAGE_KIND_UNSPECIFIED;
}

v1::SampleStatus ToProto(SampleStatus status) {
  switch (status) {
    case SampleStatus::kCollected: return v1::SAMPLE_STATUS_COLLECTED;
    case SampleStatus::kReceived: return v1::SAMPLE_STATUS_RECEIVED;
    case SampleStatus::kInProcessing: return v1::SAMPLE_STATUS_IN_PROCESSING;
    case SampleStatus::kStored: return v1::SAMPLE_STATUS_STORED;
    case SampleStatus::kCheckedOut: return v1::SAMPLE_STATUS_CHECKED_OUT;
    case SampleStatus::kShipped: return v1::SAMPLE_STATUS_SHIPPED;
    case SampleStatus::kConsumed: return v1::SAMPLE_STATUS_CONSUMED;
    case SampleStatus::kDisposed: return v1::SAMPLE_STATUS_DISPOSED;
    case SampleStatus::kMissing: return v1::SAMPLE_STATUS_MISSING;
  }
  return v1::SAMPLE_STATUS_UNSPECIFIED;
}

v1::Site ToProto(const Site& site) {
  v1::Site out;
  out.set_code(site.code);
  out.set_name(site.name);
  return out;
}

v1::Patient ToProto(const Patient& patient) {
  v1::Patient out;
  out.set_id(std::to_string(patient.id));
  out.set_registry_id(patient.registry_id);
  out.set_site_code(patient.site_code);
  return out;
}

v1::Protocol ToProto(const Protocol& protocol) {
  v1::Protocol out;
  out.set_code(protocol.code);
  out.set_name(protocol.name);
  for (const Timepoint& tp : protocol.timepoints) {
    v1::Timepoint* t = out.add_timepoints();
    t->set_code(tp.code);
    t->set_name(tp.name);
    t->set_offset_days(tp.offset_days);
    t->set_window_before_days(tp.window_before_days);
    t->set_window_after_days(tp.window_after_days);
    for (const ExpectedSample& kit : tp.expected_samples) {
      v1::ExpectedSample* e = t->add_expected_samples();
      e->set_sample_type(kit.sample_type);
      e->set_count(kit.count);
    }
  }
  return out;
}

v1::Enrollment ToProto(const Enrollment& enrollment) {
  v1::Enrollment out;
  out.set_id(std::to_string(enrollment.id));
  out.set_patient_id(std::to_string(enrollment.patient_id));
  out.set_protocol_code(enrollment.protocol_code);
  out.set_anchor_date(FormatIsoDate(enrollment.anchor_date));
  out.set_patient_registry_id(enrollment.patient_registry_id);
  return out;
}

v1::Sample ToProto(const Sample& sample) {
  v1::Sample out;
  out.set_id(std::to_string(sample.id));
  out.set_barcode(sample.barcode);
  out.set_parent_barcode(sample.parent_barcode);
  out.set_sample_type(sample.sample_type);
  *out.mutable_quantity() = ToProto(sample.quantity);
  out.set_status(ToProto(sample.status));
  out.set_freeze_thaw_count(sample.freeze_thaw_count);
  out.set_patient_registry_id(sample.patient_registry_id);
  out.set_protocol_code(sample.protocol_code);
  out.set_timepoint_code(sample.timepoint_code);
  *out.mutable_collected_at() = ToProto(sample.collected_at);
  out.set_out_of_window(sample.window_offset_days != 0);
  out.set_window_offset_days(sample.window_offset_days);
  out.set_site_code(sample.site_code);
  out.set_enrollment_id(std::to_string(sample.enrollment_id));
  out.set_sprec(sample.sprec);
  out.set_product_din(sample.product_din);
  out.set_coi(sample.coi);
  return out;
}

v1::StorageUnit ToProto(const StorageUnit& unit) {
  v1::StorageUnit out;
  out.set_id(std::to_string(unit.id));
  if (unit.parent_id != 0) out.set_parent_id(std::to_string(unit.parent_id));
  out.set_kind(ToProto(unit.kind));
  out.set_name(unit.name);
  out.set_rows(unit.rows);
  out.set_columns(unit.columns);
  out.set_path(unit.path);
  out.set_site_code(unit.site_code);
  const Climate& c = unit.climate;
  if (c.set_point) out.set_set_point_celsius(*c.set_point);
  if (c.alarm_low) out.set_alarm_low_celsius(*c.alarm_low);
  if (c.alarm_high) out.set_alarm_high_celsius(*c.alarm_high);
  out.set_probe_id(c.probe_id);
  out.set_state(ToProto(c.state));
  return out;
}

v1::UnitState ToProto(UnitState state) {
  switch (state) {
    case UnitState::kInService:
      return v1::UNIT_STATE_IN_SERVICE;
    case UnitState::kDefrosting:
      return v1::UNIT_STATE_DEFROSTING;
    case UnitState::kOutOfService:
      return v1::UNIT_STATE_OUT_OF_SERVICE;
    case UnitState::kBackup:
      return v1::UNIT_STATE_BACKUP;
  }
  return v1::UNIT_STATE_IN_SERVICE;
}

absl::StatusOr<std::optional<UnitState>> FromProto(v1::UnitState state) {
  switch (state) {
    case v1::UNIT_STATE_UNSPECIFIED:
      return std::optional<UnitState>();
    case v1::UNIT_STATE_IN_SERVICE:
      return std::optional<UnitState>(UnitState::kInService);
    case v1::UNIT_STATE_DEFROSTING:
      return std::optional<UnitState>(UnitState::kDefrosting);
    case v1::UNIT_STATE_OUT_OF_SERVICE:
      return std::optional<UnitState>(UnitState::kOutOfService);
    case v1::UNIT_STATE_BACKUP:
      return std::optional<UnitState>(UnitState::kBackup);
    default:
      break;
  }
  return absl::InvalidArgumentError(
      "unknown state; use UNIT_STATE_IN_SERVICE, _DEFROSTING, "
      "_OUT_OF_SERVICE or _BACKUP");
}

v1::Location ToProto(const BoxPlace& where) {
  v1::Location out;
  out.set_box_id(std::to_string(where.box_id));
  out.set_position(where.PositionName());
  out.set_position_number(where.position);
  out.set_path(where.box_path);
  return out;
}

}  // namespace lims::services
