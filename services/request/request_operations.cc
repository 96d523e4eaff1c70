#include "request_operations.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "audit.h"
#include "lims/core/natural_order.h"
#include "lims/core/sample_id.h"
#include "lims/core/sample_request_status.h"
#include "lims/db/consents.h"
#include "lims/db/patients.h"
#include "lims/db/placements.h"
#include "lims/db/protocols.h"
#include "lims/db/samples.h"
#include "lims/db/sites.h"
#include "lims/db/temperatures.h"
#include "request_shipping.h"
#include "sample_access.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

using nlohmann::json;

// The criteria's codes as ids. INVALID_ARGUMENT naming a protocol, timepoint or site that does
// not exist here: a typo must not quietly match nothing.
struct ResolvedCriteria {
  std::vector<int64_t> timepoint_ids, site_ids;
  std::unordered_map<int64_t, int> timepoint_number;  // timepoint id -> index in timepoint_codes
  std::vector<std::string> timepoint_codes;
};

absl::StatusOr<ResolvedCriteria> Resolve(db::Tx& tx, const RequestCriteria& criteria) {
  ResolvedCriteria out;
  const std::set<std::string> wanted(criteria.timepoint_codes.begin(), criteria.timepoint_codes.end());
  std::set<std::string> found;
  for (const std::string& code : criteria.protocol_codes) {
    auto protocol = db::ProtocolRepository(tx).FindByCode(code);
    if (absl::IsNotFound(protocol.status())) {
      return absl::InvalidArgumentError(absl::StrCat(
          "criteria.protocol_codes: there is no protocol '", code, "' (see lims protocol list)"));
    }
    LIMS_RETURN_IF_ERROR(protocol.status());
    for (const Timepoint& tp : protocol->timepoints) {
      if (!wanted.empty() && !wanted.count(tp.code)) continue;
      found.insert(tp.code);
      auto [it, added] = out.timepoint_number.try_emplace(
          tp.id, static_cast<int>(out.timepoint_codes.size()));
      if (added) out.timepoint_codes.push_back(tp.code);
      out.timepoint_ids.push_back(tp.id);
    }
  }
  for (const std::string& code : wanted) {
    if (!found.count(code)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "criteria.timepoint_codes: no protocol of the criteria has a timepoint '", code, "'"));
    }
  }
  for (const std::string& code : criteria.site_codes) {
    auto site = db::SiteRepository(tx).FindByCode(code);
    if (absl::IsNotFound(site.status())) {
      return absl::InvalidArgumentError(
          absl::StrCat("criteria.site_codes: there is no site '", code, "'"));
    }
    LIMS_RETURN_IF_ERROR(site.status());
    out.site_ids.push_back(site->id);
  }
  return out;
}

// The ids in both lists; `a` when `b` is empty and the other way round (empty: every site).
std::vector<int64_t> SitesInBoth(const std::vector<int64_t>& a, const std::vector<int64_t>& b,
                                 bool* none) {
  *none = false;
  if (a.empty()) return b;
  if (b.empty()) return a;
  std::vector<int64_t> both;
  for (int64_t id : a) {
    if (std::find(b.begin(), b.end(), id) != b.end()) both.push_back(id);
  }
  *none = both.empty();
  return both;
}

struct Selected {
  Selection selection;
  std::vector<std::string> timepoint_codes;  // Selection::by_timepoint's numbers
};

// What the criteria get now, from `allowed_sites` (empty: every site). `to_reserve`: which
// tubes exactly (a preview counts them only).
absl::StatusOr<Selected> Select(db::Tx& tx, const CallContext& call,
                                const RequestCriteria& criteria,
                                const std::vector<int64_t>& allowed_sites, bool to_reserve) {
  LIMS_RETURN_IF_ERROR(ValidateCriteria(criteria));
  LIMS_ASSIGN_OR_RETURN(ResolvedCriteria resolved, Resolve(tx, criteria));
  Selected out;
  out.timepoint_codes = resolved.timepoint_codes;
  bool no_site = false;
  // Exposure limits need each tube's id even for a preview (to find its exposures).
  const bool exposure_limits = criteria.max_exposure_minutes || criteria.max_exposure_celsius;
  db::CandidateFilter filter{resolved.timepoint_ids, criteria.sample_types,
                             SitesInBoth(resolved.site_ids, allowed_sites, &no_site),
                             to_reserve || exposure_limits, criteria.min_quantity.has_value()};
  if (no_site) filter.timepoint_ids.clear();  // the criteria's sites are none of the caller's
  db::RequestRepository requests(tx);
  LIMS_ASSIGN_OR_RETURN(db::Candidates found, requests.FindCandidates(filter));
  const std::vector<db::CandidateRow>& rows = found.rows;
  // The candidates' distinct enrollments, in sets as large as the candidates, not as the
  // largest enrollment id (a preview of a few tubes on ten million samples allocated 3.3 MB).
  // A tube's enrollment is often the row before's: the index gives a patient's tubes together.
  std::vector<int64_t> enrollments;
  {
    std::unordered_set<int64_t> seen;
    int64_t previous = -1;
    for (const db::CandidateRow& r : rows) {
      if (r.enrollment_id != previous && seen.insert(r.enrollment_id).second) {
        enrollments.push_back(r.enrollment_id);
      }
      previous = r.enrollment_id;
    }
  }
  LIMS_ASSIGN_OR_RETURN(auto patients_found, requests.PatientsOfEnrollments(enrollments));
  // The candidates' patients, from their enrollments (thousands) rather than their tubes
  // (hundreds of thousands); in id order, so that approvals lock them in the same order.
  std::vector<int64_t> patients;
  for (const auto& [enrollment, patient] : patients_found) patients.push_back(patient);
  std::sort(patients.begin(), patients.end());
  patients.erase(std::unique(patients.begin(), patients.end()), patients.end());
  std::vector<CandidateTube> candidates(rows.size());
  int64_t timepoint_id = -1;  // the rows come a timepoint at a time: looked up when it changes
  int timepoint = 0;
  int64_t enrollment_id = -1, patient_id = 0;  // and a patient's tubes together
  for (size_t i = 0; i < rows.size(); ++i) {
    const db::CandidateRow& r = rows[i];
    CandidateTube& t = candidates[i];
    t.sample_id = r.sample_id;
    if (r.enrollment_id != enrollment_id) {
      enrollment_id = r.enrollment_id;
      auto found = patients_found.find(enrollment_id);
      if (found == patients_found.end()) {
        return absl::InternalError("a candidate tube's enrollment was not found; try again");
      }
      patient_id = found->second;
    }
    t.patient_id = patient_id;
    if (r.timepoint_id != timepoint_id) {
      timepoint_id = r.timepoint_id;
      timepoint = resolved.timepoint_number[timepoint_id];
    }
    t.timepoint = timepoint;
    t.sample_type = r.sample_type;
    t.quantity = r.quantity;
    t.freeze_thaw_count = r.freeze_thaw_count;
    t.box_id = r.box_id;
  }
  CountRemainingInGroups(candidates);
  if (exposure_limits) {
    // Only tubes that went through an excursion have exposures: read them a slice at a time.
    constexpr size_t kSlice = 1000;
    std::unordered_map<int64_t, CandidateTube*> by_sample;
    for (CandidateTube& t : candidates) by_sample[t.sample_id] = &t;
    db::ExcursionRepository excursions(tx);
    for (size_t from = 0; from < candidates.size(); from += kSlice) {
      std::vector<int64_t> ids;
      for (size_t i = from; i < std::min(candidates.size(), from + kSlice); ++i) {
        ids.push_back(candidates[i].sample_id);
      }
      LIMS_ASSIGN_OR_RETURN(auto exposures, excursions.ExposuresOfSamples(ids));
      for (const db::Exposure& e : exposures) {
        CandidateTube& t = *by_sample[e.sample_id];
        t.exposure_minutes += e.minutes;
        t.exposure_peak = std::max(t.exposure_peak.value_or(e.peak_celsius), e.peak_celsius);
      }
    }
  }
  if (to_reserve) {
    // A withdrawal committed a moment ago is seen, one under way waits for this approval (and
    // then takes its tubes off again): the patients' rows locked, their newest consent read.
    LIMS_RETURN_IF_ERROR(db::PatientRepository(tx).Lock(patients, /*exclusive=*/false));
  }
  LIMS_ASSIGN_OR_RETURN(auto events,
                        db::ConsentRepository(tx).ListForPatients(patients, to_reserve));
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  std::unordered_map<int64_t, ConsentState> consent;
  for (const auto& [patient, history] : events) consent[patient] = CurrentConsent(history, today);
  out.selection = SelectTubes(candidates, consent, criteria);
  return out;
}

absl::StatusOr<db::SampleRequestRecord> Decide(db::Tx& tx, int64_t id, const std::string& reason) {
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (r.status != kRequestSubmitted) {
    return absl::FailedPreconditionError(
        absl::StrCat("request ", r.code, " is ", r.status, ": it was decided already"));
  }
  return r;
}

// Codes 1..n in a random order, so that a code says nothing about a barcode, a registry id or
// the order tubes were stored in.
std::vector<int> Shuffled(size_t n) {
  std::vector<int> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = static_cast<int>(i) + 1;
  std::random_device entropy;
  std::mt19937_64 random((static_cast<uint64_t>(entropy()) << 32) ^ entropy());
  std::shuffle(order.begin(), order.end(), random);
  return order;
}

// By box path (site, room, freezer, rack, box), then position: each box is opened once.
// Paths in natural order (rack R2 before R10); tubes not in a box last.
std::vector<db::RequestedTube> InPickOrder(std::vector<db::RequestedTube> tubes) {
  std::stable_sort(tubes.begin(), tubes.end(),
                   [](const db::RequestedTube& a, const db::RequestedTube& b) {
                     if (!a.where || !b.where) return a.where.has_value() > b.where.has_value();
                     if (a.where->box_path != b.where->box_path) {
                       return NaturalLess(a.where->box_path, b.where->box_path);
                     }
                     return a.where->position < b.where->position;
                   });
  return tubes;
}

}  // namespace

absl::StatusOr<RequestPreview> CountMatchingSamples(db::Tx& tx, const CallContext& call,
                                                    const RequestCriteria& criteria) {
  LIMS_ASSIGN_OR_RETURN(Selected selected, Select(tx, call, criteria, {}, /*to_reserve=*/false));
  RequestPreview out;
  out.patients = selected.selection.patients;
  out.samples = static_cast<int>(selected.selection.sample_ids.size());
  // Two protocols may both have an "M3": the researcher sees one line for it.
  for (const auto& [number, n] : selected.selection.by_timepoint) {
    const std::string& code = selected.timepoint_codes[number];
    auto line = std::find_if(out.by_timepoint.begin(), out.by_timepoint.end(),
                             [&](const auto& l) { return l.first == code; });
    if (line == out.by_timepoint.end()) {
      out.by_timepoint.emplace_back(code, n);
    } else {
      line->second += n;
    }
  }
  return out;
}

absl::StatusOr<db::SampleRequestRecord> FileRequest(db::Tx& tx, const CallContext& call,
                                                    const NewRequest& request) {
  const std::string& title = request.title;
  const std::string& ethics_reference = request.ethics_reference;
  const RequestCriteria& criteria = request.criteria;
  LIMS_RETURN_IF_ERROR(CheckText(title, "title", 200, true));
  LIMS_RETURN_IF_ERROR(CheckText(ethics_reference, "ethics_reference", 100, true));
  LIMS_RETURN_IF_ERROR(ValidateCriteria(criteria));
  // A typo in a code is said now, not at approval as "nothing matches".
  LIMS_RETURN_IF_ERROR(Resolve(tx, criteria).status());
  db::SampleRequestRecord r;
  r.title = title;
  r.ethics_reference = ethics_reference;
  r.criteria_json = CriteriaJson(criteria);
  r.status = kRequestSubmitted;
  r.submitted_by = call.actor;
  r.submitted_at = call.now;
  LIMS_RETURN_IF_ERROR(db::RequestRepository(tx).Insert(r));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("request.submitted", "sample_request", r.code)
                .Details(absl::StrCat("\"", title, "\" (ethics ", ethics_reference, ")"))
                .After(r.criteria_json)));
  return r;
}

absl::StatusOr<db::SampleRequestRecord> ApproveAndReserve(db::Tx& tx, const CallContext& call,
                                                          const RequestDecision& request) {
  int64_t id = request.id;
  const std::string& reason = request.reason;
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, Decide(tx, id, reason));
  LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(r.criteria_json));
  const std::vector<int64_t> sites =
      call.principal.role == Role::kAdmin ? std::vector<int64_t>{} : call.principal.site_ids;
  auto picked = Select(tx, call, criteria, sites, /*to_reserve=*/true);
  if (absl::IsInvalidArgument(picked.status())) {
    // Criteria that checked out at submission; a code they name is gone since.
    return absl::FailedPreconditionError(absl::StrCat(
        "request ", r.code, "'s criteria no longer match this installation (",
        picked.status().message(), "); reject it"));
  }
  LIMS_ASSIGN_OR_RETURN(Selected selected, std::move(picked));
  const Selection& selection = selected.selection;
  if (selection.sample_ids.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no tube at your sites matches request ", r.code,
        " now (reserved, consent, retention or quantity); reject it or ask for other criteria"));
  }
  std::vector<int64_t> patients;
  std::unordered_set<int64_t> seen;
  for (int64_t p : selection.patient_ids) {
    if (seen.insert(p).second) patients.push_back(p);
  }
  const std::vector<int> patient_numbers = Shuffled(patients.size());
  const std::vector<int> sample_numbers = Shuffled(selection.sample_ids.size());
  std::unordered_map<int64_t, std::string> patient_code;
  for (size_t i = 0; i < patients.size(); ++i) {
    patient_code[patients[i]] = absl::StrFormat("%s-P%02d", r.code, patient_numbers[i]);
  }
  db::RequestRepository requests(tx);
  for (size_t i = 0; i < selection.sample_ids.size(); ++i) {
    const int64_t sample = selection.sample_ids[i];
    // The primary key refuses a tube reserved concurrently: ABORTED, and the whole approval
    // runs again on fresh data, getting other tubes or fewer.
    LIMS_RETURN_IF_ERROR(requests.Reserve(r.id, sample, call.now));
    LIMS_RETURN_IF_ERROR(requests.InsertCodes(
        r.id, sample, absl::StrFormat("%s-S%03d", r.code, sample_numbers[i]),
        patient_code[selection.patient_ids[i]]));
  }
  r.status = kRequestApproved;
  r.decided_by = call.actor;
  r.decision_reason = reason;
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  LIMS_RETURN_IF_ERROR(Audit(tx, call,
                             AuditEntry("request.approved", "sample_request", r.code)
                                 .Details(absl::StrCat(selection.sample_ids.size(), " tubes of ",
                                                       patients.size(), " patients reserved"))
                                 .Reason(reason)));
  r.reserved_count = static_cast<int>(selection.sample_ids.size());
  return r;
}

absl::StatusOr<db::SampleRequestRecord> DeclineRequest(db::Tx& tx, const CallContext& call,
                                                       const RequestDecision& request) {
  const int64_t id = request.id;
  const std::string& reason = request.reason;
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, Decide(tx, id, reason));
  r.status = kRequestRejected;
  r.decided_by = call.actor;
  r.decision_reason = reason;
  LIMS_RETURN_IF_ERROR(db::RequestRepository(tx).Update(r));
  LIMS_RETURN_IF_ERROR(Audit(
      tx, call,
      AuditEntry("request.rejected", "sample_request", r.code).Details(r.title).Reason(reason)));
  return r;
}

namespace {

// The tubes at the caller's sites (all of them for an admin).
std::vector<db::RequestedTube> OfCallersSites(const CallContext& call,
                                              std::vector<db::RequestedTube> tubes) {
  tubes.erase(std::remove_if(tubes.begin(), tubes.end(),
                             [&](const db::RequestedTube& t) {
                               return !CanAccessSite(call.principal, t.site_id);
                             }),
              tubes.end());
  return tubes;
}

}  // namespace

absl::StatusOr<RequestView> GetRequest(db::Tx& tx, const CallContext& call, int64_t id) {
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (call.principal.role == Role::kResearcher && r.submitted_by != call.actor) {
    // Not even whether it exists.
    return absl::NotFoundError(absl::StrCat("sample request ", id, " does not exist"));
  }
  LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(r.criteria_json));
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::RequestRepository(tx).Tubes(id));
  // The researcher sees the whole request, by codes only; site staff only their sites' tubes.
  if (call.principal.role != Role::kResearcher) tubes = OfCallersSites(call, std::move(tubes));
  LIMS_RETURN_IF_ERROR(ReadShipments(tx, r));
  return RequestView{std::move(r), std::move(criteria), std::move(tubes)};
}

absl::StatusOr<std::vector<db::SampleRequestRecord>> ListRequests(db::Tx& tx,
                                                                  const CallContext& call,
                                                                  int64_t after_id, int limit) {
  const std::string only = call.principal.role == Role::kResearcher ? call.actor : "";
  LIMS_ASSIGN_OR_RETURN(auto requests, db::RequestRepository(tx).List(only, after_id, limit));
  for (db::SampleRequestRecord& r : requests) LIMS_RETURN_IF_ERROR(ReadShipments(tx, r));
  return requests;
}

absl::StatusOr<std::vector<db::RequestedTube>> PickList(db::Tx& tx, const CallContext& call,
                                                        int64_t id) {
  LIMS_ASSIGN_OR_RETURN(RequestView view, GetRequest(tx, call, id));
  std::vector<db::RequestedTube> list;
  for (db::RequestedTube& t : view.tubes) {
    if (!t.withdrawn) list.push_back(std::move(t));
  }
  return InPickOrder(std::move(list));
}

absl::StatusOr<PickResult> TickOffTube(db::Tx& tx, const CallContext& call,
                                       const PickedTube& request) {
  int64_t id = request.id;
  const std::string& barcode = request.barcode;
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (r.status != kRequestApproved) {
    return absl::FailedPreconditionError(
        absl::StrCat("request ", r.code, " is ", r.status, ": there is nothing to pick"));
  }
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::RequestRepository(tx).Tubes(id));
  int unpicked = 0;  // at every site: the request is PICKED when none is left
  for (const db::RequestedTube& t : tubes) unpicked += t.picked || t.withdrawn ? 0 : 1;
  // The caller's list: the tubes of their sites only (another site's are not named, even as
  // the next one to fetch).
  const std::vector<db::RequestedTube> list = InPickOrder(OfCallersSites(call, std::move(tubes)));
  auto canonical = CanonicalBarcode(barcode);
  const db::RequestedTube* tube = nullptr;
  const db::RequestedTube* next = nullptr;
  int remaining = 0;
  for (const db::RequestedTube& t : list) {
    if (canonical.ok() && t.barcode == *canonical && t.withdrawn) {
      return absl::FailedPreconditionError(absl::StrCat(
          t.barcode, " (", t.sample_code, ") was taken off request ", r.code,
          ": its patient withdrew consent the request needs; put it back where it was"));
    }
    if (t.picked || t.withdrawn) continue;
    ++remaining;
    if (!next) next = &t;
    if (canonical.ok() && t.barcode == *canonical) tube = &t;
  }
  if (!tube) {
    std::string expected = "every tube of your sites is picked";
    if (next) {
      expected = absl::StrCat("next on the list: ", next->barcode, " in ",
                              next->where ? DescribePosition(*next->where) : "no box");
    }
    return absl::FailedPreconditionError(absl::StrCat(
        "wrong tube: ", canonical.ok() ? *canonical : barcode, " is not on request ", r.code,
        "'s pick list (or was picked already); ", expected));
  }
  db::SampleRepository samples(tx);
  db::PlacementRepository placements(tx);
  LIMS_ASSIGN_OR_RETURN(Sample sample, FindSampleForCaller(tx, call, tube->barcode));
  const Sample before = sample;
  LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kCheckOut));
  LIMS_ASSIGN_OR_RETURN(auto where, placements.FindBySample(sample.id));
  if (where) LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id, call.now));
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  db::RequestRepository requests(tx);
  LIMS_RETURN_IF_ERROR(requests.MarkPicked(id, sample.id, call.actor, call.now));
  LIMS_RETURN_IF_ERROR(requests.Release(sample.id));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call,
            AuditEntry("sample.picked", "sample", sample.barcode)
                .Details(absl::StrCat("picked for request ", r.code, " as ", tube->sample_code,
                                      where ? " from " + DescribePosition(*where) : ""))
                .Before(SnapshotJson(before, where))
                .After(SnapshotJson(sample, std::nullopt))
                .Reason(absl::StrCat("request ", r.code))));
  PickResult result{*tube, remaining - 1};
  result.tube.picked = true;
  if (unpicked == 1) r.status = kRequestPicked;
  // Saving bumps the version: two benches picking the last two tubes cannot both miss it.
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  return result;
}

}  // namespace lims::services
