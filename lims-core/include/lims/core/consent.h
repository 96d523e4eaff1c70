// Patient consent: scopes granted or withdrawn by dated events, and the state they add up to on a
// given day. History is append-only: the current state is always computed from every event.
#ifndef LIMS_CORE_CONSENT_H_
#define LIMS_CORE_CONSENT_H_

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace lims {

// The numbering follows lims.v1.ConsentScope (stored as names, not numbers).
enum class ConsentScope {
  kStorage = 1,
  kResearch = 2,
  kGenetic = 3,
  kSharingOutsideEu = 4,
  kCommercial = 5,
};

// Every scope, in enum order.
const std::vector<ConsentScope>& AllConsentScopes();

// "storage", "research", "genetic", "sharing_outside_eu", "commercial".
std::string_view ConsentScopeName(ConsentScope scope);
// Accepts the names above, case-insensitive, with '-' for '_' ("sharing-outside-eu").
absl::StatusOr<ConsentScope> ParseConsentScope(std::string_view name);

enum class ConsentAction { kGrant, kWithdraw };

std::string_view ConsentActionName(ConsentAction action);  // "grant", "withdraw"
absl::StatusOr<ConsentAction> ParseConsentAction(std::string_view name);

// One scope granted or withdrawn on one day. A RecordConsent or WithdrawConsent call stores one
// event per scope, all with the same `record_id` ordering key.
struct ConsentEvent {
  int64_t id = 0;  // insertion order: breaks ties between events of the same day
  ConsentScope scope = ConsentScope::kStorage;
  ConsentAction action = ConsentAction::kGrant;
  absl::CivilDay effective_on;  // signed_on for a grant, withdrawn_on for a withdrawal
  std::string form_version;     // grants: the consent form's version
  std::string reason;           // withdrawals: why (required)
  std::string recorded_by;
  int64_t recorded_at_micros = 0;
};

struct ScopeState {
  ConsentScope scope = ConsentScope::kStorage;
  absl::CivilDay since;
  std::string form_version;
};

struct ConsentState {
  // Scopes granted on the day judged, in enum order.
  std::vector<ScopeState> granted;
  // Scopes whose latest event up to that day is a withdrawal, in enum order.
  std::vector<ConsentScope> withdrawn;

  bool Covers(ConsentScope scope) const;
  bool CoversAll(const std::vector<ConsentScope>& scopes) const;
  // Whether the patient's samples may still leave their biobank (be shipped, exported): not
  // once storage or research is withdrawn. Never asked is not withdrawn.
  bool MayCirculate() const;
};

// The state on `as_of`: for each scope, only events effective on or before `as_of` count, and
// the latest of them (by date, then by id) decides — a grant grants, a withdrawal withdraws. A
// scope never granted is neither granted nor withdrawn. Events may come in any order.
ConsentState CurrentConsent(const std::vector<ConsentEvent>& events, absl::CivilDay as_of);

// Checks of a new event against the history: dates between 1900-01-01 and `today` (a consent
// cannot be signed or withdrawn in the future), a version for grants, a reason for withdrawals,
// and no withdrawal of a scope that was never granted on or before the withdrawal day.
absl::Status ValidateConsentGrant(const std::set<ConsentScope>& scopes, absl::CivilDay signed_on,
                                  std::string_view version, absl::CivilDay today);
absl::Status ValidateConsentWithdrawal(const std::vector<ConsentEvent>& history,
                                       const std::set<ConsentScope>& scopes,
                                       absl::CivilDay withdrawn_on, std::string_view reason,
                                       absl::CivilDay today);

}  // namespace lims

#endif  // LIMS_CORE_CONSENT_H_
