#include "lims/core/consent.h"

#include <vector>

#include "gtest/gtest.h"

namespace lims {
namespace {

using S = ConsentScope;
absl::CivilDay Day(int y, int m, int d) { return absl::CivilDay(y, m, d); }

ConsentEvent Grant(int64_t id, S scope, absl::CivilDay on, std::string version = "v2.1") {
  ConsentEvent e;
  e.id = id;
  e.scope = scope;
  e.action = ConsentAction::kGrant;
  e.effective_on = on;
  e.form_version = std::move(version);
  return e;
}

ConsentEvent Withdraw(int64_t id, S scope, absl::CivilDay on) {
  ConsentEvent e = Grant(id, scope, on, "");
  e.action = ConsentAction::kWithdraw;
  e.reason = "patient request";
  return e;
}

std::vector<S> Granted(const ConsentState& state) {
  std::vector<S> out;
  for (const ScopeState& s : state.granted) out.push_back(s.scope);
  return out;
}

TEST(ConsentScopeTest, NamesRoundTripAndParsingIsForgiving) {
  for (S scope : AllConsentScopes()) {
    auto parsed = ParseConsentScope(ConsentScopeName(scope));
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, scope);
  }
  EXPECT_EQ(*ParseConsentScope(" Sharing-Outside-EU "), S::kSharingOutsideEu);
  EXPECT_EQ(*ParseConsentScope("GENETIC"), S::kGenetic);
  EXPECT_EQ(ParseConsentScope("genomic").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseConsentScope("").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(CurrentConsentTest, NoEvents_NothingGrantedNothingWithdrawn) {
  ConsentState state = CurrentConsent({}, Day(2026, 1, 1));
  EXPECT_TRUE(state.granted.empty());
  EXPECT_TRUE(state.withdrawn.empty());
  EXPECT_FALSE(state.Covers(S::kStorage));
  EXPECT_TRUE(state.CoversAll({}));
}

// Samples leave their biobank unless storage or research was withdrawn; never asked is no
// withdrawal, and another scope withdrawn does not hold them back.
TEST(CurrentConsentTest, MayCirculate_UnlessStorageOrResearchWithdrawn) {
  EXPECT_TRUE(CurrentConsent({}, Day(2026, 1, 1)).MayCirculate());
  const std::vector<ConsentEvent> genetic = {Grant(1, S::kResearch, Day(2026, 1, 1)),
                                             Grant(2, S::kGenetic, Day(2026, 1, 1)),
                                             Withdraw(3, S::kGenetic, Day(2026, 2, 1))};
  EXPECT_TRUE(CurrentConsent(genetic, Day(2026, 3, 1)).MayCirculate());
  for (S scope : {S::kStorage, S::kResearch}) {
    const std::vector<ConsentEvent> events = {Grant(1, scope, Day(2026, 1, 1)),
                                              Withdraw(2, scope, Day(2026, 2, 1))};
    EXPECT_TRUE(CurrentConsent(events, Day(2026, 1, 15)).MayCirculate());
    EXPECT_FALSE(CurrentConsent(events, Day(2026, 2, 1)).MayCirculate());
  }
}

TEST(CurrentConsentTest, GrantCountsFromItsSigningDayOn) {
  std::vector<ConsentEvent> events = {Grant(1, S::kStorage, Day(2026, 3, 10)),
                                      Grant(2, S::kResearch, Day(2026, 3, 10))};
  EXPECT_TRUE(CurrentConsent(events, Day(2026, 3, 9)).granted.empty());
  ConsentState on_day = CurrentConsent(events, Day(2026, 3, 10));
  EXPECT_EQ(Granted(on_day), (std::vector<S>{S::kStorage, S::kResearch}));
  EXPECT_EQ(on_day.granted[0].since, Day(2026, 3, 10));
  EXPECT_EQ(on_day.granted[0].form_version, "v2.1");
  EXPECT_TRUE(on_day.CoversAll({S::kStorage, S::kResearch}));
  EXPECT_FALSE(on_day.CoversAll({S::kStorage, S::kGenetic}));
}

TEST(CurrentConsentTest, PartialWithdrawalRemovesOnlyThatScopeFromItsDayOn) {
  std::vector<ConsentEvent> events = {Grant(1, S::kStorage, Day(2026, 1, 5)),
                                      Grant(2, S::kGenetic, Day(2026, 1, 5)),
                                      Withdraw(3, S::kGenetic, Day(2026, 6, 30))};
  EXPECT_EQ(Granted(CurrentConsent(events, Day(2026, 6, 29))),
            (std::vector<S>{S::kStorage, S::kGenetic}));
  ConsentState after = CurrentConsent(events, Day(2026, 6, 30));
  EXPECT_EQ(Granted(after), (std::vector<S>{S::kStorage}));
  EXPECT_EQ(after.withdrawn, (std::vector<S>{S::kGenetic}));
}

TEST(CurrentConsentTest, RegrantAfterWithdrawalGrantsAgainWithTheNewVersion) {
  std::vector<ConsentEvent> events = {Grant(1, S::kResearch, Day(2025, 1, 1), "v1"),
                                      Withdraw(2, S::kResearch, Day(2025, 6, 1)),
                                      Grant(3, S::kResearch, Day(2026, 2, 1), "v3")};
  EXPECT_FALSE(CurrentConsent(events, Day(2025, 12, 31)).Covers(S::kResearch));
  ConsentState now = CurrentConsent(events, Day(2026, 2, 1));
  ASSERT_EQ(Granted(now), (std::vector<S>{S::kResearch}));
  EXPECT_EQ(now.granted[0].form_version, "v3");
  EXPECT_EQ(now.granted[0].since, Day(2026, 2, 1));
  EXPECT_TRUE(now.withdrawn.empty());
}

TEST(CurrentConsentTest, LatestByDateDecidesNotInsertionOrder) {
  // A back-dated grant entered after a withdrawal does not undo the later withdrawal.
  std::vector<ConsentEvent> events = {Withdraw(5, S::kStorage, Day(2026, 5, 1)),
                                      Grant(9, S::kStorage, Day(2026, 4, 1))};
  EXPECT_TRUE(CurrentConsent(events, Day(2026, 4, 15)).Covers(S::kStorage));
  EXPECT_FALSE(CurrentConsent(events, Day(2026, 5, 1)).Covers(S::kStorage));
}

TEST(CurrentConsentTest, SameDayEventsFollowRecordingOrder) {
  std::vector<ConsentEvent> events = {Withdraw(2, S::kCommercial, Day(2026, 7, 7)),
                                      Grant(1, S::kCommercial, Day(2026, 7, 7))};
  EXPECT_FALSE(CurrentConsent(events, Day(2026, 7, 7)).Covers(S::kCommercial));
  events.push_back(Grant(3, S::kCommercial, Day(2026, 7, 7)));
  EXPECT_TRUE(CurrentConsent(events, Day(2026, 7, 7)).Covers(S::kCommercial));
}

TEST(CurrentConsentTest, LeapDayAndYearEnds) {
  std::vector<ConsentEvent> events = {Grant(1, S::kSharingOutsideEu, Day(2024, 2, 29)),
                                      Withdraw(2, S::kSharingOutsideEu, Day(2025, 1, 1))};
  EXPECT_FALSE(CurrentConsent(events, Day(2024, 2, 28)).Covers(S::kSharingOutsideEu));
  EXPECT_TRUE(CurrentConsent(events, Day(2024, 2, 29)).Covers(S::kSharingOutsideEu));
  EXPECT_TRUE(CurrentConsent(events, Day(2024, 12, 31)).Covers(S::kSharingOutsideEu));
  EXPECT_FALSE(CurrentConsent(events, Day(2025, 1, 1)).Covers(S::kSharingOutsideEu));
}

TEST(ValidateConsentTest, GrantNeedsScopesVersionAndAPastOrPresentDate) {
  const absl::CivilDay today = Day(2026, 11, 24);
  EXPECT_TRUE(ValidateConsentGrant({S::kStorage}, today, "v1", today).ok());
  EXPECT_EQ(ValidateConsentGrant({}, today, "v1", today).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateConsentGrant({S::kStorage}, today, " ", today).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateConsentGrant({S::kStorage}, today + 1, "v1", today).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateConsentGrant({S::kStorage}, Day(1899, 12, 31), "v1", today).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ValidateConsentTest, WithdrawalNeedsAReasonAndSomethingGranted) {
  const absl::CivilDay today = Day(2026, 11, 24);
  std::vector<ConsentEvent> history = {Grant(1, S::kStorage, Day(2026, 1, 5)),
                                       Grant(2, S::kResearch, Day(2026, 1, 5))};
  EXPECT_TRUE(ValidateConsentWithdrawal(history, {}, today, "moved abroad", today).ok());
  EXPECT_TRUE(ValidateConsentWithdrawal(history, {S::kResearch}, today, "x", today).ok());
  EXPECT_EQ(ValidateConsentWithdrawal(history, {S::kResearch}, today, "  ", today).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ValidateConsentWithdrawal(history, {S::kResearch}, today + 1, "x", today).code(),
            absl::StatusCode::kInvalidArgument);
  // Never granted, or not yet granted on the withdrawal day.
  absl::Status genetic = ValidateConsentWithdrawal(history, {S::kGenetic}, today, "x", today);
  EXPECT_EQ(genetic.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(genetic.message().find("genetic"), std::string::npos);
  EXPECT_EQ(ValidateConsentWithdrawal(history, {}, Day(2026, 1, 4), "x", today).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(ValidateConsentWithdrawal({}, {}, today, "x", today).code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace lims
