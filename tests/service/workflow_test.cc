// The technician's day over real gRPC: collect, aliquot, store, resolve, retrieve, return, move.
#include "service_fixture.h"
#include "grpc_status_matchers.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class WorkflowTest : public ServiceTest {};

TEST_P(WorkflowTest, CollectDerivePlaceResolve_AnswersEverythingInOneCall) {
  Seed();
  v1::Sample serum = CollectSerum();
  EXPECT_EQ(serum.barcode().substr(0, 6), "PSL26-") << serum.barcode();
  EXPECT_EQ(serum.status(), v1::SAMPLE_STATUS_COLLECTED);
  EXPECT_FALSE(serum.out_of_window());
  EXPECT_DOUBLE_EQ(serum.quantity().value(), 4000);
  EXPECT_EQ(serum.quantity().unit(), "uL");

  v1::DeriveSamplesRequest derive;
  derive.set_parent_barcode(serum.barcode());
  derive.set_sample_type("SER");
  derive.set_count(4);
  derive.mutable_quantity_each()->set_value(500);
  derive.mutable_quantity_each()->set_unit("µL");
  v1::DeriveSamplesResponse derived;
  LIMS_ASSERT_GRPC_OK(samples_->DeriveSamples(Ctx().get(), derive, &derived));
  ASSERT_EQ(derived.samples_size(), 4);
  EXPECT_DOUBLE_EQ(derived.parent().quantity().value(), 2000);
  EXPECT_EQ(derived.parent().status(), v1::SAMPLE_STATUS_IN_PROCESSING);
  const v1::Sample& aliquot = derived.samples(0);
  EXPECT_EQ(aliquot.parent_barcode(), serum.barcode());
  EXPECT_EQ(aliquot.timepoint_code(), "M3");

  v1::PlaceSampleRequest place;
  place.set_barcode(aliquot.barcode());
  place.set_box_id(box_id_);
  place.set_position("c05");
  v1::PlaceSampleResponse placed;
  LIMS_ASSERT_GRPC_OK(storage_->PlaceSample(Ctx().get(), place, &placed));
  EXPECT_EQ(placed.placement().location().position(), "C5");
  EXPECT_EQ(placed.placement().location().position_number(), 23);

  // A scanner sends the code with a trailing CR/LF and sometimes in lower case.
  v1::ResolveBarcodeRequest resolve;
  std::string scanned = aliquot.barcode() + "\r\n";
  for (char& c : scanned) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  resolve.set_barcode(scanned);
  v1::ResolveBarcodeResponse resolved;
  LIMS_ASSERT_GRPC_OK(samples_->ResolveBarcode(Ctx().get(), resolve, &resolved));
  EXPECT_EQ(resolved.sample().barcode(), aliquot.barcode());
  EXPECT_EQ(resolved.sample().status(), v1::SAMPLE_STATUS_STORED);
  EXPECT_EQ(resolved.location().box_id(), box_id_);
  EXPECT_EQ(resolved.location().position(), "C5");
  EXPECT_EQ(resolved.location().path(), "Site PSL / Room 1 / Freezer F-01 / Rack R2 / Box B-0042");
  EXPECT_EQ(resolved.patient_registry_id(), "MATHEC-0042");
  EXPECT_EQ(resolved.protocol_code(), "CART-SLE");
  EXPECT_EQ(resolved.timepoint_code(), "M3");

  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(aliquot.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  ASSERT_EQ(history.events_size(), 2);
  EXPECT_EQ(history.events(0).action(), "sample.derived");
  EXPECT_EQ(history.events(1).action(), "storage.placed");
  EXPECT_EQ(history.events(1).actor(), "admin");
  EXPECT_NE(history.events(1).after_json().find("\"C5\""), std::string::npos);

  v1::GetBoxContentsRequest box_req;
  box_req.set_box_id(box_id_);
  v1::GetBoxContentsResponse box;
  LIMS_ASSERT_GRPC_OK(storage_->GetBoxContents(Ctx().get(), box_req, &box));
  ASSERT_EQ(box.slots_size(), 1);
  EXPECT_EQ(box.slots(0).barcode(), aliquot.barcode());
  EXPECT_EQ(box.box().rows(), 9);
}

TEST_P(WorkflowTest, ListSamples_AnEnrollmentsTubesByTimepointWithTheirPlaces) {
  Seed();
  const v1::Sample serum = CollectSerum();
  v1::DeriveSamplesRequest derive;
  derive.set_parent_barcode(serum.barcode());
  derive.set_sample_type("SER");
  derive.set_count(2);
  derive.mutable_quantity_each()->set_value(0.5);
  derive.mutable_quantity_each()->set_unit("mL");
  v1::DeriveSamplesResponse derived;
  LIMS_ASSERT_GRPC_OK(samples_->DeriveSamples(Ctx().get(), derive, &derived));
  const v1::Sample& aliquot = derived.samples(1);
  LIMS_ASSERT_GRPC_OK(Place(aliquot.barcode(), box_id_, "B2"));

  v1::ListSamplesRequest request;
  request.set_patient_registry_id("MATHEC-0042");
  request.set_protocol_code("CART-SLE");
  request.set_timepoint_code("M3");
  v1::ListSamplesResponse listed;
  LIMS_ASSERT_GRPC_OK(samples_->ListSamples(Ctx().get(), request, &listed));
  ASSERT_EQ(listed.samples_size(), 3);  // the primary tube first, then its two aliquots
  EXPECT_EQ(listed.samples(0).sample().barcode(), serum.barcode());
  EXPECT_FALSE(listed.samples(0).has_location());
  int placed = 0;
  for (const v1::ListedSample& tube : listed.samples()) {
    if (tube.sample().barcode() != aliquot.barcode()) continue;
    ++placed;
    EXPECT_EQ(tube.location().position(), "B2");
    EXPECT_EQ(tube.location().box_id(), box_id_);
  }
  EXPECT_EQ(placed, 1);

  // Another timepoint holds nothing; every timepoint holds the same three.
  request.set_timepoint_code("D0");
  LIMS_ASSERT_GRPC_OK(samples_->ListSamples(Ctx().get(), request, &listed));
  EXPECT_EQ(listed.samples_size(), 0);
  request.clear_timepoint_code();
  request.set_page_size(2);
  LIMS_ASSERT_GRPC_OK(samples_->ListSamples(Ctx().get(), request, &listed));
  ASSERT_EQ(listed.samples_size(), 2);
  ASSERT_FALSE(listed.next_page_token().empty());
  request.set_page_token(listed.next_page_token());
  LIMS_ASSERT_GRPC_OK(samples_->ListSamples(Ctx().get(), request, &listed));
  EXPECT_EQ(listed.samples_size(), 1);

  // Bad names say what exists; another site's technician is refused.
  request.clear_page_token();
  request.set_timepoint_code("M99");
  LIMS_EXPECT_GRPC(samples_->ListSamples(Ctx().get(), request, &listed),
                   StatusCode::INVALID_ARGUMENT, "BASELINE, D0, M3");
  request.set_timepoint_code("M3");
  request.set_patient_registry_id("NOBODY-1");
  LIMS_EXPECT_GRPC(samples_->ListSamples(Ctx().get(), request, &listed), StatusCode::NOT_FOUND,
                   "NOBODY-1");
  request.set_patient_registry_id("MATHEC-0042");
  request.clear_protocol_code();
  LIMS_EXPECT_GRPC(samples_->ListSamples(Ctx().get(), request, &listed),
                   StatusCode::INVALID_ARGUMENT, "protocol_code");
  request.set_protocol_code("CART-SLE");
  CreateSite("CHU", "CHU Lyon");
  const std::string elsewhere = MakeUser("tech.chu", v1::ROLE_TECHNICIAN, "CHU");
  LIMS_EXPECT_GRPC(samples_->ListSamples(Ctx(elsewhere).get(), request, &listed),
                   StatusCode::PERMISSION_DENIED, "");
}

TEST_P(WorkflowTest, RetrieveReturnMove_FollowTheLifecycleAndCountThaws) {
  Seed();
  v1::Sample tube = CollectSerum("1000000001");
  LIMS_ASSERT_GRPC_OK(Place(tube.barcode(), box_id_, "A1"));
  // Placing a stored tube again is refused: it must be moved.
  LIMS_EXPECT_GRPC(Place(tube.barcode(), box_id_, "A2"), StatusCode::FAILED_PRECONDITION,
                   "use move");

  v1::RetrieveSampleRequest retrieve;
  retrieve.set_barcode(tube.barcode());
  v1::RetrieveSampleResponse retrieved;
  LIMS_EXPECT_GRPC(storage_->RetrieveSample(Ctx().get(), retrieve, &retrieved),
                   StatusCode::INVALID_ARGUMENT, "reason");
  retrieve.set_reason("aliquot for ELISA");
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx().get(), retrieve, &retrieved));
  EXPECT_EQ(retrieved.previous_location().position(), "A1");

  // The freed position can take another tube; a checked-out tube cannot be "placed".
  v1::Sample other = CollectSerum("1000000002");
  LIMS_ASSERT_GRPC_OK(Place(other.barcode(), box_id_, "A1"));
  LIMS_EXPECT_GRPC(Place(tube.barcode(), box_id_, "A3"), StatusCode::FAILED_PRECONDITION,
                   "use return");

  v1::ReturnSampleRequest ret;
  ret.set_barcode(tube.barcode());
  ret.set_box_id(box_id_);
  ret.set_position("A1");
  ret.set_thawed(true);
  v1::ReturnSampleResponse returned;
  LIMS_EXPECT_GRPC(storage_->ReturnSample(Ctx().get(), ret, &returned),
                   StatusCode::FAILED_PRECONDITION, "already holds 1000000002");
  ret.set_position("A2");
  LIMS_ASSERT_GRPC_OK(storage_->ReturnSample(Ctx().get(), ret, &returned));
  EXPECT_EQ(returned.freeze_thaw_count(), 1);

  v1::MoveSampleRequest move;
  move.set_barcode(tube.barcode());
  move.set_box_id(box_id_);
  move.set_position("I9");
  move.set_reason("re-sorting box");
  v1::MoveSampleResponse moved;
  LIMS_ASSERT_GRPC_OK(storage_->MoveSample(Ctx().get(), move, &moved));
  EXPECT_EQ(moved.previous_location().position(), "A2");
  EXPECT_EQ(moved.placement().location().position(), "I9");

  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  std::vector<std::string> actions;
  for (const auto& e : history.events()) actions.push_back(e.action());
  EXPECT_EQ(actions, (std::vector<std::string>{"sample.collected", "storage.placed",
                                               "storage.retrieved", "storage.returned",
                                               "storage.moved"}));
  EXPECT_EQ(history.events(2).reason(), "aliquot for ELISA");
}

TEST_P(WorkflowTest, CollectOutsideWindow_IsAcceptedAndFlagged) {
  Seed();
  v1::CollectSampleRequest req;
  req.set_enrollment_id(enrollment_id_);
  req.set_timepoint_code("M3");  // due 2026-04-15, window ±14 days
  req.set_sample_type("SER");
  req.mutable_quantity()->set_value(2);
  req.mutable_quantity()->set_unit("mL");
  req.mutable_collected_at()->set_seconds(absl::ToUnixSeconds(
      absl::FromCivil(absl::CivilDay(2026, 5, 9), absl::UTCTimeZone())));
  v1::CollectSampleResponse resp;
  LIMS_ASSERT_GRPC_OK(samples_->CollectSample(Ctx().get(), req, &resp));
  EXPECT_TRUE(resp.sample().out_of_window());
  EXPECT_EQ(resp.sample().window_offset_days(), 10);
}

TEST_P(WorkflowTest, Browse_ListsPatientsProtocolsAndTheStorageTreeByPage) {
  Seed();
  v1::ListStorageUnitsRequest roots;
  v1::ListStorageUnitsResponse root_units;
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), roots, &root_units));
  ASSERT_EQ(root_units.units_size(), 1);
  EXPECT_EQ(root_units.units(0).kind(), v1::STORAGE_KIND_SITE);

  for (int i = 0; i < 3; ++i) {
    v1::CreateStorageUnitRequest req;
    req.set_parent_id(freezer_id_);
    req.set_kind(v1::STORAGE_KIND_SHELF);
    req.set_name("S" + std::to_string(i));
    v1::CreateStorageUnitResponse resp;
    LIMS_ASSERT_GRPC_OK(storage_->CreateStorageUnit(Ctx().get(), req, &resp));
  }
  v1::ListStorageUnitsRequest page_req;
  page_req.set_parent_id(freezer_id_);
  page_req.set_page_size(2);
  v1::ListStorageUnitsResponse page1, page2;
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), page_req, &page1));
  EXPECT_EQ(page1.units_size(), 2);  // R2 and S0
  ASSERT_FALSE(page1.next_page_token().empty());
  page_req.set_page_token(page1.next_page_token());
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), page_req, &page2));
  EXPECT_EQ(page2.units_size(), 2);  // S1 and S2

  // A search by name spans every level, ignores case, takes % and _ literally, and keeps to the
  // caller's sites.
  CreateBoxInFreezer("Serum_box 7");
  CreateBoxInFreezer("Serum box 8");
  v1::ListStorageUnitsRequest search;
  search.set_name_contains("serum_");
  search.set_kind(v1::STORAGE_KIND_BOX);
  v1::ListStorageUnitsResponse found;
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), search, &found));
  ASSERT_EQ(found.units_size(), 1);
  EXPECT_EQ(found.units(0).name(), "Serum_box 7");
  search.set_name_contains("SERUM");
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), search, &found));
  EXPECT_EQ(found.units_size(), 2);
  search.set_name_contains("%");
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), search, &found));
  EXPECT_EQ(found.units_size(), 0);
  search.set_name_contains("serum");
  search.set_kind(v1::STORAGE_KIND_SHELF);
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx().get(), search, &found));
  EXPECT_EQ(found.units_size(), 0);
  CreateSite("CHU", "CHU Lyon");
  const std::string elsewhere = MakeUser("mgr.chu", v1::ROLE_MANAGER, "CHU");
  search.clear_kind();
  LIMS_ASSERT_GRPC_OK(storage_->ListStorageUnits(Ctx(elsewhere).get(), search, &found));
  EXPECT_EQ(found.units_size(), 0);

  v1::GetPatientRequest patient_req;
  patient_req.set_registry_id("MATHEC-0042");
  v1::GetPatientResponse patient;
  LIMS_ASSERT_GRPC_OK(registry_->GetPatient(Ctx().get(), patient_req, &patient));
  ASSERT_EQ(patient.enrollments_size(), 1);
  EXPECT_EQ(patient.enrollments(0).anchor_date(), "2026-01-15");

  v1::GetProtocolRequest protocol_req;
  protocol_req.set_code("CART-SLE");
  v1::GetProtocolResponse protocol;
  LIMS_ASSERT_GRPC_OK(registry_->GetProtocol(Ctx().get(), protocol_req, &protocol));
  EXPECT_EQ(protocol.protocol().timepoints_size(), 3);
  EXPECT_EQ(protocol.protocol().timepoints(2).offset_days(), 90);
}

TEST_P(WorkflowTest, LifecycleEvents_FollowTheStateMachineAndDisposalFreesThePosition) {
  Seed();
  v1::Sample tube = CollectSerum("2000000001");
  auto record = [&](const std::string& barcode, v1::LifecycleEvent event, const std::string& reason,
                    v1::RecordLifecycleEventResponse* out) {
    v1::RecordLifecycleEventRequest req;
    req.set_barcode(barcode);
    req.set_event(event);
    req.set_reason(reason);
    return samples_->RecordLifecycleEvent(Ctx().get(), req, out);
  };
  v1::RecordLifecycleEventResponse resp;
  LIMS_ASSERT_GRPC_OK(record(tube.barcode(), v1::LIFECYCLE_EVENT_RECEIVE, "", &resp));
  EXPECT_EQ(resp.sample().status(), v1::SAMPLE_STATUS_RECEIVED);
  LIMS_EXPECT_GRPC(record(tube.barcode(), v1::LIFECYCLE_EVENT_RECEIVE, "", &resp),
                   StatusCode::FAILED_PRECONDITION, "2000000001");
  LIMS_EXPECT_GRPC(record(tube.barcode(), v1::LIFECYCLE_EVENT_UNSPECIFIED, "", &resp),
                   StatusCode::INVALID_ARGUMENT, "event");

  LIMS_ASSERT_GRPC_OK(Place(tube.barcode(), box_id_, "B2"));
  // A stored tube must be taken out before it can be used up; disposal needs a reason.
  LIMS_EXPECT_GRPC(record(tube.barcode(), v1::LIFECYCLE_EVENT_CONSUME, "assay", &resp),
                   StatusCode::FAILED_PRECONDITION, "STORED");
  LIMS_EXPECT_GRPC(record(tube.barcode(), v1::LIFECYCLE_EVENT_DISPOSE, "", &resp),
                   StatusCode::INVALID_ARGUMENT, "reason");
  LIMS_ASSERT_GRPC_OK(record(tube.barcode(), v1::LIFECYCLE_EVENT_DISPOSE, "tube cracked", &resp));
  EXPECT_EQ(resp.sample().status(), v1::SAMPLE_STATUS_DISPOSED);
  EXPECT_EQ(resp.previous_location().position(), "B2");
  v1::Sample other = CollectSerum("2000000002");
  LIMS_ASSERT_GRPC_OK(Place(other.barcode(), box_id_, "B2"));  // the position was freed

  // Disposed is final.
  LIMS_EXPECT_GRPC(record(tube.barcode(), v1::LIFECYCLE_EVENT_RECEIVE, "", &resp),
                   StatusCode::FAILED_PRECONDITION, "DISPOSED");
  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  ASSERT_EQ(history.events_size(), 4);
  EXPECT_EQ(history.events(3).action(), "sample.dispose");
  EXPECT_EQ(history.events(3).reason(), "tube cracked");
}

TEST_P(WorkflowTest, DeriveAFullRack_AuditsALongSummaryOnBothBackends) {
  Seed();
  const v1::Sample serum = CollectSerum();  // 4 mL
  v1::DeriveSamplesRequest req;
  req.set_parent_barcode(serum.barcode());
  req.set_sample_type("SER");
  req.set_count(96);
  req.mutable_quantity_each()->set_value(40);
  req.mutable_quantity_each()->set_unit("uL");
  v1::DeriveSamplesResponse resp;
  LIMS_ASSERT_GRPC_OK(samples_->DeriveSamples(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.samples_size(), 96);
  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(serum.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  ASSERT_EQ(history.events_size(), 2);
  // 96 barcodes do not fit the one-line summary: it is cut, the change still recorded in full.
  EXPECT_LE(history.events(1).details().size(), 1000u);
  EXPECT_NE(history.events(1).after_json().find("\"quantity\":\"160 uL\""), std::string::npos)
      << history.events(1).after_json();
}

TEST_P(WorkflowTest, ProtocolTimepoints_CanBeAddedButNeverChanged) {
  Seed();
  CollectSerum();  // the protocol now has samples
  v1::AddProtocolTimepointsRequest req;
  req.set_protocol_code("CART-SLE");
  v1::Timepoint* m6 = req.add_timepoints();
  m6->set_code("M6");
  m6->set_offset_days(180);
  m6->set_window_before_days(14);
  m6->set_window_after_days(14);
  v1::AddProtocolTimepointsResponse resp;
  LIMS_ASSERT_GRPC_OK(registry_->AddProtocolTimepoints(Ctx().get(), req, &resp));
  ASSERT_EQ(resp.protocol().timepoints_size(), 4);
  EXPECT_EQ(resp.protocol().timepoints(3).code(), "M6");

  const auto before = Rows();
  v1::AddProtocolTimepointsRequest change;
  change.set_protocol_code("CART-SLE");
  v1::Timepoint* m3 = change.add_timepoints();
  m3->set_code("M3");
  m3->set_offset_days(120);  // would move every M3 sample's window
  LIMS_EXPECT_GRPC(registry_->AddProtocolTimepoints(Ctx().get(), change, &resp),
                   StatusCode::ALREADY_EXISTS, "new protocol version");
  v1::AddProtocolTimepointsRequest twice = req;
  twice.mutable_timepoints(0)->set_code("M12");
  twice.add_timepoints()->CopyFrom(twice.timepoints(0));
  LIMS_EXPECT_GRPC(registry_->AddProtocolTimepoints(Ctx().get(), twice, &resp),
                   StatusCode::INVALID_ARGUMENT, "M12");
  EXPECT_EQ(Rows(), before);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, WorkflowTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, WorkflowTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
