// Freezer monitoring over real gRPC, on SQLite and MariaDB: a freezer's settings, a night's
// temperature log imported after its rack was already evacuated into a backup freezer, the
// excursion found, every tube it reached (also those moved since; not one checked out at the
// time or put in later), the exposure on each tube's record, the investigation, and the
// refusals that change nothing.
#include "absl/strings/str_cat.h"
#include "grpc_status_matchers.h"
#include "lims/v1/monitoring.grpc.pb.h"
#include "lims/v1/request.grpc.pb.h"
#include "raw_sql.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class MonitoringTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (HasFatalFailure()) return;  // no database: the failure says why
    monitoring_ = v1::MonitoringService::NewStub(channel_);
  }

  v1::StorageUnit SetClimate(const std::string& unit_id, const std::string& probe) {
    v1::UpdateStorageUnitRequest req;
    req.set_unit_id(unit_id);
    req.set_set_point_celsius(-80);
    req.set_alarm_low_celsius(-95);
    req.set_alarm_high_celsius(-70);
    req.set_probe_id(probe);
    req.set_reason("commissioned");
    v1::UpdateStorageUnitResponse resp;
    grpc::Status s = storage_->UpdateStorageUnit(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.unit();
  }

  std::unique_ptr<v1::MonitoringService::Stub> monitoring_;
};

constexpr int64_t kHour = 3'600'000'000LL;  // µs

TEST_P(MonitoringTest, ANightsLog_ExposesTheTubesThatWereInside_EvenAfterTheyMoved) {
  Seed();
  const v1::StorageUnit freezer = SetClimate(freezer_id_, "ULT-F01");
  EXPECT_DOUBLE_EQ(freezer.alarm_high_celsius(), -70);
  EXPECT_EQ(freezer.state(), v1::UNIT_STATE_IN_SERVICE);
  v1::GetStorageUnitRequest get_box;
  get_box.set_id(box_id_);
  v1::GetStorageUnitResponse box;
  LIMS_ASSERT_GRPC_OK(storage_->GetStorageUnit(Ctx().get(), get_box, &box));
  const std::string rack_id = box.unit().parent_id();

  // A backup freezer beside it, made with its settings.
  v1::CreateStorageUnitRequest make_backup;
  make_backup.set_parent_id(freezer.parent_id());
  make_backup.set_kind(v1::STORAGE_KIND_FREEZER);
  make_backup.set_name("F-BACKUP");
  make_backup.set_set_point_celsius(-80);
  make_backup.set_alarm_high_celsius(-70);
  make_backup.set_probe_id("ULT-BKP");
  make_backup.set_state(v1::UNIT_STATE_BACKUP);
  v1::CreateStorageUnitResponse backup;
  LIMS_ASSERT_GRPC_OK(storage_->CreateStorageUnit(Ctx().get(), make_backup, &backup));
  EXPECT_EQ(backup.unit().state(), v1::UNIT_STATE_BACKUP);

  // Tubes A, B and D have been in the box for ten hours; D was taken out six hours ago.
  const v1::Sample a = CollectSerum(), b = CollectSerum(), c = CollectSerum(), d = CollectSerum();
  LIMS_ASSERT_GRPC_OK(Place(a.barcode(), box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(b.barcode(), box_id_, "A2"));
  LIMS_ASSERT_GRPC_OK(Place(d.barcode(), box_id_, "A4"));
  const int64_t now = absl::ToUnixMicros(absl::Now());
  ASSERT_TRUE(ExecuteRawSql(test_db_->url(), absl::StrCat("UPDATE location_history SET from_at = "
                                                          "from_at - ",
                                                          10 * kHour))
                  .ok());
  ASSERT_TRUE(ExecuteRawSql(test_db_->url(), absl::StrCat("UPDATE unit_parent_history SET "
                                                          "from_at = from_at - ",
                                                          10 * kHour))
                  .ok());
  v1::RetrieveSampleRequest retrieve;
  retrieve.set_barcode(d.barcode());
  retrieve.set_reason("thawed for an assay");
  v1::RetrieveSampleResponse retrieved;
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx().get(), retrieve, &retrieved));
  ASSERT_TRUE(ExecuteRawSql(test_db_->url(),
                            absl::StrCat("UPDATE location_history SET to_at = ", now - 6 * kHour,
                                         " WHERE to_at IS NOT NULL"))
                  .ok());
  // C arrives now, after the night.
  LIMS_ASSERT_GRPC_OK(Place(c.barcode(), box_id_, "A3"));

  // The rack goes to the backup freezer before anyone has the night's log.
  v1::MoveStorageUnitRequest move;
  move.set_unit_id(rack_id);
  move.set_new_parent_id(backup.unit().id());
  move.set_reason("evacuation: F-01 alarm");
  v1::MoveStorageUnitResponse moved;
  LIMS_ASSERT_GRPC_OK(storage_->MoveStorageUnit(Ctx().get(), move, &moved));
  EXPECT_EQ(moved.tubes_moved(), 3);  // A, B and C; D is out
  EXPECT_EQ(moved.unit().path(), "Site PSL / Room 1 / Freezer F-BACKUP / Rack R2");
  v1::ResolveBarcodeRequest resolve;
  resolve.set_barcode(a.barcode());
  v1::ResolveBarcodeResponse resolved;
  LIMS_ASSERT_GRPC_OK(samples_->ResolveBarcode(Ctx().get(), resolve, &resolved));
  EXPECT_EQ(resolved.location().position(), "A1");
  EXPECT_EQ(resolved.location().path(),
            "Site PSL / Room 1 / Freezer F-BACKUP / Rack R2 / Box B-0042");
  EXPECT_EQ(resolved.sample().exposures_size(), 0);

  // The log, as the monitoring system exports it: Paris time, day first, decimal comma. The
  // freezer warms above -70 °C from 5 h ago to 3 h ago, peaking at -40 °C.
  const absl::TimeZone paris = [] {
    absl::TimeZone z;
    absl::LoadTimeZone("Europe/Paris", &z);
    return z;
  }();
  const absl::Time start = absl::FromUnixSeconds((now / 1'000'000 - 6 * 3600) / 600 * 600);
  std::string csv = "Date;Sensor;Temperature;Alarm\n";
  for (int i = 0; i <= 24; ++i) {  // every 10 minutes for 4 hours
    const double celsius = i < 6 || i > 17 ? -80 : (i == 12 ? -40 : -55);
    std::string value = absl::StrCat(celsius, ",5");
    csv += absl::StrCat(absl::FormatTime("%d/%m/%Y %H:%M", start + absl::Minutes(10 * i), paris),
                        ";ULT-F01;", value, ";\n");
  }
  v1::ImportReadingsCsvRequest import;
  import.set_csv(csv + "31/02/2026 10:00;ULT-F01;-80;\n" + "01/03/2026 10:00;NOPE;-80;\n");
  import.set_time_zone("Europe/Paris");
  v1::ImportReadingsCsvResponse imported;
  const auto before = Rows();
  LIMS_ASSERT_GRPC_OK(monitoring_->ImportReadingsCsv(Ctx().get(), import, &imported));
  ASSERT_EQ(imported.errors_size(), 2);
  EXPECT_EQ(imported.errors(0).line(), 27);
  EXPECT_NE(imported.errors(1).message().find("no storage unit has probe 'NOPE'"),
            std::string::npos);
  EXPECT_EQ(Rows(), before);  // a file with errors changes nothing
  import.set_csv(csv);
  LIMS_ASSERT_GRPC_OK(monitoring_->ImportReadingsCsv(Ctx().get(), import, &imported));
  ASSERT_EQ(imported.errors_size(), 0) << imported.errors(0).message();
  EXPECT_EQ(imported.rows_accepted(), 25);
  EXPECT_EQ(imported.readings_new(), 25);

  v1::ListExcursionsRequest list;
  v1::ListExcursionsResponse excursions;
  LIMS_ASSERT_GRPC_OK(monitoring_->ListExcursions(Ctx().get(), list, &excursions));
  ASSERT_EQ(excursions.excursions_size(), 1);
  const v1::Excursion e = excursions.excursions(0);
  EXPECT_EQ(e.unit_id(), freezer_id_);
  EXPECT_EQ(e.side(), "high");
  EXPECT_DOUBLE_EQ(e.peak_celsius(), -40.5);
  EXPECT_DOUBLE_EQ(e.minutes_beyond(), 120);  // readings 6..17 beyond, 18 back
  EXPECT_TRUE(e.has_end());
  EXPECT_FALSE(e.acknowledged());

  v1::GetExcursionRequest get;
  get.set_excursion_id(e.id());
  v1::GetExcursionResponse detail;
  LIMS_ASSERT_GRPC_OK(monitoring_->GetExcursion(Ctx().get(), get, &detail));
  ASSERT_EQ(detail.exposed_size(), 2) << detail.DebugString();  // A and B; not C, not D
  for (const v1::ExposedTube& tube : detail.exposed()) {
    EXPECT_TRUE(tube.barcode() == a.barcode() || tube.barcode() == b.barcode()) << tube.barcode();
    EXPECT_DOUBLE_EQ(tube.minutes_exposed(), 120);
    EXPECT_DOUBLE_EQ(tube.peak_celsius(), -40.5);
  }
  EXPECT_GE(detail.readings_size(), 25);

  // The exposure is part of the tube's record, wherever the tube is now.
  LIMS_ASSERT_GRPC_OK(samples_->ResolveBarcode(Ctx().get(), resolve, &resolved));
  ASSERT_EQ(resolved.sample().exposures_size(), 1);
  EXPECT_EQ(resolved.sample().exposures(0).excursion_id(), e.id());
  EXPECT_DOUBLE_EQ(resolved.sample().exposures(0).minutes_exposed(), 120);
  // ... and of its FHIR Specimen (a note), not of a tube that was not there.
  v1::ExportFhirResponse fhir;
  LIMS_ASSERT_GRPC_OK(registry_->ExportFhir(Ctx().get(), v1::ExportFhirRequest(), &fhir));
  const std::string note =
      absl::StrCat("temperature excursion ", e.id(), ": 120 min exposed, peak -40.5");
  const size_t a_at = fhir.bundle_json().find(a.barcode());
  const size_t c_at = fhir.bundle_json().find(c.barcode());
  ASSERT_NE(a_at, std::string::npos);
  ASSERT_NE(c_at, std::string::npos);
  int notes = 0;
  for (size_t at = fhir.bundle_json().find(note); at != std::string::npos;
       at = fhir.bundle_json().find(note, at + 1)) {
    ++notes;
  }
  EXPECT_EQ(notes, 2) << fhir.bundle_json();  // A's and B's; C and D were not there
  // A researcher's criteria can leave exposed tubes out: A, B and C are stored (one of the
  // three stays for the patient-timepoint); at most an hour of exposure leaves only C.
  ConsentToResearch();
  auto requests = v1::RequestService::NewStub(channel_);
  v1::PreviewRequestRequest preview;
  preview.mutable_criteria()->add_protocol_codes("CART-SLE");
  v1::PreviewRequestResponse matched;
  LIMS_ASSERT_GRPC_OK(requests->PreviewRequest(Ctx().get(), preview, &matched));
  EXPECT_EQ(matched.matching_samples(), 2);
  preview.mutable_criteria()->set_max_exposure_minutes(60);
  LIMS_ASSERT_GRPC_OK(requests->PreviewRequest(Ctx().get(), preview, &matched));
  EXPECT_EQ(matched.matching_samples(), 1);
  preview.mutable_criteria()->set_max_exposure_minutes(600);
  preview.mutable_criteria()->set_max_exposure_celsius(-50);  // A and B saw -40.5 °C
  LIMS_ASSERT_GRPC_OK(requests->PreviewRequest(Ctx().get(), preview, &matched));
  EXPECT_EQ(matched.matching_samples(), 1);
  // Asked for the box now in the backup freezer: not F-01's excursion.
  list.set_unit_id(box_id_);
  LIMS_ASSERT_GRPC_OK(monitoring_->ListExcursions(Ctx().get(), list, &excursions));
  EXPECT_EQ(excursions.excursions_size(), 0);

  // The same readings pushed again by a bridge count once.
  v1::PushReadingsRequest push;
  v1::TemperatureReading* again = push.add_readings();
  again->set_probe_id("ULT-F01");
  again->mutable_at()->set_seconds(absl::ToUnixSeconds(start));
  again->set_celsius(-80.5);
  v1::PushReadingsResponse pushed;
  LIMS_ASSERT_GRPC_OK(monitoring_->PushReadings(Ctx().get(), push, &pushed));
  EXPECT_EQ(pushed.accepted(), 0);
  EXPECT_EQ(pushed.duplicates(), 1);
  again->set_probe_id("NOPE");
  LIMS_EXPECT_GRPC(monitoring_->PushReadings(Ctx().get(), push, &pushed),
                   StatusCode::INVALID_ARGUMENT, "NOPE");

  // The investigation: a manager's, complete, once.
  const std::string technician = MakeUser("tech.mon", v1::ROLE_TECHNICIAN, "PSL");
  v1::AcknowledgeExcursionRequest ack;
  ack.set_excursion_id(e.id());
  ack.set_cause("compressor failure");
  ack.set_impact("tubes of rack R2 exposed 2 h above -70 °C");
  v1::AcknowledgeExcursionResponse acked;
  LIMS_EXPECT_GRPC(monitoring_->AcknowledgeExcursion(Ctx(technician).get(), ack, &acked),
                   StatusCode::PERMISSION_DENIED, "");
  LIMS_EXPECT_GRPC(monitoring_->AcknowledgeExcursion(Ctx().get(), ack, &acked),
                   StatusCode::INVALID_ARGUMENT, "corrective_action");
  ack.set_corrective_action("rack moved to F-BACKUP; compressor replaced");
  LIMS_ASSERT_GRPC_OK(monitoring_->AcknowledgeExcursion(Ctx().get(), ack, &acked));
  EXPECT_TRUE(acked.excursion().acknowledged());
  EXPECT_EQ(acked.excursion().acknowledgement().by(), "admin");
  LIMS_EXPECT_GRPC(monitoring_->AcknowledgeExcursion(Ctx().get(), ack, &acked),
                   StatusCode::FAILED_PRECONDITION, "acknowledged by admin");

  // Where A was, and who was in F-01 during the night.
  v1::GetLocationHistoryRequest where;
  where.set_barcode(a.barcode());
  v1::GetLocationHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(storage_->GetLocationHistory(Ctx().get(), where, &history));
  ASSERT_EQ(history.entries_size(), 1);
  EXPECT_EQ(history.entries(0).position(), "A1");
  EXPECT_FALSE(history.entries(0).has_to());
  where.clear_barcode();
  where.set_unit_id(freezer_id_);
  where.mutable_since()->set_seconds(now / 1'000'000 - 5 * 3600);
  where.mutable_until()->set_seconds(now / 1'000'000 - 3 * 3600);
  LIMS_ASSERT_GRPC_OK(storage_->GetLocationHistory(Ctx().get(), where, &history));
  EXPECT_EQ(history.entries_size(), 2);  // A and B (D left at -6 h, C came later)
  v1::GetSampleHistoryRequest tube_history;
  tube_history.set_barcode(a.barcode());
  v1::GetSampleHistoryResponse events;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), tube_history, &events));
  EXPECT_EQ(events.events(events.events_size() - 1).action(), "storage.moved_with_unit");
}

// A bridge sends big batches that overlap the last one: each reading counts once, also across
// the chunks the readings are written in.
TEST_P(MonitoringTest, OverlappingBatches_EachReadingCountsOnce) {
  Seed();
  SetClimate(freezer_id_, "ULT-F01");
  const int64_t start = absl::ToUnixSeconds(absl::Now()) / 3600 * 3600 - 20 * 3600;
  auto batch = [&](int from_minute, int count) {
    v1::PushReadingsRequest push;
    for (int m = from_minute; m < from_minute + count; ++m) {
      v1::TemperatureReading* r = push.add_readings();
      r->set_probe_id("ULT-F01");
      r->mutable_at()->set_seconds(start + 60 * m);
      r->set_celsius(-80 + (m % 7) * 0.1);
    }
    return push;
  };
  v1::PushReadingsResponse pushed;
  LIMS_ASSERT_GRPC_OK(monitoring_->PushReadings(Ctx().get(), batch(0, 600), &pushed));
  EXPECT_EQ(pushed.accepted(), 600);
  LIMS_ASSERT_GRPC_OK(monitoring_->PushReadings(Ctx().get(), batch(300, 600), &pushed));
  EXPECT_EQ(pushed.accepted(), 300);
  EXPECT_EQ(pushed.duplicates(), 300);
  v1::GetTemperaturesRequest get;
  get.set_unit_id(freezer_id_);
  get.mutable_since()->set_seconds(start);
  get.mutable_until()->set_seconds(start + 60 * 900);
  v1::GetTemperaturesResponse temperatures;
  LIMS_ASSERT_GRPC_OK(monitoring_->GetTemperatures(Ctx().get(), get, &temperatures));
  EXPECT_EQ(temperatures.readings_size(), 900);
  EXPECT_EQ(Rows()["temperature_readings"], 900);
  EXPECT_EQ(Rows()["temperature_hours"], 15) << "900 minutes from the top of an hour";
}

TEST_P(MonitoringTest, BadSettingsAndMoves_AreRefused_AndChangeNothing) {
  Seed();
  const v1::StorageUnit freezer = SetClimate(freezer_id_, "ULT-F01");
  const auto before = Rows();
  v1::UpdateStorageUnitRequest req;
  req.set_unit_id(freezer_id_);
  req.set_alarm_low_celsius(-60);
  req.set_alarm_high_celsius(-70);
  v1::UpdateStorageUnitResponse resp;
  LIMS_EXPECT_GRPC(storage_->UpdateStorageUnit(Ctx().get(), req, &resp),
                   StatusCode::INVALID_ARGUMENT, "below alarm_high_celsius");
  req.set_unit_id(box_id_);
  req.clear_alarm_low_celsius();
  LIMS_EXPECT_GRPC(storage_->UpdateStorageUnit(Ctx().get(), req, &resp),
                   StatusCode::INVALID_ARGUMENT, "holds no temperature");
  v1::CreateStorageUnitRequest other;
  other.set_parent_id(freezer_id_);
  other.set_kind(v1::STORAGE_KIND_RACK);
  other.set_name("R9");
  v1::CreateStorageUnitResponse rack;
  LIMS_ASSERT_GRPC_OK(storage_->CreateStorageUnit(Ctx().get(), other, &rack));
  const auto with_rack = Rows();
  v1::MoveStorageUnitRequest move;
  move.set_unit_id(freezer_id_);
  move.set_new_parent_id(rack.unit().id());
  move.set_reason("test");
  v1::MoveStorageUnitResponse moved;
  LIMS_EXPECT_GRPC(storage_->MoveStorageUnit(Ctx().get(), move, &moved),
                   StatusCode::FAILED_PRECONDITION, "cannot go into itself");
  move.set_unit_id(box_id_);
  move.clear_reason();
  LIMS_EXPECT_GRPC(storage_->MoveStorageUnit(Ctx().get(), move, &moved),
                   StatusCode::INVALID_ARGUMENT, "reason");
  EXPECT_EQ(Rows(), with_rack);
  EXPECT_EQ(before.at("storage_units") + 1, with_rack.at("storage_units"));
  // A probe names one unit.
  v1::CreateStorageUnitRequest twin;
  twin.set_parent_id(freezer.parent_id());
  twin.set_kind(v1::STORAGE_KIND_FREEZER);
  twin.set_name("F-TWIN");
  twin.set_probe_id("ULT-F01");
  LIMS_EXPECT_GRPC(storage_->CreateStorageUnit(Ctx().get(), twin, &rack),
                   StatusCode::ALREADY_EXISTS, "already belongs to");
  EXPECT_EQ(Rows(), with_rack);
}

TEST_P(MonitoringTest, Capacity_AtEveryLevel_AndFreePositionsTogetherWhenTheyFit) {
  Seed();
  const v1::Sample a = CollectSerum(), b = CollectSerum();
  LIMS_ASSERT_GRPC_OK(Place(a.barcode(), box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(b.barcode(), box_id_, "A3"));
  const std::string second = CreateBoxInFreezer("B-0043");
  v1::GetCapacityRequest capacity;
  capacity.set_unit_id(freezer_id_);
  v1::GetCapacityResponse report;
  LIMS_ASSERT_GRPC_OK(storage_->GetCapacity(Ctx().get(), capacity, &report));
  ASSERT_GE(report.rows_size(), 4);  // the freezer, its rack, two boxes
  EXPECT_EQ(report.rows(0).unit_id(), freezer_id_);
  EXPECT_EQ(report.rows(0).positions(), 162);
  EXPECT_EQ(report.rows(0).occupied(), 2);
  EXPECT_EQ(report.rows(0).depth(), 0);
  int boxes = 0;
  for (const v1::CapacityRow& row : report.rows()) {
    if (row.kind() != v1::STORAGE_KIND_BOX) continue;
    ++boxes;
    EXPECT_EQ(row.positions(), 81);
    EXPECT_EQ(row.occupied(), row.unit_id() == box_id_ ? 2 : 0) << row.path();
  }
  EXPECT_EQ(boxes, 2);

  v1::FindFreePositionsRequest find;
  find.set_site_code("PSL");
  find.set_rows(9);
  find.set_columns(9);
  find.set_count(3);
  v1::FindFreePositionsResponse free;
  LIMS_ASSERT_GRPC_OK(storage_->FindFreePositions(Ctx().get(), find, &free));
  EXPECT_TRUE(free.together());
  ASSERT_EQ(free.positions_size(), 3);
  EXPECT_EQ(free.positions(0).box_id(), box_id_);  // the fuller box first
  EXPECT_EQ(free.positions(0).position(), "A2");
  EXPECT_EQ(free.positions(1).position(), "A4");
  find.set_count(100);  // more than one box holds
  LIMS_ASSERT_GRPC_OK(storage_->FindFreePositions(Ctx().get(), find, &free));
  EXPECT_FALSE(free.together());
  EXPECT_EQ(free.positions_size(), 100);
  EXPECT_EQ(free.positions(99).box_id(), second);  // 79 in the first box, then the second
  find.set_count(0);
  LIMS_EXPECT_GRPC(storage_->FindFreePositions(Ctx().get(), find, &free),
                   StatusCode::INVALID_ARGUMENT, "count");
}

TEST_P(MonitoringTest, Evacuation_PlansEachRackIntoTheSameShelf_CriticalFirst_AndPutsBack) {
  Seed();
  const v1::StorageUnit freezer = SetClimate(freezer_id_, "ULT-F01");
  const v1::StorageUnit shelf = CreateUnit(freezer_id_, v1::STORAGE_KIND_SHELF, "S1");
  const v1::StorageUnit rack = CreateUnit(shelf.id(), v1::STORAGE_KIND_RACK, "R5");
  const v1::StorageUnit box = CreateUnit(rack.id(), v1::STORAGE_KIND_BOX, "B-5");
  const v1::StorageUnit backup = CreateUnit(freezer.parent_id(), v1::STORAGE_KIND_FREEZER, "F-BKP");
  const v1::StorageUnit backup_shelf = CreateUnit(backup.id(), v1::STORAGE_KIND_SHELF, "S1");
  const v1::Sample a = CollectSerum(), c = CollectSerum();
  LIMS_ASSERT_GRPC_OK(Place(a.barcode(), box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(c.barcode(), box.id(), "A1"));
  v1::RetrieveSampleRequest retrieve;  // c is now the patient's last stored M3 serum
  retrieve.set_barcode(a.barcode());
  retrieve.set_reason("assay");
  v1::RetrieveSampleResponse retrieved;
  LIMS_ASSERT_GRPC_OK(storage_->RetrieveSample(Ctx().get(), retrieve, &retrieved));

  v1::PlanEvacuationRequest plan_req;
  plan_req.set_from_unit_id(freezer_id_);
  plan_req.set_to_unit_id(backup.id());
  v1::PlanEvacuationResponse plan;
  LIMS_ASSERT_GRPC_OK(monitoring_->PlanEvacuation(Ctx().get(), plan_req, &plan));
  ASSERT_EQ(plan.moves_size(), 2) << plan.DebugString();  // R5 (on S1) and R2
  EXPECT_EQ(plan.moves(0).unit_id(), rack.id());          // the critical one first
  EXPECT_EQ(plan.moves(0).critical_tubes(), 1);
  EXPECT_EQ(plan.moves(0).to_parent_id(), backup_shelf.id());  // the same shelf
  EXPECT_EQ(plan.moves(1).unit_name(), "Rack R2");
  EXPECT_EQ(plan.moves(1).tubes(), 0);
  EXPECT_EQ(plan.moves(1).to_parent_id(), backup.id());
  EXPECT_FALSE(plan.moves(0).done());

  v1::MoveStorageUnitRequest move;
  move.set_unit_id(rack.id());
  move.set_new_parent_id(backup_shelf.id());
  move.set_reason(absl::StrCat("evacuation plan ", plan.plan_id()));
  v1::MoveStorageUnitResponse moved;
  LIMS_ASSERT_GRPC_OK(storage_->MoveStorageUnit(Ctx().get(), move, &moved));
  v1::GetEvacuationPlanRequest get;
  get.set_plan_id(plan.plan_id());
  v1::GetEvacuationPlanResponse progress;
  LIMS_ASSERT_GRPC_OK(monitoring_->GetEvacuationPlan(Ctx().get(), get, &progress));
  EXPECT_EQ(progress.moves_done(), 1);
  EXPECT_TRUE(progress.moves(0).done());

  v1::PlanEvacuationRequest back_req;
  back_req.set_put_back_plan_id(plan.plan_id());
  v1::PlanEvacuationResponse back;
  LIMS_ASSERT_GRPC_OK(monitoring_->PlanEvacuation(Ctx().get(), back_req, &back));
  ASSERT_EQ(back.moves_size(), 1);  // only what was moved comes back
  EXPECT_EQ(back.moves(0).unit_id(), rack.id());
  EXPECT_EQ(back.moves(0).to_parent_id(), shelf.id());

  plan_req.set_to_unit_id(box.id());
  LIMS_EXPECT_GRPC(monitoring_->PlanEvacuation(Ctx().get(), plan_req, &plan),
                   StatusCode::INVALID_ARGUMENT, "freezer");
}

// The night itself: the racks of a patient who withdrew consent go last, each rack is moved by
// scanning its label as it goes into the backup freezer, a wrong or repeated scan moves
// nothing, and the printed pick list says what is left.
TEST_P(MonitoringTest, Evacuation_ScannedIntoPlace_WithdrawnConsentLast_PickListPrinted) {
  Seed();
  const v1::StorageUnit freezer = SetClimate(freezer_id_, "ULT-F01");
  const v1::StorageUnit backup = CreateUnit(freezer.parent_id(), v1::STORAGE_KIND_FREEZER, "F-BKP");
  // Rack R2 (Seed's) holds the seed patient's two tubes; rack R7 a second patient's one tube.
  const v1::Sample w1 = CollectSerum(), w2 = CollectSerum();
  LIMS_ASSERT_GRPC_OK(Place(w1.barcode(), box_id_, "A1"));
  LIMS_ASSERT_GRPC_OK(Place(w2.barcode(), box_id_, "A2"));
  ConsentToResearch();
  WithdrawResearchConsent();
  enrollment_id_ = EnrollAnotherPatient("MATHEC-0043").second;
  const v1::Sample n1 = CollectSerum(), n2 = CollectSerum();
  const v1::StorageUnit rack7 = CreateUnit(freezer_id_, v1::STORAGE_KIND_RACK, "R7");
  const v1::StorageUnit box7 = CreateUnit(rack7.id(), v1::STORAGE_KIND_BOX, "B-7");
  LIMS_ASSERT_GRPC_OK(Place(n1.barcode(), box7.id(), "A1"));
  LIMS_ASSERT_GRPC_OK(Place(n2.barcode(), box7.id(), "A2"));

  v1::PlanEvacuationRequest plan_req;
  plan_req.set_from_unit_id(freezer_id_);
  plan_req.set_to_unit_id(backup.id());
  v1::PlanEvacuationResponse plan;
  LIMS_ASSERT_GRPC_OK(monitoring_->PlanEvacuation(Ctx().get(), plan_req, &plan));
  ASSERT_EQ(plan.moves_size(), 2) << plan.DebugString();
  EXPECT_EQ(plan.moves(0).unit_id(), rack7.id()) << "the consenting patient's rack first";
  EXPECT_EQ(plan.moves(0).withdrawn_tubes(), 0);
  EXPECT_EQ(plan.moves(1).unit_name(), "Rack R2");
  EXPECT_EQ(plan.moves(1).withdrawn_tubes(), 2);
  EXPECT_EQ(plan.moves(1).tubes(), 2);
  EXPECT_EQ(plan.moves(0).label_code(), "BOX-" + rack7.id());

  v1::RecordEvacuationMoveRequest scan;
  scan.set_plan_id(plan.plan_id());
  v1::RecordEvacuationMoveResponse recorded;
  const auto before = Rows();
  scan.set_scanned_code("PSL26-000001");
  LIMS_EXPECT_GRPC(monitoring_->RecordEvacuationMove(Ctx().get(), scan, &recorded),
                   StatusCode::INVALID_ARGUMENT, "BOX-<number>");
  scan.set_scanned_code("BOX-" + box7.id());  // a box inside a planned rack, not in the plan
  LIMS_EXPECT_GRPC(monitoring_->RecordEvacuationMove(Ctx().get(), scan, &recorded),
                   StatusCode::NOT_FOUND, "is not in evacuation plan");
  EXPECT_EQ(Rows(), before) << "a refused scan changes nothing";

  scan.set_scanned_code(" box-" + rack7.id() + "\n");
  LIMS_ASSERT_GRPC_OK(monitoring_->RecordEvacuationMove(Ctx().get(), scan, &recorded));
  EXPECT_TRUE(recorded.move().done());
  EXPECT_EQ(recorded.moves_done(), 1);
  EXPECT_EQ(recorded.moves_total(), 2);
  EXPECT_EQ(recorded.move().from_path(), "Site PSL / Room 1 / Freezer F-BKP / Rack R7");
  LIMS_EXPECT_GRPC(monitoring_->RecordEvacuationMove(Ctx().get(), scan, &recorded),
                   StatusCode::FAILED_PRECONDITION, "moved already");
  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(n1.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  EXPECT_EQ(history.events(history.events_size() - 1).action(), "storage.moved_with_unit");
  EXPECT_NE(history.events(history.events_size() - 1).reason().find("scanned into place"),
            std::string::npos);

  // A technician on call may carry out the plan, not make one; a researcher neither.
  const std::string tech = MakeUser("tech-night", v1::ROLE_TECHNICIAN, "PSL");
  scan.set_scanned_code("BOX-" + plan.moves(1).unit_id());
  LIMS_ASSERT_GRPC_OK(monitoring_->RecordEvacuationMove(Ctx(tech).get(), scan, &recorded));
  EXPECT_EQ(recorded.moves_done(), 2);
  LIMS_EXPECT_GRPC(monitoring_->PlanEvacuation(Ctx(tech).get(), plan_req, &plan),
                   StatusCode::PERMISSION_DENIED, "");
  const std::string researcher = MakeUser("res-1", v1::ROLE_RESEARCHER, "PSL");
  LIMS_EXPECT_GRPC(monitoring_->RecordEvacuationMove(Ctx(researcher).get(), scan, &recorded),
                   StatusCode::PERMISSION_DENIED, "");

  v1::GetEvacuationPlanRequest get;
  get.set_plan_id(plan.plan_id());
  get.set_pick_list_pdf(true);
  v1::GetEvacuationPlanResponse progress;
  LIMS_ASSERT_GRPC_OK(monitoring_->GetEvacuationPlan(Ctx().get(), get, &progress));
  EXPECT_EQ(progress.moves_done(), 2);
  EXPECT_EQ(progress.pick_list_pdf().rfind("%PDF-", 0), 0u);
  get.set_pick_list_pdf(false);
  LIMS_ASSERT_GRPC_OK(monitoring_->GetEvacuationPlan(Ctx().get(), get, &progress));
  EXPECT_TRUE(progress.pick_list_pdf().empty());
}

INSTANTIATE_TEST_SUITE_P(Sqlite, MonitoringTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, MonitoringTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
