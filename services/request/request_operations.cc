#include "request_operations.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "audit.h"
#include "lims/core/sample_id.h"
#include "lims/db/consents.h"
#include "lims/db/placements.h"
#include "lims/db/samples.h"
#include "status_macros.h"
#include "text_fields.h"

namespace lims::services {
namespace {

using nlohmann::json;

constexpr char kSubmitted[] = "SUBMITTED";
constexpr char kApproved[] = "APPROVED";
constexpr char kRejected[] = "REJECTED";
constexpr char kPicked[] = "PICKED";

// What the criteria get now; `site_ids` empty: from every site.
absl::StatusOr<Selection> Select(db::Tx& tx, const CallContext& call,
                                 const RequestCriteria& criteria,
                                 const std::vector<int64_t>& site_ids,
                                 std::vector<db::CandidateRow>* rows_out = nullptr) {
  LIMS_RETURN_IF_ERROR(ValidateCriteria(criteria));
  db::CandidateFilter filter{criteria.protocol_codes, criteria.timepoint_codes,
                             criteria.sample_types, criteria.site_codes, site_ids};
  LIMS_ASSIGN_OR_RETURN(auto rows, db::RequestRepository(tx).Candidates(filter));
  std::unordered_set<int64_t> patient_set;
  // What remains of each patient-timepoint-type, keyed by its text (the rows repeat few codes).
  std::unordered_map<std::string, int> remaining;
  auto group_key = [](const db::CandidateRow& r) {
    return absl::StrCat(r.patient_id, "\x1f", r.timepoint_code, "\x1f", r.sample_type);
  };
  for (const db::CandidateRow& r : rows) {
    patient_set.insert(r.patient_id);
    if (!r.reserved) ++remaining[group_key(r)];
  }
  LIMS_ASSIGN_OR_RETURN(auto consent, db::ConsentRepository(tx).ListForPatients(
                                          {patient_set.begin(), patient_set.end()}));
  const absl::CivilDay today = absl::ToCivilDay(call.now, absl::UTCTimeZone());
  std::unordered_map<int64_t, ConsentState> states;
  for (int64_t p : patient_set) states[p] = CurrentConsent(consent[p], today);
  std::vector<CandidateTube> candidates;
  candidates.reserve(rows.size());
  for (const db::CandidateRow& r : rows) {
    CandidateTube t;
    t.sample_id = r.sample_id;
    t.patient_id = r.patient_id;
    t.timepoint_code = r.timepoint_code;
    t.sample_type = r.sample_type;
    t.quantity = r.quantity;
    t.status = r.status;
    t.freeze_thaw_count = r.freeze_thaw_count;
    t.box_id = r.box_id;
    t.reserved = r.reserved;
    t.consent = states[r.patient_id];
    t.remaining_in_group = remaining[group_key(r)];
    candidates.push_back(std::move(t));
  }
  if (rows_out) *rows_out = std::move(rows);
  return SelectTubes(candidates, criteria);
}

absl::StatusOr<db::SampleRequestRecord> Decide(db::Tx& tx, int64_t id, const std::string& reason) {
  LIMS_RETURN_IF_ERROR(CheckText(reason, "reason", 1000, true));
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (r.status != kSubmitted) {
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

std::string PickOrderKey(const db::RequestedTube& t) {
  return t.where ? absl::StrFormat("%s\x1f%08d", t.where->box_path, t.where->position) : "\x7f";
}

// By box path (site, room, freezer, rack, box), then position: each box is opened once.
std::vector<db::RequestedTube> InPickOrder(std::vector<db::RequestedTube> tubes) {
  std::stable_sort(tubes.begin(), tubes.end(), [](const db::RequestedTube& a, const db::RequestedTube& b) {
    return PickOrderKey(a) < PickOrderKey(b);
  });
  return tubes;
}

}  // namespace

std::string CriteriaJson(const RequestCriteria& c) {
  json scopes = json::array();
  for (ConsentScope s : c.required_consent_scopes) scopes.push_back(std::string(ConsentScopeName(s)));
  json j = {{"protocol_codes", c.protocol_codes},
            {"timepoint_codes", c.timepoint_codes},
            {"sample_types", c.sample_types},
            {"site_codes", c.site_codes},
            {"max_per_patient_timepoint", c.max_per_patient_timepoint},
            {"required_consent_scopes", scopes},
            {"keep_last_tube", c.keep_last_tube}};
  if (c.min_quantity) {
    j["min_quantity"] = {{"amount", c.min_quantity->canonical_amount()},
                         {"unit", c.min_quantity->canonical_unit()}};
  }
  return j.dump();
}

absl::StatusOr<RequestCriteria> CriteriaFromJson(const std::string& text) {
  const json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::InternalError("a stored request's criteria are not JSON");
  RequestCriteria c;
  try {
    c.protocol_codes = j.at("protocol_codes").get<std::vector<std::string>>();
    c.timepoint_codes = j.at("timepoint_codes").get<std::vector<std::string>>();
    c.sample_types = j.at("sample_types").get<std::vector<std::string>>();
    c.site_codes = j.at("site_codes").get<std::vector<std::string>>();
    c.max_per_patient_timepoint = j.at("max_per_patient_timepoint").get<int>();
    c.keep_last_tube = j.at("keep_last_tube").get<bool>();
    for (const auto& s : j.at("required_consent_scopes")) {
      LIMS_ASSIGN_OR_RETURN(ConsentScope scope, ParseConsentScope(s.get<std::string>()));
      c.required_consent_scopes.push_back(scope);
    }
    if (j.contains("min_quantity")) {
      LIMS_ASSIGN_OR_RETURN(c.min_quantity,
                            Quantity::FromCanonical(j["min_quantity"].at("amount").get<int64_t>(),
                                                    j["min_quantity"].at("unit").get<std::string>()));
    }
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("a stored request's criteria are malformed: ", e.what()));
  }
  return c;
}

absl::StatusOr<Selection> PreviewRequest(db::Tx& tx, const CallContext& call,
                                         const RequestCriteria& criteria) {
  return Select(tx, call, criteria, {});
}

absl::StatusOr<db::SampleRequestRecord> SubmitRequest(db::Tx& tx, const CallContext& call,
                                                      const std::string& title,
                                                      const std::string& ethics_reference,
                                                      const RequestCriteria& criteria) {
  LIMS_RETURN_IF_ERROR(CheckText(title, "title", 200, true));
  LIMS_RETURN_IF_ERROR(CheckText(ethics_reference, "ethics_reference", 100, true));
  LIMS_RETURN_IF_ERROR(ValidateCriteria(criteria));
  db::SampleRequestRecord r;
  r.title = title;
  r.ethics_reference = ethics_reference;
  r.criteria_json = CriteriaJson(criteria);
  r.status = kSubmitted;
  r.submitted_by = call.actor;
  r.submitted_at = call.now;
  LIMS_RETURN_IF_ERROR(db::RequestRepository(tx).Insert(r));
  LIMS_RETURN_IF_ERROR(Audit(tx, call, {"request.submitted", "sample_request", r.code,
                                        absl::StrCat("\"", title, "\" (ethics ", ethics_reference,
                                                     ")"),
                                        "", r.criteria_json, ""}));
  return r;
}

absl::StatusOr<db::SampleRequestRecord> ApproveRequest(db::Tx& tx, const CallContext& call,
                                                       int64_t id, const std::string& reason) {
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, Decide(tx, id, reason));
  LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(r.criteria_json));
  std::vector<db::CandidateRow> rows;
  const std::vector<int64_t> sites =
      call.principal.role == Role::kAdmin ? std::vector<int64_t>{} : call.principal.site_ids;
  LIMS_ASSIGN_OR_RETURN(Selection selection, Select(tx, call, criteria, sites, &rows));
  if (selection.sample_ids.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "no tube at your sites matches request ", r.code,
        " now (reserved, consent, retention or quantity); reject it or ask for other criteria"));
  }
  std::unordered_map<int64_t, int64_t> patient_of;
  for (const db::CandidateRow& row : rows) patient_of[row.sample_id] = row.patient_id;
  std::vector<int64_t> patients;
  std::unordered_set<int64_t> seen;
  for (int64_t s : selection.sample_ids) {
    if (seen.insert(patient_of[s]).second) patients.push_back(patient_of[s]);
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
        patient_code[patient_of[sample]]));
  }
  r.status = kApproved;
  r.decided_by = call.actor;
  r.decision_reason = reason;
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  LIMS_RETURN_IF_ERROR(Audit(tx, call, {"request.approved", "sample_request", r.code,
                                        absl::StrCat(selection.sample_ids.size(),
                                                     " tubes of ", patients.size(),
                                                     " patients reserved"),
                                        "", "", reason}));
  r.reserved_count = static_cast<int>(selection.sample_ids.size());
  return r;
}

absl::StatusOr<db::SampleRequestRecord> RejectRequest(db::Tx& tx, const CallContext& call,
                                                      int64_t id, const std::string& reason) {
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, Decide(tx, id, reason));
  r.status = kRejected;
  r.decided_by = call.actor;
  r.decision_reason = reason;
  LIMS_RETURN_IF_ERROR(db::RequestRepository(tx).Update(r));
  LIMS_RETURN_IF_ERROR(
      Audit(tx, call, {"request.rejected", "sample_request", r.code, r.title, "", "", reason}));
  return r;
}

absl::StatusOr<RequestView> GetRequest(db::Tx& tx, const CallContext& call, int64_t id) {
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (call.principal.role == Role::kResearcher && r.submitted_by != call.actor) {
    // Not even whether it exists.
    return absl::NotFoundError(absl::StrCat("sample request ", id, " does not exist"));
  }
  LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(r.criteria_json));
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::RequestRepository(tx).Tubes(id));
  return RequestView{std::move(r), std::move(criteria), std::move(tubes)};
}

absl::StatusOr<std::vector<db::SampleRequestRecord>> ListRequests(db::Tx& tx,
                                                                  const CallContext& call,
                                                                  int64_t after_id, int limit) {
  const std::string only = call.principal.role == Role::kResearcher ? call.actor : "";
  return db::RequestRepository(tx).List(only, after_id, limit);
}

absl::StatusOr<std::vector<db::RequestedTube>> PickList(db::Tx& tx, const CallContext& call,
                                                        int64_t id) {
  LIMS_ASSIGN_OR_RETURN(RequestView view, GetRequest(tx, call, id));
  return InPickOrder(std::move(view.tubes));
}

absl::StatusOr<PickResult> PickTube(db::Tx& tx, const CallContext& call, int64_t id,
                                    const std::string& barcode) {
  LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, db::RequestRepository(tx).FindById(id));
  if (r.status != kApproved) {
    return absl::FailedPreconditionError(
        absl::StrCat("request ", r.code, " is ", r.status, ": there is nothing to pick"));
  }
  LIMS_ASSIGN_OR_RETURN(auto tubes, db::RequestRepository(tx).Tubes(id));
  const std::vector<db::RequestedTube> list = InPickOrder(std::move(tubes));
  auto canonical = CanonicalBarcode(barcode);
  const db::RequestedTube* tube = nullptr;
  const db::RequestedTube* next = nullptr;
  int remaining = 0;
  for (const db::RequestedTube& t : list) {
    if (t.picked) continue;
    ++remaining;
    if (!next) next = &t;
    if (canonical.ok() && t.barcode == *canonical) tube = &t;
  }
  if (!tube) {
    std::string expected = "every tube is picked";
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
  LIMS_ASSIGN_OR_RETURN(Sample sample, samples.FindByBarcode(tube->barcode));
  LIMS_RETURN_IF_ERROR(RequireSite(call.principal, sample.site_id, "sample " + sample.barcode));
  const Sample before = sample;
  LIMS_ASSIGN_OR_RETURN(sample.status, ApplyEvent(sample.status, SampleEvent::kCheckOut));
  LIMS_ASSIGN_OR_RETURN(auto where, placements.FindBySample(sample.id));
  if (where) LIMS_RETURN_IF_ERROR(placements.DeleteBySample(sample.id));
  LIMS_RETURN_IF_ERROR(samples.Update(sample));
  db::RequestRepository requests(tx);
  LIMS_RETURN_IF_ERROR(requests.MarkPicked(id, sample.id, call.actor, call.now));
  LIMS_RETURN_IF_ERROR(requests.Release(sample.id));
  LIMS_RETURN_IF_ERROR(Audit(tx, call, {"sample.picked", "sample", sample.barcode,
                                        absl::StrCat("picked for request ", r.code, " as ",
                                                     tube->sample_code,
                                                     where ? " from " + DescribePosition(*where) : ""),
                                        SnapshotJson(before, where),
                                        SnapshotJson(sample, std::nullopt),
                                        absl::StrCat("request ", r.code)}));
  PickResult result{*tube, remaining - 1};
  result.tube.picked = true;
  if (result.remaining == 0) r.status = kPicked;
  // Saving bumps the version: two benches picking the last two tubes cannot both miss it.
  LIMS_RETURN_IF_ERROR(requests.Update(r));
  return result;
}

}  // namespace lims::services
