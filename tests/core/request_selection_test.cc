// Which tubes a researcher's request gets: consent gating (withdrawn, partial, none), the
// minimum quantity, the retention rule, the per patient-timepoint limit, and the preference for
// fewer freeze-thaw cycles, then fewer boxes.
#include "lims/core/request_selection.h"

#include "gtest/gtest.h"
#include "status_matchers.h"

namespace lims {
namespace {

ConsentState Granted(std::vector<ConsentScope> scopes) {
  ConsentState state;
  for (ConsentScope s : scopes) state.granted.push_back({s, absl::CivilDay(2026, 1, 10), "v1"});
  return state;
}

Quantity Ml(double ml) { return *Quantity::FromValue(ml, "mL"); }

// The caller's numbers for timepoints and types; the test's serum is type 1.
constexpr int kM3 = 3, kM6 = 6, kSerum = 1;

CandidateTube Tube(int64_t id, int64_t patient, int timepoint, int remaining,
                   int64_t box = 1, int thaws = 0) {
  CandidateTube t;
  t.sample_id = id;
  t.patient_id = patient;
  t.timepoint = timepoint;
  t.sample_type = kSerum;
  t.quantity = Ml(0.5);
  t.box_id = box;
  t.freeze_thaw_count = thaws;
  t.remaining_in_group = remaining;
  return t;
}

// Every patient of `tubes` with storage and research consent.
std::unordered_map<int64_t, ConsentState> Consented(const std::vector<CandidateTube>& tubes) {
  std::unordered_map<int64_t, ConsentState> consent;
  for (const CandidateTube& t : tubes) {
    consent[t.patient_id] = Granted({ConsentScope::kStorage, ConsentScope::kResearch});
  }
  return consent;
}

Selection Select(const std::vector<CandidateTube>& tubes, const RequestCriteria& c) {
  return SelectTubes(tubes, Consented(tubes), c);
}

RequestCriteria Criteria() {
  RequestCriteria c;
  c.protocol_codes = {"CART-SLE"};
  return c;
}

TEST(RequestSelection, ConsentMustCoverEveryRequiredScopeAndResearchAlways) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 9), Tube(2, 2, kM3, 9), Tube(3, 3, kM3, 9),
                                      Tube(4, 4, kM3, 9)};
  auto consent = Consented(tubes);
  consent[2] = Granted({ConsentScope::kStorage});  // no research
  consent.erase(3);                                // never given
  consent[4].withdrawn = {ConsentScope::kGenetic};  // genetic withdrawn
  RequestCriteria c = Criteria();
  Selection s = SelectTubes(tubes, consent, c);
  EXPECT_EQ(s.sample_ids, (std::vector<int64_t>{1, 4}));
  EXPECT_EQ(s.excluded["consent"], 2);
  c.required_consent_scopes = {ConsentScope::kGenetic};
  consent[1] = Granted({ConsentScope::kStorage, ConsentScope::kResearch, ConsentScope::kGenetic});
  s = SelectTubes(tubes, consent, c);
  EXPECT_EQ(s.sample_ids, std::vector<int64_t>{1});  // 4's genetic consent was withdrawn
}

TEST(RequestSelection, TemperatureExposureLimits_LeaveOutLongOrWarmExposures) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 9), Tube(2, 2, kM3, 9), Tube(3, 3, kM3, 9)};
  tubes[1].exposure_minutes = 90;
  tubes[1].exposure_peak = -60;
  tubes[2].exposure_minutes = 10;
  tubes[2].exposure_peak = -20;
  RequestCriteria c = Criteria();
  EXPECT_EQ(Select(tubes, c).sample_ids.size(), 3u);  // no limit: every tube
  c.max_exposure_minutes = 60;
  Selection s = Select(tubes, c);
  EXPECT_EQ(s.sample_ids, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(s.excluded["temperature exposure"], 1);
  c.max_exposure_celsius = -50;  // 3 saw -20 °C
  EXPECT_EQ(Select(tubes, c).sample_ids, std::vector<int64_t>{1});
  c.max_exposure_minutes = 0;  // none at all: an unexposed tube still goes
  c.max_exposure_celsius.reset();
  EXPECT_EQ(Select(tubes, c).sample_ids, std::vector<int64_t>{1});
  c.max_exposure_minutes = -1;
  EXPECT_FALSE(ValidateCriteria(c).ok());
}

TEST(RequestSelection, TheLastTubeOfAPatientTimepointTypeStays) {
  // Patient 1 has three M3 serum tubes: two may go. Patient 2 has one: none may.
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 3), Tube(2, 1, kM3, 3), Tube(3, 1, kM3, 3),
                                      Tube(4, 2, kM3, 1)};
  RequestCriteria c = Criteria();
  Selection s = Select(tubes, c);
  EXPECT_EQ(s.sample_ids.size(), 2u);
  EXPECT_EQ(s.excluded["retention"], 2);
  EXPECT_EQ(s.patients, 1);
  c.keep_last_tube = false;  // configurable
  EXPECT_EQ(Select(tubes, c).sample_ids.size(), 4u);
}

TEST(RequestSelection, PerPatientTimepointLimitAndMinimumQuantity) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 9), Tube(2, 1, kM3, 9), Tube(3, 1, kM6, 9),
                                      Tube(4, 2, kM3, 9)};
  tubes[3].quantity = Ml(0.2);
  RequestCriteria c = Criteria();
  c.max_per_patient_timepoint = 1;
  c.min_quantity = Ml(0.3);
  Selection s = Select(tubes, c);
  EXPECT_EQ(s.sample_ids, (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(s.excluded["quantity"], 1);
  EXPECT_EQ(s.excluded["per patient-timepoint limit"], 1);
  EXPECT_EQ(s.by_timepoint[kM3], 1);
  EXPECT_EQ(s.by_timepoint[kM6], 1);
  // A minimum in cells never matches a volume.
  c.min_quantity = *Quantity::FromValue(1000, "cells");
  EXPECT_TRUE(Select(tubes, c).sample_ids.empty());
}

TEST(RequestSelection, FewerThawsFirstThenFewerBoxes) {
  // One tube per patient wanted; each patient has a tube in box 1 (shared) and in a box of
  // its own; patient 3's box-1 tube was thawed once.
  std::vector<CandidateTube> tubes = {
      Tube(1, 1, kM3, 9, /*box=*/10), Tube(2, 1, kM3, 9, /*box=*/1),
      Tube(3, 2, kM3, 9, /*box=*/20), Tube(4, 2, kM3, 9, /*box=*/1),
      Tube(5, 3, kM3, 9, /*box=*/1, /*thaws=*/1), Tube(6, 3, kM3, 9, /*box=*/30)};
  RequestCriteria c = Criteria();
  c.max_per_patient_timepoint = 1;
  Selection s = Select(tubes, c);
  EXPECT_EQ(s.sample_ids, (std::vector<int64_t>{2, 4, 6}));
  EXPECT_EQ(s.patient_ids, (std::vector<int64_t>{1, 2, 3}));
}

TEST(RequestSelection, ReservedAndUnstoredTubesNeverGo) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 9), Tube(2, 1, kM3, 9), Tube(3, 1, kM3, 9)};
  tubes[0].reserved = true;
  tubes[1].status = SampleStatus::kCheckedOut;
  Selection s = Select(tubes, Criteria());
  EXPECT_EQ(s.sample_ids, std::vector<int64_t>{3});
  EXPECT_EQ(s.excluded["reserved"], 1);
  EXPECT_EQ(s.excluded["not stored"], 1);
}

TEST(RequestSelection, RemainingCountsEachPatientTimepointTypeOwnStoredUnreservedTubes) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 0), Tube(2, 1, kM3, 0), Tube(3, 1, kM3, 0),
                                      Tube(4, 1, kM6, 0), Tube(5, 2, kM3, 0), Tube(6, 1, kM3, 0)};
  tubes[2].reserved = true;
  tubes[5].sample_type = kSerum + 1;  // plasma
  CountRemainingInGroups(tubes);
  std::vector<int> remaining;
  for (const CandidateTube& t : tubes) remaining.push_back(t.remaining_in_group);
  // A reserved tube still counts its group's remaining tubes, but is not one of them.
  EXPECT_EQ(remaining, (std::vector<int>{2, 2, 2, 1, 1, 1}));
  // Then retention leaves one serum tube of patient 1 at M3 and every single tube.
  Selection s = Select(tubes, Criteria());
  EXPECT_EQ(s.sample_ids, std::vector<int64_t>{1});
}

TEST(RequestSelection, TheLimitCountsEveryTypeOfAPatientTimepoint) {
  std::vector<CandidateTube> tubes = {Tube(1, 1, kM3, 9), Tube(2, 1, kM3, 9), Tube(3, 1, kM3, 9)};
  tubes[1].sample_type = kSerum + 1;
  tubes[2].sample_type = kSerum + 2;
  RequestCriteria c = Criteria();
  c.max_per_patient_timepoint = 2;
  Selection s = Select(tubes, c);
  EXPECT_EQ(s.sample_ids.size(), 2u);
  EXPECT_EQ(s.excluded["per patient-timepoint limit"], 1);
  EXPECT_EQ(s.patients, 1);
}

TEST(RequestSelection, CriteriaAreChecked) {
  RequestCriteria c;
  EXPECT_STATUS(ValidateCriteria(c), absl::StatusCode::kInvalidArgument, "protocol_codes");
  c = Criteria();
  c.max_per_patient_timepoint = -1;
  EXPECT_STATUS(ValidateCriteria(c), absl::StatusCode::kInvalidArgument, "max_per_patient_timepoint");
  c = Criteria();
  EXPECT_OK(ValidateCriteria(c));
  EXPECT_EQ(RequiredScopes(c), std::vector<ConsentScope>{ConsentScope::kResearch});
}

}  // namespace
}  // namespace lims
