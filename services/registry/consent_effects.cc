#include "consent_effects.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit.h"
#include "criteria_json.h"
#include "lims/core/request_selection.h"
#include "lims/core/sample_request_status.h"
#include "lims/db/requests.h"
#include "status_macros.h"

namespace lims::services {

absl::StatusOr<int> ReleaseWithdrawnReservations(db::Tx& tx, const CallContext& call,
                                                 const Patient& patient,
                                                 const std::set<ConsentScope>& withdrawn) {
  db::RequestRepository requests(tx);
  LIMS_ASSIGN_OR_RETURN(auto held, requests.HeldForPatient(patient.id));
  // By request: the codes taken off, and the scopes it needed that are withdrawn.
  std::map<std::string, std::vector<std::string>> codes;
  std::map<std::string, std::vector<std::string>> lost_scopes;
  int released = 0;
  for (const db::HeldTube& tube : held) {
    LIMS_ASSIGN_OR_RETURN(RequestCriteria criteria, CriteriaFromJson(tube.criteria_json));
    std::vector<std::string> lost;
    for (ConsentScope scope : RequiredScopes(criteria)) {
      if (withdrawn.count(scope)) lost.emplace_back(ConsentScopeName(scope));
    }
    if (lost.empty()) continue;
    LIMS_RETURN_IF_ERROR(requests.Withdraw(tube.request_id, tube.sample_id, call.now));
    codes[tube.request_code].push_back(tube.sample_code);
    lost_scopes[tube.request_code] = lost;
    ++released;
  }
  // A request left with picked tubes only is picked.
  std::set<int64_t> touched;
  for (const db::HeldTube& tube : held) touched.insert(tube.request_id);
  for (int64_t id : touched) {
    LIMS_ASSIGN_OR_RETURN(db::SampleRequestRecord r, requests.FindById(id));
    if (r.reserved_count == r.picked_count && r.picked_count > 0) {
      r.status = kRequestPicked;
      LIMS_RETURN_IF_ERROR(requests.Update(r));
    }
  }
  // Codes only: the researcher's side never learns barcodes or registry ids.
  for (const auto& [request_code, taken] : codes) {
    LIMS_RETURN_IF_ERROR(Audit(
        tx, call,
        AuditEntry("request.consent_withdrawn", "sample_request", request_code)
            .Details(absl::StrCat(taken.size(), " tubes taken off (", absl::StrJoin(taken, ", "),
                                  "): their patient withdrew consent to ",
                                  absl::StrJoin(lost_scopes[request_code], ", ")))));
  }
  return released;
}

}  // namespace lims::services
