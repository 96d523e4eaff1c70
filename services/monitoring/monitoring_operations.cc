#include "monitoring_operations.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "exposure.h"
#include "lims/core/access.h"
#include "lims/db/storage_units.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

std::string ExcursionJson(const db::ExcursionRecord& e) {
  nlohmann::json out = {{"unit_id", e.unit_id},
                        {"side", e.span.side == ExcursionSide::kHigh ? "high" : "low"},
                        {"threshold_celsius", e.span.threshold},
                        {"start", absl::FormatTime(e.span.start)},
                        {"peak_celsius", e.span.peak},
                        {"minutes_beyond", e.span.minutes_beyond}};
  if (e.span.end) out["end"] = absl::FormatTime(*e.span.end);
  if (!e.acknowledged_by.empty()) {
    out["acknowledged_by"] = e.acknowledged_by;
    out["cause"] = e.cause;
    out["impact"] = e.impact;
    out["corrective_action"] = e.corrective_action;
  }
  return out.dump();
}

bool SameSpan(const ExcursionSpan& a, const ExcursionSpan& b) {
  return a.end == b.end && a.last_reading == b.last_reading && a.peak == b.peak &&
         a.minutes_beyond == b.minutes_beyond && a.threshold == b.threshold;
}

// The unit's excursions found again from `from` on (and from the start of one still running
// then); a span that changed has its exposure computed again. Returns how many are open.
absl::StatusOr<int> RefreshExcursions(db::Tx& tx, const CallContext& call, const StorageUnit& unit,
                                      absl::Time from) {
  db::ExcursionRepository excursions(tx);
  LIMS_ASSIGN_OR_RETURN(auto running, excursions.Since(unit.id, from));
  for (const db::ExcursionRecord& e : running) from = std::min(from, e.span.start);
  LIMS_ASSIGN_OR_RETURN(auto existing, excursions.Since(unit.id, from));
  LIMS_ASSIGN_OR_RETURN(auto readings, db::TemperatureLog(tx).Between(unit.climate.probe_id, from,
                                                                      absl::InfiniteFuture()));
  const std::vector<ExcursionSpan> spans = FindExcursions(readings, unit.climate);
  std::vector<bool> matched(existing.size(), false);
  int open = 0;
  for (const ExcursionSpan& span : spans) {
    if (!span.end) ++open;
    db::ExcursionRecord record;
    for (size_t i = 0; i < existing.size(); ++i) {
      if (!matched[i] && existing[i].span.side == span.side &&
          existing[i].span.start == span.start) {
        matched[i] = true;
        record = existing[i];
      }
    }
    if (record.id != 0 && SameSpan(record.span, span)) continue;
    const bool fresh = record.id == 0;
    record.unit_id = unit.id;
    record.span = span;
    LIMS_RETURN_IF_ERROR(excursions.Save(record));
    LIMS_ASSIGN_OR_RETURN(auto exposed, RecomputeExposure(tx, unit, record));
    if (fresh || span.end) {
      LIMS_RETURN_IF_ERROR(
          Audit(tx, call,
                AuditEntry(fresh ? "monitoring.excursion_started" : "monitoring.excursion_updated",
                           "excursion", std::to_string(record.id))
                    .Details(absl::StrCat(unit.path, ": ", span.peak, " °C at worst, ",
                                          static_cast<int>(span.minutes_beyond), " min beyond ",
                                          span.threshold, " °C; ", exposed.size(), " tubes inside"))
                    .After(ExcursionJson(record))));
    }
  }
  // Spans the readings no longer show (a correction of earlier readings): gone, unless a
  // manager already investigated them.
  for (size_t i = 0; i < existing.size(); ++i) {
    if (!matched[i] && existing[i].acknowledged_by.empty()) {
      LIMS_RETURN_IF_ERROR(excursions.Delete(existing[i].id));
    }
  }
  return open;
}

}  // namespace

absl::StatusOr<ReadingsOutcome> RecordReadings(db::Tx& tx, const CallContext& call,
                                               const ReadingsBatch& batch) {
  ReadingsOutcome out;
  out.errors = batch.errors;
  db::StorageUnitRepository units(tx);
  std::map<std::string, std::optional<StorageUnit>> probes;
  std::map<std::string, absl::Time> earliest;
  for (const ProbeReading& r : batch.readings) {
    auto [it, inserted] = probes.try_emplace(r.probe_id);
    if (inserted) {
      LIMS_ASSIGN_OR_RETURN(it->second, units.FindByProbe(r.probe_id));
    }
    const std::optional<StorageUnit>& unit = it->second;
    std::string problem;
    if (!unit) {
      problem = absl::StrCat("no storage unit has probe '", r.probe_id,
                             "'; set it on the freezer first (lims storage update UNIT --probe ",
                             r.probe_id, ")");
    } else if (!CanAccessSite(call.principal, unit->site_id)) {
      problem = absl::StrCat("probe '", r.probe_id, "' is of ", unit->path, ", not of your sites");
    } else if (r.at > call.now + absl::Minutes(10)) {
      problem = absl::StrCat("the reading is in the future (", absl::FormatTime(r.at),
                             "); check the export's time zone");
    }
    if (!problem.empty()) {
      if (batch.source != "csv") {
        return absl::InvalidArgumentError(absl::StrCat(problem, "; nothing was stored"));
      }
      if (out.errors.size() < 200) out.errors.push_back({r.line, problem});
      continue;
    }
    ++out.accepted;
    auto [at, fresh] = earliest.try_emplace(r.probe_id, r.at);
    if (!fresh) at->second = std::min(at->second, r.at);
  }
  std::sort(out.errors.begin(), out.errors.end(),
            [](const CsvLineError& a, const CsvLineError& b) { return a.line < b.line; });
  if (!out.errors.empty() || batch.dry_run) return out;

  LIMS_ASSIGN_OR_RETURN(out.fresh, db::TemperatureLog(tx).Insert(batch.readings));
  out.duplicates = static_cast<int>(batch.readings.size()) - out.fresh;
  if (out.fresh > 0) {
    for (const auto& [probe, from] : earliest) {
      LIMS_ASSIGN_OR_RETURN(int open, RefreshExcursions(tx, call, *probes[probe], from));
      out.excursions_open += open;
    }
    LIMS_RETURN_IF_ERROR(
        db::TemperatureLog(tx).PruneBefore(call.now - batch.raw_retention).status());
    std::vector<std::string> names;
    for (const auto& [probe, unused] : earliest) names.push_back(probe);
    LIMS_RETURN_IF_ERROR(
        Audit(tx, call,
              AuditEntry("monitoring.readings_recorded", "probes", absl::StrJoin(names, ","))
                  .Details(absl::StrCat(out.fresh, " new readings (", out.duplicates,
                                        " already known) from ", batch.source))));
  }
  return out;
}

absl::StatusOr<ExcursionView> LookUpExcursion(db::Tx& tx, const CallContext& call, int64_t id) {
  ExcursionView view;
  LIMS_ASSIGN_OR_RETURN(view.record, db::ExcursionRepository(tx).FindById(id));
  LIMS_ASSIGN_OR_RETURN(view.unit, db::StorageUnitRepository(tx).FindById(view.record.unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, view.unit.site_id, absl::StrCat("excursion ", id)));
  return view;
}

absl::StatusOr<std::vector<ExcursionView>> ListUnitExcursions(db::Tx& tx, const CallContext& call,
                                                              int64_t unit_id, bool open_only,
                                                              int limit) {
  db::StorageUnitRepository units(tx);
  std::vector<db::ExcursionRecord> records;
  if (unit_id != 0) {
    LIMS_ASSIGN_OR_RETURN(StorageUnit unit, units.FindById(unit_id));
    LIMS_RETURN_IF_ERROR(
        RequireSite(call.principal, unit.site_id, absl::StrCat("storage unit ", unit_id)));
    // The unit and the units holding it today.
    std::vector<int64_t> holders = {unit.id};
    for (int64_t parent = unit.parent_id; parent != 0;) {
      LIMS_ASSIGN_OR_RETURN(StorageUnit holder, units.FindById(parent));
      holders.push_back(holder.id);
      parent = holder.parent_id;
    }
    LIMS_ASSIGN_OR_RETURN(records, db::ExcursionRepository(tx).ForUnits(holders, open_only, limit));
  } else {
    const std::vector<int64_t> sites =
        call.principal.role == Role::kAdmin ? std::vector<int64_t>() : call.principal.site_ids;
    if (call.principal.role != Role::kAdmin && sites.empty()) return std::vector<ExcursionView>();
    LIMS_ASSIGN_OR_RETURN(records, db::ExcursionRepository(tx).Recent(sites, open_only, limit));
  }
  std::vector<ExcursionView> out;
  std::map<int64_t, StorageUnit> seen;
  for (db::ExcursionRecord& record : records) {
    if (!seen.count(record.unit_id)) {
      LIMS_ASSIGN_OR_RETURN(seen[record.unit_id], units.FindById(record.unit_id));
    }
    out.push_back({std::move(record), seen[record.unit_id]});
  }
  return out;
}

absl::StatusOr<ExcursionView> AcknowledgeExcursion(db::Tx& tx, const CallContext& call,
                                                   const Investigation& investigation) {
  LIMS_RETURN_IF_ERROR(CheckText(investigation.cause, "cause", 2000, true));
  LIMS_RETURN_IF_ERROR(CheckText(investigation.impact, "impact", 2000, true));
  LIMS_RETURN_IF_ERROR(CheckText(investigation.corrective_action, "corrective_action", 2000, true));
  LIMS_ASSIGN_OR_RETURN(ExcursionView view, LookUpExcursion(tx, call, investigation.excursion_id));
  if (!view.record.acknowledged_by.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "excursion ", view.record.id, " was acknowledged by ", view.record.acknowledged_by, " on ",
        absl::FormatTime("%Y-%m-%d", view.record.acknowledged_at, absl::UTCTimeZone())));
  }
  const std::string before = ExcursionJson(view.record);
  view.record.acknowledged_by = call.principal.username;
  view.record.acknowledged_at = call.now;
  view.record.cause = investigation.cause;
  view.record.impact = investigation.impact;
  view.record.corrective_action = investigation.corrective_action;
  LIMS_RETURN_IF_ERROR(db::ExcursionRepository(tx).Acknowledge(view.record));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry("monitoring.excursion_acknowledged", "excursion", std::to_string(view.record.id))
          .Details(absl::StrCat(view.unit.path, ": ", investigation.cause))
          .Before(before)
          .After(ExcursionJson(view.record))));
  return view;
}

absl::StatusOr<UnitTemperatures> TemperaturesOf(db::Tx& tx, const CallContext& call,
                                                int64_t unit_id, absl::Time from, absl::Time to,
                                                size_t max_points) {
  UnitTemperatures out;
  LIMS_ASSIGN_OR_RETURN(out.unit, db::StorageUnitRepository(tx).FindById(unit_id));
  LIMS_RETURN_IF_ERROR(
      RequireSite(call.principal, out.unit.site_id, absl::StrCat("storage unit ", unit_id)));
  if (out.unit.climate.probe_id.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        out.unit.path, " has no probe; set one with lims storage update ", unit_id, " --probe"));
  }
  if (from >= to) return absl::InvalidArgumentError("since must be before until");
  db::TemperatureLog log(tx);
  LIMS_ASSIGN_OR_RETURN(auto all, log.Between(out.unit.climate.probe_id, from, to));
  // A chart needs a few thousand points at most: keep every n-th.
  const size_t step = all.size() > max_points ? (all.size() + max_points - 1) / max_points : 1;
  for (size_t i = 0; i < all.size(); i += step) out.readings.push_back(all[i]);
  LIMS_ASSIGN_OR_RETURN(out.last, log.Latest(out.unit.climate.probe_id));
  return out;
}

}  // namespace lims::services
