#include "audit.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/audit_log.h"

namespace lims::services {
namespace {

nlohmann::json LocationJson(const BoxPlace& where) {
  return {{"box_id", std::to_string(where.box_id)},
          {"position", where.PositionName()},
          {"path", where.box_path}};
}

}  // namespace

namespace {

// The details column holds one readable line of at most 1000 bytes (before/after JSON carries the
// full record): a long summary (e.g. 96 aliquot barcodes) is cut at a UTF-8 boundary, never
// refused — an audit write must not fail the change it records.
constexpr size_t kMaxDetails = 1000;

std::string FitDetails(const std::string& details) {
  if (details.size() <= kMaxDetails) return details;
  const std::string ellipsis = "...";
  size_t cut = kMaxDetails - ellipsis.size();
  while (cut > 0 && (static_cast<unsigned char>(details[cut]) & 0xC0) == 0x80) --cut;
  return details.substr(0, cut) + ellipsis;
}

}  // namespace

absl::Status Audit(db::Tx& tx, const CallContext& call, const AuditEntry& entry) {
  db::AuditEvent event;
  event.at = call.now;
  event.actor = call.actor;
  event.action = entry.action;
  event.entity_type = entry.entity_type;
  event.entity_key = entry.entity_key;
  event.details = FitDetails(entry.details);
  event.before_json = entry.before_json;
  event.after_json = entry.after_json;
  event.reason = call.vouched_by.empty()  ? entry.reason
                 : entry.reason.empty() ? call.vouched_by
                                        : absl::StrCat(entry.reason, "; ", call.vouched_by);
  event.request_id = call.request_id;
  return db::AuditLog(tx).Append(event);
}

std::string SnapshotJson(const Sample& s, const std::optional<BoxPlace>& where) {
  nlohmann::json j = {{"barcode", s.barcode},
                      {"parent_barcode", s.parent_barcode},
                      {"sample_type", s.sample_type},
                      {"quantity", s.quantity.ToString()},
                      {"status", std::string(StatusName(s.status))},
                      {"freeze_thaw_count", s.freeze_thaw_count},
                      {"enrollment_id", s.enrollment_id},
                      {"timepoint_id", s.timepoint_id},
                      {"collected_at", absl::FormatTime(absl::RFC3339_sec, s.collected_at,
                                                        absl::UTCTimeZone())},
                      {"window_offset_days", s.window_offset_days},
                      {"sprec", s.sprec}};
  j["location"] = where ? LocationJson(*where) : nlohmann::json();
  return j.dump();
}

std::string SnapshotJson(const StorageUnit& u) {
  nlohmann::json out({{"id", u.id},
                      {"parent_id", u.parent_id},
                      {"kind", std::string(KindLabel(u.kind))},
                      {"name", u.name},
                      {"rows", u.rows},
                      {"columns", u.columns},
                      {"path", u.path}});
  if (HoldsTemperature(u.kind)) {
    const Climate& c = u.climate;
    auto temperature = [](std::optional<double> v) {
      return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
    };
    out["set_point_celsius"] = temperature(c.set_point);
    out["alarm_low_celsius"] = temperature(c.alarm_low);
    out["alarm_high_celsius"] = temperature(c.alarm_high);
    out["probe_id"] = c.probe_id;
    out["state"] = std::string(UnitStateCode(c.state));
  }
  return out.dump();
}

std::string SnapshotJson(const Site& site) {
  return nlohmann::json({{"code", site.code}, {"name", site.name}}).dump();
}

std::string SnapshotJson(const Patient& p) {
  return nlohmann::json({{"id", p.id}, {"registry_id", p.registry_id}, {"site", p.site_code}})
      .dump();
}

std::string SnapshotJson(const Protocol& protocol) {
  nlohmann::json timepoints = nlohmann::json::array();
  for (const Timepoint& tp : protocol.timepoints) {
    nlohmann::json kit = nlohmann::json::array();
    for (const ExpectedSample& e : tp.expected_samples) {
      kit.push_back({{"sample_type", e.sample_type}, {"count", e.count}});
    }
    timepoints.push_back({{"code", tp.code},
                          {"offset_days", tp.offset_days},
                          {"window_before_days", tp.window_before_days},
                          {"window_after_days", tp.window_after_days},
                          {"expected_samples", kit}});
  }
  return nlohmann::json(
             {{"code", protocol.code}, {"name", protocol.name}, {"timepoints", timepoints}})
      .dump();
}

std::string SnapshotJson(const Enrollment& e) {
  return nlohmann::json({{"id", e.id},
                         {"patient", e.patient_registry_id},
                         {"protocol", e.protocol_code},
                         {"anchor_date", FormatIsoDate(e.anchor_date)}})
      .dump();
}

std::string DescribePosition(const BoxPlace& where) {
  return absl::StrCat(where.PositionName(), " of box ", where.box_name, " (id ", where.box_id, ")");
}

}  // namespace lims::services
