// RequestService over real gRPC on SQLite and MariaDB: consent gating (withdrawn, partial,
// none), the retention rule, the workflow and its roles, request-scoped codes that reveal
// nothing, the pick list's order and picking by scanning, and two approvals racing for the
// same tubes, many times.
#include <set>
#include <thread>

#include "grpc_status_matchers.h"
#include "lims/v1/audit.grpc.pb.h"
#include "request_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

TEST_P(RequestTest, Preview_ConsentGatesEveryTubeOfAPatient) {
  Patient("P-FULL", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH, v1::CONSENT_SCOPE_GENETIC});
  Patient("P-STORAGE-ONLY", 3, {v1::CONSENT_SCOPE_STORAGE}, "", 10);
  Patient("P-NONE", 3, {}, "", 20);
  const std::string withdrawn = Patient("P-WITHDRAWN", 3,
                                        {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 30);
  v1::WithdrawConsentRequest w;
  w.set_patient_id(withdrawn);
  w.set_withdrawn_on("2026-02-01");
  w.set_reason("patient's wish");
  v1::WithdrawConsentResponse wr;
  LIMS_ASSERT_GRPC_OK(registry_->WithdrawConsent(Ctx().get(), w, &wr));

  v1::PreviewRequestResponse p = Preview(Criteria());
  EXPECT_EQ(p.matching_patients(), 1);
  EXPECT_EQ(p.matching_samples(), 2);  // the third stays: retention
  ASSERT_EQ(p.by_timepoint_size(), 1);
  EXPECT_EQ(p.by_timepoint(0).timepoint_code(), "M3");
  v1::Criteria genetic = Criteria();
  genetic.add_required_consent_scopes(v1::CONSENT_SCOPE_COMMERCIAL);
  EXPECT_EQ(Preview(genetic).matching_samples(), 0);
}

TEST_P(RequestTest, Preview_RetentionRuleLimitAndMinimumQuantity) {
  Patient("P-A", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("P-B", 1, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 10);
  v1::Criteria c = Criteria();
  EXPECT_EQ(Preview(c).matching_samples(), 2);  // P-B's only tube and one of P-A's stay
  c.set_allow_last_tube(true);
  EXPECT_EQ(Preview(c).matching_samples(), 4);
  c.set_max_per_patient_timepoint(1);
  EXPECT_EQ(Preview(c).matching_samples(), 2);
  c.mutable_min_quantity()->set_value(600);
  c.mutable_min_quantity()->set_unit("uL");
  EXPECT_EQ(Preview(c).matching_samples(), 0);
  v1::PreviewRequestRequest bad;
  v1::PreviewRequestResponse resp;
  LIMS_EXPECT_GRPC(requests_->PreviewRequest(Ctx(researcher_).get(), bad, &resp),
                   StatusCode::INVALID_ARGUMENT, "protocol_codes");
}

TEST_P(RequestTest, Criteria_NamingWhatDoesNotExistAreRefused_PreviewCountsWhatApprovalGets) {
  Patient("P-A", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("P-B", 2, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 10);
  v1::PreviewRequestResponse resp;
  auto preview = [&](const v1::Criteria& c) {
    v1::PreviewRequestRequest req;
    *req.mutable_criteria() = c;
    return requests_->PreviewRequest(Ctx(researcher_).get(), req, &resp);
  };
  v1::Criteria typo = Criteria();
  typo.set_protocol_codes(0, "CART-SEL");
  LIMS_EXPECT_GRPC(preview(typo), StatusCode::INVALID_ARGUMENT, "no protocol 'CART-SEL'");
  typo = Criteria();
  typo.add_timepoint_codes("M33");
  LIMS_EXPECT_GRPC(preview(typo), StatusCode::INVALID_ARGUMENT, "timepoint 'M33'");
  typo = Criteria();
  typo.add_site_codes("NOPE");
  LIMS_EXPECT_GRPC(preview(typo), StatusCode::INVALID_ARGUMENT, "no site 'NOPE'");
  const auto before = Rows();
  v1::SubmitRequestRequest submit;
  submit.set_title("typo");
  submit.set_ethics_reference("CPP-2026-118");
  *submit.mutable_criteria() = typo;
  v1::SubmitRequestResponse submitted;
  LIMS_EXPECT_GRPC(requests_->SubmitRequest(Ctx(researcher_).get(), submit, &submitted),
                   StatusCode::INVALID_ARGUMENT, "no site 'NOPE'");
  EXPECT_EQ(Rows(), before);

  // The site of the tubes named; what the preview counts is what the approval reserves.
  v1::Criteria c = Criteria();
  c.add_site_codes("PSL");
  c.set_max_per_patient_timepoint(2);
  const v1::PreviewRequestResponse p = Preview(c);
  EXPECT_EQ(p.matching_samples(), 3);  // P-A: 2 of 3 (limit), P-B: 1 of 2 (retention)
  EXPECT_EQ(p.matching_patients(), 2);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(Submit(c), &approved));
  EXPECT_EQ(approved.sample_request().reserved_count(), p.matching_samples());
  EXPECT_EQ(Preview(c).matching_samples(), 0);  // P-A's last tube and P-B's last tube stay
}

TEST_P(RequestTest, Workflow_ApprovalReservesUnderCodesThatRevealNothing) {
  Patient("MATHEC-0101", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("MATHEC-0102", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 10);
  const std::string id = Submit(Criteria());
  v1::ApproveRequestResponse approved;
  const auto before = Rows();
  LIMS_EXPECT_GRPC(Approve(id, &approved, researcher_), StatusCode::PERMISSION_DENIED, "ApproveRequest");
  LIMS_EXPECT_GRPC(Approve(id, &approved, manager_, ""), StatusCode::INVALID_ARGUMENT, "reason");
  EXPECT_EQ(Rows(), before);
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved));
  EXPECT_EQ(approved.sample_request().status(), v1::SAMPLE_REQUEST_STATUS_APPROVED);
  EXPECT_EQ(approved.sample_request().reserved_count(), 4);
  LIMS_EXPECT_GRPC(Approve(id, &approved), StatusCode::FAILED_PRECONDITION, "decided already");

  const v1::GetSampleRequestResponse seen = Get(id, researcher_);
  const std::string code = seen.sample_request().code();
  ASSERT_EQ(seen.samples_size(), 4);
  std::set<std::string> tube_codes, patient_codes;
  for (const auto& s : seen.samples()) {
    EXPECT_EQ(s.request_code().rfind(code + "-S", 0), 0u) << s.request_code();
    EXPECT_EQ(s.patient_code().rfind(code + "-P", 0), 0u) << s.patient_code();
    tube_codes.insert(s.request_code());
    patient_codes.insert(s.patient_code());
  }
  EXPECT_EQ(tube_codes.size(), 4u);
  EXPECT_EQ(patient_codes.size(), 2u);
  // Nothing in what the researcher gets names a tube or a patient.
  const std::string everything = seen.DebugString();
  for (const auto& [patient, tubes] : barcodes_) {
    EXPECT_EQ(everything.find(patient), std::string::npos) << patient;
    for (const auto& b : tubes) EXPECT_EQ(everything.find(b), std::string::npos) << b;
  }
  // Another researcher does not even learn the request exists.
  const std::string other = MakeUser("other.researcher", v1::ROLE_RESEARCHER, "PSL");
  v1::GetSampleRequestRequest get;
  get.set_sample_request_id(id);
  v1::GetSampleRequestResponse hidden;
  LIMS_EXPECT_GRPC(requests_->GetSampleRequest(Ctx(other).get(), get, &hidden),
                   StatusCode::NOT_FOUND, "does not exist");

  // A second request finds the same patients under other codes, and none of the same tubes.
  Patient("MATHEC-0103", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 20);
  v1::Criteria all = Criteria();
  all.set_allow_last_tube(true);
  const std::string second = Submit(all, "second");
  LIMS_ASSERT_GRPC_OK(Approve(second, &approved));
  const v1::GetSampleRequestResponse seen2 = Get(second, researcher_);
  EXPECT_EQ(seen2.samples_size(), 5);  // 2 left by the first + 3 new
  for (const auto& s : seen2.samples()) {
    EXPECT_EQ(tube_codes.count(s.request_code()), 0u);
    EXPECT_EQ(patient_codes.count(s.patient_code()), 0u);
  }
  // Rejecting needs a reason too.
  const std::string third = Submit(Criteria(), "third");
  v1::RejectRequestRequest reject;
  reject.set_sample_request_id(third);
  reject.set_reason("no ethics approval on file");
  v1::RejectRequestResponse rejected;
  LIMS_ASSERT_GRPC_OK(requests_->RejectRequest(Ctx(manager_).get(), reject, &rejected));
  EXPECT_EQ(rejected.sample_request().status(), v1::SAMPLE_REQUEST_STATUS_REJECTED);
}

TEST_P(RequestTest, PickList_BoxByBoxInPositionOrder_WrongTubeRefusedNamingTheExpectedOne) {
  const std::string second_box = CreateBoxInFreezer("B-0043");
  Patient("MATHEC-0201", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, second_box, 40);
  Patient("MATHEC-0202", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 50);
  Patient("MATHEC-0203", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, second_box, 10);
  v1::Criteria c = Criteria();
  c.set_allow_last_tube(true);
  const std::string id = Submit(c);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved));

  v1::GetPickListRequest req;
  req.set_sample_request_id(id);
  v1::GetPickListResponse list;
  LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), req, &list));
  ASSERT_EQ(list.items_size(), 9);
  EXPECT_EQ(list.boxes(), 2);
  // Box by box in path order (B-0043 stands in the freezer itself, B-0042 in its rack), each
  // box in position order.
  const std::vector<std::pair<const char*, const char*>> expected = {
      {"B-0043", "B1"}, {"B-0043", "B2"}, {"B-0043", "B3"}, {"B-0043", "E4"}, {"B-0043", "E5"},
      {"B-0043", "E6"}, {"B-0042", "F5"}, {"B-0042", "F6"}, {"B-0042", "F7"}};
  for (int i = 0; i < list.items_size(); ++i) {
    EXPECT_NE(list.items(i).location().path().find(expected[i].first), std::string::npos) << i;
    EXPECT_EQ(list.items(i).location().position(), expected[i].second) << i;
    EXPECT_EQ(list.items(i).request_code().rfind(approved.sample_request().code() + "-S", 0), 0u);
  }

  v1::PickTubeRequest pick;
  pick.set_sample_request_id(id);
  pick.set_barcode(CollectSerum().barcode());
  v1::PickTubeResponse picked;
  LIMS_EXPECT_GRPC(requests_->PickTube(Ctx(technician_).get(), pick, &picked),
                   StatusCode::FAILED_PRECONDITION, "next on the list: " + list.items(0).barcode());
  for (int i = 0; i < list.items_size(); ++i) {
    pick.set_barcode(list.items(i).barcode());
    LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx(technician_).get(), pick, &picked));
    EXPECT_EQ(picked.remaining(), list.items_size() - 1 - i);
  }
  LIMS_EXPECT_GRPC(requests_->PickTube(Ctx(technician_).get(), pick, &picked),
                   StatusCode::FAILED_PRECONDITION, "PICKED");
  v1::GetSampleRequest get;
  get.set_barcode(list.items(0).barcode());
  v1::GetSampleResponse sample;
  LIMS_ASSERT_GRPC_OK(samples_->GetSample(Ctx().get(), get, &sample));
  EXPECT_EQ(sample.sample().status(), v1::SAMPLE_STATUS_CHECKED_OUT);
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_PICKED);
}

// Two managers approve two requests for the same tubes at the same moment, many times: no tube
// is ever reserved for both; the later one gets the others, or fewer.
TEST_P(RequestTest, Approval_TwoRacingForTheSameTubes_NeverReserveATubeTwice) {
  const std::string second_manager = MakeUser("manager2", v1::ROLE_MANAGER, "PSL");
  int reserved_total = 0;
  for (int round = 0; round < 8; ++round) {
    SCOPED_TRACE(round);
    Patient("RACE-" + std::to_string(round), 4,
            {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 1 + round * 4);
    v1::Criteria c = Criteria();
    c.set_max_per_patient_timepoint(2);
    const std::string a = Submit(c, "race a"), b = Submit(c, "race b");
    grpc::Status sa, sb;
    v1::ApproveRequestResponse ra, rb;
    std::thread ta([&] { sa = Approve(a, &ra, manager_); });
    std::thread tb([&] { sb = Approve(b, &rb, second_manager); });
    ta.join();
    tb.join();
    for (const grpc::Status& s : {sa, sb}) {
      if (!s.ok()) {
        EXPECT_EQ(s.error_code(), StatusCode::FAILED_PRECONDITION) << s.error_message();
      }
    }
    ASSERT_TRUE(sa.ok() || sb.ok()) << sa.error_message() << " / " << sb.error_message();
    std::set<std::string> union_codes;
    int both = 0;
    for (const std::string& id : {a, b}) {
      v1::GetPickListRequest req;
      req.set_sample_request_id(id);
      v1::GetPickListResponse list;
      LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), req, &list));
      for (const auto& item : list.items()) {
        ++both;
        EXPECT_TRUE(union_codes.insert(item.barcode()).second) << item.barcode() << " reserved twice";
      }
    }
    // Three of the new patient's four tubes may go (retention), two per request at most.
    EXPECT_EQ(both, 3);
    reserved_total += both;
  }
  EXPECT_EQ(reserved_total, 24);
}

// A withdrawal takes effect at once: the patient's tubes leave the requests that need the
// withdrawn scope (the researcher sees their codes as withdrawn), cannot be picked, and a tube
// picked just before does not leave with the request.
TEST_P(RequestTest, Withdrawal_TakesThePatientsTubesOffRequestsAtOnce) {
  const std::string a = Patient("WD-A", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH});
  Patient("WD-B", 3, {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH}, "", 10);
  const std::string c = Patient("WD-C", 1,
                                {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH,
                                 v1::CONSENT_SCOPE_GENETIC},
                                "", 20);
  v1::Criteria criteria = Criteria();
  criteria.set_allow_last_tube(true);
  const std::string id = Submit(criteria);
  v1::ApproveRequestResponse approved;
  LIMS_ASSERT_GRPC_OK(Approve(id, &approved));
  ASSERT_EQ(approved.sample_request().reserved_count(), 7);
  const std::string code = approved.sample_request().code();
  v1::PickTubeRequest pick;
  pick.set_sample_request_id(id);
  pick.set_barcode(barcodes_["WD-A"][0]);
  v1::PickTubeResponse picked;
  LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx(technician_).get(), pick, &picked));

  auto withdraw = [&](const std::string& patient, v1::ConsentScope scope) {
    v1::WithdrawConsentRequest w;
    w.set_patient_id(patient);
    w.add_scopes(scope);
    w.set_withdrawn_on("2026-12-01");
    w.set_reason("patient's wish");
    v1::WithdrawConsentResponse wr;
    EXPECT_TRUE(registry_->WithdrawConsent(Ctx().get(), w, &wr).ok());
    return wr.tubes_taken_off_requests();
  };
  EXPECT_EQ(withdraw(c, v1::CONSENT_SCOPE_GENETIC), 0);  // not needed by the request
  EXPECT_EQ(withdraw(a, v1::CONSENT_SCOPE_RESEARCH), 2);  // the picked one is out already

  const v1::GetSampleRequestResponse seen = Get(id, researcher_);
  EXPECT_EQ(seen.sample_request().reserved_count(), 5);
  int withdrawn = 0;
  for (const auto& s : seen.samples()) withdrawn += s.withdrawn() ? 1 : 0;
  EXPECT_EQ(withdrawn, 2);
  v1::GetPickListRequest list_req;
  list_req.set_sample_request_id(id);
  v1::GetPickListResponse list;
  LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), list_req, &list));
  EXPECT_EQ(list.items_size(), 5);  // the tube picked before the withdrawal stays on it
  for (const auto& item : list.items()) {
    EXPECT_NE(item.barcode(), barcodes_["WD-A"][1]);
    EXPECT_NE(item.barcode(), barcodes_["WD-A"][2]);
  }
  pick.set_barcode(barcodes_["WD-A"][1]);
  LIMS_EXPECT_GRPC(requests_->PickTube(Ctx(technician_).get(), pick, &picked),
                   StatusCode::FAILED_PRECONDITION, "its patient withdrew consent");

  // The audit trail says which codes left the request, and nothing that identifies anyone.
  v1::ListAuditEventsRequest audit;
  audit.set_page_size(500);
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(v1::AuditService::NewStub(channel_)->ListAuditEvents(Ctx().get(), audit, &events));
  int found = 0;
  for (const auto& e : events.events()) {
    if (e.action() != "request.consent_withdrawn") continue;
    ++found;
    EXPECT_EQ(e.entity_key(), code);
    EXPECT_NE(e.details().find("withdrew consent to research"), std::string::npos) << e.details();
    EXPECT_EQ(e.details().find("WD-A"), std::string::npos);
    EXPECT_EQ(e.details().find(barcodes_["WD-A"][1]), std::string::npos);
  }
  EXPECT_EQ(found, 1);

  // Everything else picked: the request is picked, but the tube picked before the withdrawal
  // does not leave with it.
  for (const auto& item : list.items()) {
    if (item.picked()) continue;
    pick.set_barcode(item.barcode());
    LIMS_ASSERT_GRPC_OK(requests_->PickTube(Ctx(technician_).get(), pick, &picked));
  }
  EXPECT_EQ(Get(id, researcher_).sample_request().status(), v1::SAMPLE_REQUEST_STATUS_PICKED);
  v1::ShipRequestRequest ship;
  ship.set_sample_request_id(id);
  ship.set_destination("Immunology lab");
  ship.set_packaging(v1::PACKAGING_DRY_ICE);
  v1::ShipRequestResponse shipped;
  LIMS_EXPECT_GRPC(requests_->ShipRequest(Ctx(manager_).get(), ship, &shipped),
                   StatusCode::FAILED_PRECONDITION,
                   barcodes_["WD-A"][0] + ": the patient withdrew consent the request needs");
}

// An approval and a withdrawal at the same moment: either the approval comes first and the
// withdrawal takes the tubes off again, or the approval sees the withdrawal. Never a tube of a
// withdrawn patient left on a request.
TEST_P(RequestTest, Withdrawal_RacingAnApproval_NeverLeavesATubeReserved) {
  for (int round = 0; round < 6; ++round) {
    SCOPED_TRACE(round);
    const std::string registry_id = "WDRACE-" + std::to_string(round);
    const std::string patient = Patient(registry_id, 3,
                                        {v1::CONSENT_SCOPE_STORAGE, v1::CONSENT_SCOPE_RESEARCH},
                                        "", 1 + round * 3);
    v1::Criteria c = Criteria();
    c.set_allow_last_tube(true);
    const std::string id = Submit(c, "race " + std::to_string(round));
    grpc::Status approved_status, withdrawn_status;
    v1::ApproveRequestResponse approved;
    v1::WithdrawConsentResponse withdrawn;
    std::thread approve([&] { approved_status = Approve(id, &approved); });
    std::thread withdraw([&] {
      v1::WithdrawConsentRequest w;
      w.set_patient_id(patient);
      w.set_withdrawn_on("2026-12-01");
      w.set_reason("patient's wish");
      withdrawn_status = registry_->WithdrawConsent(Ctx().get(), w, &withdrawn);
    });
    approve.join();
    withdraw.join();
    LIMS_ASSERT_GRPC_OK(withdrawn_status);
    if (!approved_status.ok()) {
      EXPECT_EQ(approved_status.error_code(), StatusCode::FAILED_PRECONDITION)
          << approved_status.error_message();
      continue;
    }
    v1::GetPickListRequest req;
    req.set_sample_request_id(id);
    v1::GetPickListResponse list;
    LIMS_ASSERT_GRPC_OK(requests_->GetPickList(Ctx(technician_).get(), req, &list));
    EXPECT_EQ(list.items_size(), 0) << "a withdrawn patient's tube stayed reserved";
    EXPECT_EQ(withdrawn.tubes_taken_off_requests(), 3);
  }
}

INSTANTIATE_TEST_SUITE_P(Sqlite, RequestTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, RequestTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
