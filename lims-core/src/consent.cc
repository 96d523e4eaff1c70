#include "lims/core/consent.h"

#include <algorithm>
#include <map>

#include "absl/strings/str_cat.h"
#include "lims/core/timepoint_window.h"
#include "text.h"

namespace lims {
namespace {

constexpr absl::CivilDay kEarliest(1900, 1, 1);

absl::Status CheckDay(absl::CivilDay day, std::string_view field, absl::CivilDay today) {
  if (day < kEarliest) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(field), " ", FormatIsoDate(day), " is before 1900"));
  }
  if (day > today) {
    return absl::InvalidArgumentError(absl::StrCat(std::string(field), " ", FormatIsoDate(day),
                                                   " is in the future (today is ",
                                                   FormatIsoDate(today), ")"));
  }
  return absl::OkStatus();
}

// True when `a` happened after `b` (later day, or same day and recorded later).
bool Later(const ConsentEvent& a, const ConsentEvent& b) {
  if (a.effective_on != b.effective_on) return a.effective_on > b.effective_on;
  return a.id > b.id;
}

}  // namespace

const std::vector<ConsentScope>& AllConsentScopes() {
  static const auto* all = new std::vector<ConsentScope>{
      ConsentScope::kStorage, ConsentScope::kResearch, ConsentScope::kGenetic,
      ConsentScope::kSharingOutsideEu, ConsentScope::kCommercial};
  return *all;
}

std::string_view ConsentScopeName(ConsentScope scope) {
  switch (scope) {
    case ConsentScope::kStorage: return "storage";
    case ConsentScope::kResearch: return "research";
    case ConsentScope::kGenetic: return "genetic";
    case ConsentScope::kSharingOutsideEu: return "sharing_outside_eu";
    case ConsentScope::kCommercial: return "commercial";
  }
  return "unknown";
}

absl::StatusOr<ConsentScope> ParseConsentScope(std::string_view name) {
  std::string wanted;
  for (char c : text::Trim(name)) {
    char lower = text::IsUpper(c) ? static_cast<char>(c - 'A' + 'a') : c;
    wanted.push_back(lower == '-' ? '_' : lower);
  }
  for (ConsentScope scope : AllConsentScopes()) {
    if (ConsentScopeName(scope) == wanted) return scope;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown consent scope '", std::string(name),
      "'; expected storage, research, genetic, sharing_outside_eu or commercial"));
}

std::string_view ConsentActionName(ConsentAction action) {
  return action == ConsentAction::kGrant ? "grant" : "withdraw";
}

absl::StatusOr<ConsentAction> ParseConsentAction(std::string_view name) {
  if (name == "grant") return ConsentAction::kGrant;
  if (name == "withdraw") return ConsentAction::kWithdraw;
  return absl::InvalidArgumentError(absl::StrCat("unknown consent action '", std::string(name), "'"));
}

bool ConsentState::Covers(ConsentScope scope) const {
  return std::any_of(granted.begin(), granted.end(),
                     [&](const ScopeState& s) { return s.scope == scope; });
}

bool ConsentState::CoversAll(const std::vector<ConsentScope>& scopes) const {
  return std::all_of(scopes.begin(), scopes.end(),
                     [&](ConsentScope scope) { return Covers(scope); });
}

bool ConsentState::MayCirculate() const {
  return std::none_of(withdrawn.begin(), withdrawn.end(), [](ConsentScope scope) {
    return scope == ConsentScope::kStorage || scope == ConsentScope::kResearch;
  });
}

ConsentState CurrentConsent(const std::vector<ConsentEvent>& events, absl::CivilDay as_of) {
  std::map<ConsentScope, const ConsentEvent*> latest;
  for (const ConsentEvent& e : events) {
    if (e.effective_on > as_of) continue;
    const ConsentEvent*& slot = latest[e.scope];
    if (slot == nullptr || Later(e, *slot)) slot = &e;
  }
  ConsentState state;
  for (ConsentScope scope : AllConsentScopes()) {
    auto it = latest.find(scope);
    if (it == latest.end()) continue;
    if (it->second->action == ConsentAction::kGrant) {
      state.granted.push_back({scope, it->second->effective_on, it->second->form_version});
    } else {
      state.withdrawn.push_back(scope);
    }
  }
  return state;
}

absl::Status ValidateConsentGrant(const std::set<ConsentScope>& scopes, absl::CivilDay signed_on,
                                  std::string_view version, absl::CivilDay today) {
  if (scopes.empty()) {
    return absl::InvalidArgumentError("scopes: give at least one consent scope");
  }
  if (text::Trim(version).empty()) {
    return absl::InvalidArgumentError("version: the consent form's version is required");
  }
  return CheckDay(signed_on, "signed_on", today);
}

absl::Status ValidateConsentWithdrawal(const std::vector<ConsentEvent>& history,
                                       const std::set<ConsentScope>& scopes,
                                       absl::CivilDay withdrawn_on, std::string_view reason,
                                       absl::CivilDay today) {
  if (text::Trim(reason).empty()) {
    return absl::InvalidArgumentError("reason: a withdrawal needs a reason");
  }
  if (absl::Status s = CheckDay(withdrawn_on, "withdrawn_on", today); !s.ok()) return s;
  const ConsentState state = CurrentConsent(history, withdrawn_on);
  if (scopes.empty()) {
    if (state.granted.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "no consent scope is granted on ", FormatIsoDate(withdrawn_on), "; nothing to withdraw"));
    }
    return absl::OkStatus();
  }
  std::string missing;
  for (ConsentScope scope : scopes) {
    if (!state.Covers(scope)) {
      absl::StrAppend(&missing, missing.empty() ? "" : ", ", std::string(ConsentScopeName(scope)));
    }
  }
  if (!missing.empty()) {
    return absl::FailedPreconditionError(absl::StrCat("consent scope(s) ", missing,
                                                      " not granted on ",
                                                      FormatIsoDate(withdrawn_on),
                                                      "; nothing to withdraw"));
  }
  return absl::OkStatus();
}

}  // namespace lims
