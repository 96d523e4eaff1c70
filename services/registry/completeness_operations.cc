#include "completeness_operations.h"

#include <algorithm>
#include <map>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lims/core/timepoint_window.h"
#include "lims/db/protocols.h"
#include "lims/db/sites.h"
#include "status_macros.h"

namespace lims::services {
namespace {

using CountsByCell = std::map<std::pair<int64_t, int64_t>, std::vector<CollectedSamples>>;

CountsByCell GroupCounts(const std::vector<db::PrimarySampleCount>& counts) {
  CountsByCell out;
  for (const db::PrimarySampleCount& c : counts) {
    out[{c.enrollment_id, c.timepoint_id}].push_back({c.sample_type, c.count});
  }
  return out;
}

std::vector<CompletenessCell> CellsFor(const Protocol& protocol,
                                       const db::CompletenessEnrollment& e,
                                       const CountsByCell& counts, absl::CivilDay as_of) {
  static const std::vector<CollectedSamples> kNone;
  std::vector<CompletenessCell> cells;
  cells.reserve(protocol.timepoints.size());
  for (const Timepoint& tp : protocol.timepoints) {
    auto it = counts.find({e.enrollment_id, tp.id});
    cells.push_back(
        ComputeCompleteness(tp, e.anchor_date, it == counts.end() ? kNone : it->second, as_of));
  }
  return cells;
}

// 0 for no site; the site's id after checking the caller works there.
absl::StatusOr<int64_t> SiteFilter(db::Tx& tx, const CallContext& call,
                                   const std::string& site_code) {
  if (site_code.empty()) return 0;
  LIMS_ASSIGN_OR_RETURN(Site site, db::SiteRepository(tx).FindByCode(site_code));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, site.id, "site " + site.code));
  return site.id;
}

}  // namespace

absl::StatusOr<CompletenessMatrix> TallyCompleteness(db::Tx& tx, const CallContext& call,
                                                     const CompletenessQuery& request) {
  const std::string& protocol_code = request.protocol_code;
  const std::string& site_code = request.site_code;
  const absl::CivilDay as_of = request.as_of;
  const int64_t after_id = request.after_id;
  const int limit = request.limit;
  if (protocol_code.empty()) return absl::InvalidArgumentError("protocol_code is required");
  CompletenessMatrix matrix;
  LIMS_ASSIGN_OR_RETURN(matrix.protocol, db::ProtocolRepository(tx).FindByCode(protocol_code));
  LIMS_ASSIGN_OR_RETURN(int64_t site_id, SiteFilter(tx, call, site_code));
  LIMS_ASSIGN_OR_RETURN(db::CompletenessPage page, db::CompletenessQuery(tx).Load(
                                                       matrix.protocol.id, site_id, after_id,
                                                       limit));
  matrix.enrollments_read = static_cast<int>(page.enrollments.size());
  if (!page.enrollments.empty()) {
    matrix.last_enrollment_id = page.enrollments.back().enrollment_id;
  }
  const CountsByCell counts = GroupCounts(page.counts);
  for (db::CompletenessEnrollment& e : page.enrollments) {
    if (!CanAccessSite(call.principal, e.site_id)) continue;
    std::vector<CompletenessCell> cells = CellsFor(matrix.protocol, e, counts, as_of);
    matrix.rows.push_back({std::move(e), std::move(cells)});
  }
  return matrix;
}

absl::StatusOr<std::vector<DueTimepointItem>> FindDueTimepoints(db::Tx& tx, const CallContext& call,
                                                                const DueQuery& request) {
  const std::string& site_code = request.site_code;
  const absl::CivilDay from = request.from;
  const absl::CivilDay to = request.to;
  const absl::CivilDay as_of = request.as_of;
  if (site_code.empty()) return absl::InvalidArgumentError("site_code is required");
  if (to < from) {
    return absl::InvalidArgumentError(absl::StrCat("to (", FormatIsoDate(to),
                                                   ") is before from (", FormatIsoDate(from), ")"));
  }
  if (to - from >= kMaxDueRangeDays) {
    return absl::InvalidArgumentError(
        absl::StrCat("the range from ", FormatIsoDate(from), " to ", FormatIsoDate(to),
                     " is longer than ", kMaxDueRangeDays, " days; ask for a year at most"));
  }
  LIMS_ASSIGN_OR_RETURN(int64_t site_id, SiteFilter(tx, call, site_code));
  std::map<int64_t, Protocol> protocols;  // by id, loaded once each
  std::vector<DueTimepointItem> items;
  constexpr int kBatch = 500;
  int64_t after = 0;
  while (true) {
    LIMS_ASSIGN_OR_RETURN(db::CompletenessPage page,
                          db::CompletenessQuery(tx).Load(0, site_id, after, kBatch));
    if (page.enrollments.empty()) break;
    const CountsByCell counts = GroupCounts(page.counts);
    for (const db::CompletenessEnrollment& e : page.enrollments) {
      auto it = protocols.find(e.protocol_id);
      if (it == protocols.end()) {
        LIMS_ASSIGN_OR_RETURN(Protocol p, db::ProtocolRepository(tx).FindById(e.protocol_id));
        it = protocols.emplace(e.protocol_id, std::move(p)).first;
      }
      const Protocol& protocol = it->second;
      std::vector<CompletenessCell> cells = CellsFor(protocol, e, counts, as_of);
      for (size_t i = 0; i < cells.size(); ++i) {
        const CompletenessCell& cell = cells[i];
        if (cell.status == CompletenessStatus::kComplete) continue;
        if (cell.window.latest < from || cell.window.earliest > to) continue;
        items.push_back({e.patient_registry_id, e.protocol_code, protocol.timepoints[i].code, cell});
      }
    }
    if (static_cast<int>(page.enrollments.size()) < kBatch) break;
    after = page.enrollments.back().enrollment_id;
  }
  std::sort(items.begin(), items.end(), [](const DueTimepointItem& a, const DueTimepointItem& b) {
    return std::tie(a.cell.window.due, a.patient_registry_id, a.protocol_code, a.timepoint_code) <
           std::tie(b.cell.window.due, b.patient_registry_id, b.protocol_code, b.timepoint_code);
  });
  return items;
}

}  // namespace lims::services
