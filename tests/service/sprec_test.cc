// SPREC codes over real gRPC: hand-given codes validated at collection, the pre-centrifugation
// element derived from the recorded delay and temperature, inheritance by derived tubes,
// corrections with a reason, and refusals that change nothing.
#include "absl/time/time.h"
#include "grpc_status_matchers.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

// CollectSerum's collection time: 2026-04-16 09:30 UTC.
google::protobuf::Timestamp CollectedPlus(absl::Duration delay) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilSecond(2026, 4, 16, 9, 30, 0), absl::UTCTimeZone()) + delay));
  return ts;
}

class SprecTest : public ServiceTest {
 protected:
  grpc::Status Collect(const std::string& type, const std::string& sprec,
                       const std::string& container, v1::Sample* out) {
    v1::CollectSampleRequest req;
    req.set_enrollment_id(enrollment_id_);
    req.set_timepoint_code("M3");
    req.set_sample_type(type);
    req.mutable_quantity()->set_value(4);
    req.mutable_quantity()->set_unit("mL");
    *req.mutable_collected_at() = CollectedPlus(absl::ZeroDuration());
    req.set_sprec(sprec);
    req.set_primary_container(container);
    v1::CollectSampleResponse resp;
    grpc::Status s = samples_->CollectSample(Ctx().get(), req, &resp);
    *out = resp.sample();
    return s;
  }

  grpc::Status StartProcessing(const std::string& barcode, v1::HoldingTemperature held_at,
                               absl::Duration after_collection, v1::Sample* out) {
    v1::RecordLifecycleEventRequest req;
    req.set_barcode(barcode);
    req.set_event(v1::LIFECYCLE_EVENT_START_PROCESSING);
    req.set_pre_centrifugation_temperature(held_at);
    *req.mutable_occurred_at() = CollectedPlus(after_collection);
    v1::RecordLifecycleEventResponse resp;
    grpc::Status s = samples_->RecordLifecycleEvent(Ctx().get(), req, &resp);
    *out = resp.sample();
    return s;
  }

  std::string StoredSprec(const std::string& barcode) {
    v1::GetSampleRequest req;
    req.set_barcode(barcode);
    v1::GetSampleResponse resp;
    grpc::Status s = samples_->GetSample(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.sample().sprec();
  }
};

TEST_P(SprecTest, NewTube_StartsWithTypeAndUnknownElements) {
  Seed();
  const v1::Sample serum = CollectSerum();
  EXPECT_EQ(serum.sprec(), "SER-XXX-X-X-X-X-X");
  v1::Sample blood;
  LIMS_ASSERT_GRPC_OK(Collect("BLD", "", "ped", &blood));
  EXPECT_EQ(blood.sprec(), "BLD-PED-X-X-X-X-X");
  v1::Sample typed;
  LIMS_ASSERT_GRPC_OK(Collect("SER", " ser-sst-a-x-x-x-x ", "", &typed));
  EXPECT_EQ(typed.sprec(), "SER-SST-A-X-X-X-X");
  EXPECT_EQ(StoredSprec(typed.barcode()), "SER-SST-A-X-X-X-X");
}

TEST_P(SprecTest, ProcessingStart_DerivesPreCentrifugationFromDelayAndTemperature) {
  Seed();
  v1::Sample tube;
  LIMS_ASSERT_GRPC_OK(Collect("SER", "", "SST", &tube));
  v1::Sample processed;
  // 3 h at 2–10 °C: D.
  LIMS_ASSERT_GRPC_OK(StartProcessing(tube.barcode(), v1::HOLDING_TEMPERATURE_REFRIGERATED,
                                      absl::Hours(3), &processed));
  EXPECT_EQ(processed.status(), v1::SAMPLE_STATUS_IN_PROCESSING);
  EXPECT_EQ(processed.sprec(), "SER-SST-D-X-X-X-X");
  EXPECT_EQ(StoredSprec(tube.barcode()), "SER-SST-D-X-X-X-X");

  // The history says what was derived and from what.
  v1::GetSampleHistoryRequest hreq;
  hreq.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), hreq, &history));
  ASSERT_EQ(history.events_size(), 2);
  EXPECT_NE(history.events(1).details().find("pre-centrifugation X -> D (2–10 °C, 2–4 h"),
            std::string::npos)
      << history.events(1).details();

  // Aliquots carry the parent's pre-analytical history under their own type.
  const v1::Sample parent = CollectSerum();
  v1::Sample started;
  LIMS_ASSERT_GRPC_OK(StartProcessing(parent.barcode(), v1::HOLDING_TEMPERATURE_ROOM,
                                      absl::Minutes(90), &started));
  EXPECT_EQ(started.sprec(), "SER-XXX-A-X-X-X-X");
  const v1::Sample aliquot = Derive(parent.barcode(), 2, 0.5);
  EXPECT_EQ(aliquot.sprec(), "SER-XXX-A-X-X-X-X");
}

TEST_P(SprecTest, DelayClassEdges_OverTheWire) {
  Seed();
  struct Case {
    absl::Duration delay;
    v1::HoldingTemperature held_at;
    const char* expected;
  };
  const Case cases[] = {
      {absl::Hours(2), v1::HOLDING_TEMPERATURE_ROOM, "SER-XXX-C-X-X-X-X"},
      {absl::Hours(2) - absl::Seconds(1), v1::HOLDING_TEMPERATURE_ROOM, "SER-XXX-A-X-X-X-X"},
      {absl::Hours(30), v1::HOLDING_TEMPERATURE_REFRIGERATED, "SER-XXX-L-X-X-X-X"},
  };
  for (const Case& c : cases) {
    const v1::Sample tube = CollectSerum();
    v1::Sample out;
    LIMS_ASSERT_GRPC_OK(StartProcessing(tube.barcode(), c.held_at, c.delay, &out));
    EXPECT_EQ(out.sprec(), c.expected) << absl::FormatDuration(c.delay);
  }
}

TEST_P(SprecTest, BadCodes_RefusedWithReasonAndNothingChanges) {
  Seed();
  const v1::Sample tube = CollectSerum();
  const auto before = Rows();
  v1::Sample out;
  LIMS_EXPECT_GRPC(Collect("SER", "PL1-PED-A-X-X-X-X", "", &out), StatusCode::INVALID_ARGUMENT,
                   "first element must be SER");
  LIMS_EXPECT_GRPC(Collect("SER", "SER-SST-A", "", &out), StatusCode::INVALID_ARGUMENT,
                   "has 3 elements");
  LIMS_EXPECT_GRPC(Collect("SER", "SER-ABC-A-X-X-X-X", "", &out), StatusCode::INVALID_ARGUMENT,
                   "primary container \"ABC\"");
  LIMS_EXPECT_GRPC(Collect("SER", "", "GLASS", &out), StatusCode::INVALID_ARGUMENT,
                   "primary container \"GLASS\"");
  LIMS_EXPECT_GRPC(Collect("SER", "SER-SST-A-X-X-X-X", "SST", &out),
                   StatusCode::INVALID_ARGUMENT, "not both");
  // Processing before collection, and a temperature on another event.
  LIMS_EXPECT_GRPC(StartProcessing(tube.barcode(), v1::HOLDING_TEMPERATURE_ROOM,
                                   -absl::Hours(1), &out),
                   StatusCode::INVALID_ARGUMENT, "before the tube was collected");
  v1::RecordLifecycleEventRequest receive;
  receive.set_barcode(tube.barcode());
  receive.set_event(v1::LIFECYCLE_EVENT_RECEIVE);
  receive.set_pre_centrifugation_temperature(v1::HOLDING_TEMPERATURE_ROOM);
  v1::RecordLifecycleEventResponse rresp;
  LIMS_EXPECT_GRPC(samples_->RecordLifecycleEvent(Ctx().get(), receive, &rresp),
                   StatusCode::INVALID_ARGUMENT, "START_PROCESSING only");
  receive.set_pre_centrifugation_temperature(static_cast<v1::HoldingTemperature>(7));
  receive.set_event(v1::LIFECYCLE_EVENT_START_PROCESSING);
  LIMS_EXPECT_GRPC(samples_->RecordLifecycleEvent(Ctx().get(), receive, &rresp),
                   StatusCode::INVALID_ARGUMENT, "ROOM");
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(StoredSprec(tube.barcode()), "SER-XXX-X-X-X-X-X");
}

TEST_P(SprecTest, HandCorrection_NeedsReasonIsAuditedAndValidated) {
  Seed();
  const v1::Sample tube = CollectSerum();
  v1::SetSampleSprecRequest req;
  req.set_barcode(tube.barcode());
  req.set_sprec("SER-SST-A-D-N-A-B");
  v1::SetSampleSprecResponse resp;
  const auto before = Rows();
  LIMS_EXPECT_GRPC(samples_->SetSampleSprec(Ctx().get(), req, &resp),
                   StatusCode::INVALID_ARGUMENT, "reason");
  req.set_reason("centrifugation entered from the bench sheet");
  req.set_sprec("SER-SST-A-D-N-A-B-C");
  LIMS_EXPECT_GRPC(samples_->SetSampleSprec(Ctx().get(), req, &resp),
                   StatusCode::INVALID_ARGUMENT, "has 8 elements");
  req.set_sprec("BLD-PED-A-D-N-A-B");
  LIMS_EXPECT_GRPC(samples_->SetSampleSprec(Ctx().get(), req, &resp),
                   StatusCode::INVALID_ARGUMENT, "first element must be SER");
  req.set_barcode("9999999999");  // well-formed, not registered
  req.set_sprec("SER-SST-A-D-N-A-B");
  LIMS_EXPECT_GRPC(samples_->SetSampleSprec(Ctx().get(), req, &resp), StatusCode::NOT_FOUND, "");
  EXPECT_EQ(Rows(), before);
  EXPECT_EQ(StoredSprec(tube.barcode()), "SER-XXX-X-X-X-X-X");

  req.set_barcode(tube.barcode());
  LIMS_ASSERT_GRPC_OK(samples_->SetSampleSprec(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.sample().sprec(), "SER-SST-A-D-N-A-B");
  EXPECT_EQ(Rows()["audit_events"], before.at("audit_events") + 1);
  // The same code again is no change and no new event.
  LIMS_ASSERT_GRPC_OK(samples_->SetSampleSprec(Ctx().get(), req, &resp));
  EXPECT_EQ(Rows()["audit_events"], before.at("audit_events") + 1);

  v1::GetSampleHistoryRequest hreq;
  hreq.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), hreq, &history));
  const v1::SampleEvent& last = history.events(history.events_size() - 1);
  EXPECT_EQ(last.action(), "sample.sprec_corrected");
  EXPECT_EQ(last.reason(), "centrifugation entered from the bench sheet");
  EXPECT_NE(last.details().find("SER-XXX-X-X-X-X-X -> SER-SST-A-D-N-A-B"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, SprecTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, SprecTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
