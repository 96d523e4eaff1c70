// AuditService over real gRPC: listing with filters and pages, site scoping, the chain verified
// after a workflow and found broken after a row is edited in the database, the streamed export.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "grpc_status_matchers.h"
#include "lims/v1/audit.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"
#include "raw_sql.h"
#include "service_fixture.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class AuditTest : public ServiceTest {
 protected:
  void SetUp() override {
    ServiceTest::SetUp();
    if (channel_) audit_ = v1::AuditService::NewStub(channel_);
  }

  std::string MakeUser(const std::string& name, v1::Role role) {
    auto users = v1::UserService::NewStub(channel_);
    v1::CreateUserRequest req;
    req.set_username(name);
    req.set_role(role);
    req.add_site_codes("PSL");
    v1::CreateUserResponse resp;
    grpc::Status s = users->CreateUser(Ctx().get(), req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.token();
  }

  // Seed, collect a tube and aliquot it into three: a tube with a short history.
  v1::Sample Workflow() {
    Seed();
    const v1::Sample tube = CollectSerum();
    Derive(tube.barcode(), 3, 0.5);
    return tube;
  }

  grpc::Status List(const v1::ListAuditEventsRequest& req, v1::ListAuditEventsResponse* resp,
                    const std::string& token = "") {
    return audit_->ListAuditEvents(Ctx(token).get(), req, resp);
  }

  v1::VerifyAuditChainResponse Verify() {
    v1::VerifyAuditChainResponse resp;
    grpc::Status s = audit_->VerifyAuditChain(Ctx().get(), v1::VerifyAuditChainRequest(), &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp;
  }

  // Every chunk of an export, and the final status.
  grpc::Status Export(const v1::ExportAuditCsvRequest& req, std::vector<std::string>* chunks,
                      const std::string& token = "") {
    auto ctx = Ctx(token);
    auto reader = audit_->ExportAuditCsv(ctx.get(), req);
    v1::ExportAuditCsvResponse piece;
    while (reader->Read(&piece)) chunks->push_back(piece.chunk());
    return reader->Finish();
  }

  std::unique_ptr<v1::AuditService::Stub> audit_;
};

TEST_P(AuditTest, ListAuditEvents_ByBarcode_MatchesTheTubesHistoryAcrossPages) {
  const v1::Sample tube = Workflow();
  v1::GetSampleHistoryRequest history_req;
  history_req.set_barcode(tube.barcode());
  v1::GetSampleHistoryResponse history;
  LIMS_ASSERT_GRPC_OK(samples_->GetSampleHistory(Ctx().get(), history_req, &history));
  ASSERT_GE(history.events_size(), 2);

  // One event per page, following next_page_token; the barcode as a scanner sends it.
  v1::ListAuditEventsRequest req;
  req.set_entity_barcode(tube.barcode() + "\r\n");
  req.set_page_size(1);
  std::vector<v1::AuditEvent> events;
  for (int pages = 0; pages < 20; ++pages) {
    v1::ListAuditEventsResponse resp;
    LIMS_ASSERT_GRPC_OK(List(req, &resp));
    for (const auto& e : resp.events()) events.push_back(e);
    if (resp.next_page_token().empty()) break;
    req.set_page_token(resp.next_page_token());
  }
  ASSERT_EQ(static_cast<int>(events.size()), history.events_size());
  for (size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].action(), history.events(i).action());
    EXPECT_EQ(events[i].entity_type(), "sample");
    EXPECT_EQ(events[i].entity_key(), tube.barcode());
    EXPECT_EQ(events[i].actor(), "admin");
    EXPECT_EQ(events[i].hash().size(), 64u);
    EXPECT_FALSE(events[i].id().empty());
  }
  EXPECT_EQ(events[0].action(), "sample.collected");
}

TEST_P(AuditTest, ListAuditEvents_FiltersByActorAndTime) {
  const v1::Sample tube = Workflow();
  const std::string manager = MakeUser("mgr.psl", v1::ROLE_MANAGER);
  LIMS_ASSERT_GRPC_OK(Place(tube.barcode(), box_id_, "A1"));  // by the admin
  v1::MoveSampleRequest move;
  move.set_barcode(tube.barcode());
  move.set_box_id(box_id_);
  move.set_position("B2");
  move.set_reason("re-sort");
  v1::MoveSampleResponse moved;
  LIMS_ASSERT_GRPC_OK(storage_->MoveSample(Ctx(manager).get(), move, &moved));

  v1::ListAuditEventsRequest req;
  req.set_actor("mgr.psl");
  v1::ListAuditEventsResponse resp;
  LIMS_ASSERT_GRPC_OK(List(req, &resp));
  ASSERT_EQ(resp.events_size(), 1);
  EXPECT_EQ(resp.events(0).action(), "storage.moved");
  EXPECT_EQ(resp.events(0).reason(), "re-sort");
  EXPECT_TRUE(resp.next_page_token().empty());

  // Everything so far happened before `later`; nothing after it.
  const absl::Time later = absl::Now() + absl::Hours(1);
  v1::ListAuditEventsRequest window;
  window.mutable_until()->set_seconds(absl::ToUnixSeconds(later));
  v1::ListAuditEventsResponse all;
  LIMS_ASSERT_GRPC_OK(List(window, &all));
  EXPECT_EQ(all.events_size(), Rows()["audit_events"]);
  window.clear_until();
  window.mutable_since()->set_seconds(absl::ToUnixSeconds(later));
  v1::ListAuditEventsResponse none;
  LIMS_ASSERT_GRPC_OK(List(window, &none));
  EXPECT_EQ(none.events_size(), 0);

  window.mutable_until()->set_seconds(absl::ToUnixSeconds(later) - 60);
  LIMS_EXPECT_GRPC(List(window, &none), StatusCode::INVALID_ARGUMENT, "since must be before");
  v1::ListAuditEventsRequest bad_token;
  bad_token.set_page_token("'; DROP TABLE audit_events; --");
  LIMS_EXPECT_GRPC(List(bad_token, &none), StatusCode::INVALID_ARGUMENT, "page_token");
  v1::ListAuditEventsRequest unknown;
  unknown.set_entity_barcode("9999999999");
  LIMS_EXPECT_GRPC(List(unknown, &none), StatusCode::NOT_FOUND, "");
}

// Events carry no site: a manager reads the trail of the tubes of their sites, one tube at a
// time; the whole trail and its export are for administrators.
TEST_P(AuditTest, Managers_SeeTheirSitesTubesOnly) {
  const v1::Sample tube = Workflow();
  const std::string manager = MakeUser("mgr.psl", v1::ROLE_MANAGER);
  const std::string technician = MakeUser("tech.psl", v1::ROLE_TECHNICIAN);
  v1::ListAuditEventsRequest one_tube;
  one_tube.set_entity_barcode(tube.barcode());
  v1::ListAuditEventsResponse resp;
  LIMS_ASSERT_GRPC_OK(List(one_tube, &resp, manager));
  EXPECT_GT(resp.events_size(), 0);
  LIMS_EXPECT_GRPC(List(v1::ListAuditEventsRequest(), &resp, manager),
                   StatusCode::PERMISSION_DENIED, "entity_barcode");
  LIMS_EXPECT_GRPC(List(one_tube, &resp, technician), StatusCode::PERMISSION_DENIED, "");
  std::vector<std::string> chunks;
  LIMS_EXPECT_GRPC(Export(v1::ExportAuditCsvRequest(), &chunks, manager),
                   StatusCode::PERMISSION_DENIED, "entity_barcode");
  EXPECT_TRUE(chunks.empty());
  // A manager exports one tube's events: the same rows as the list, nothing of other entities.
  v1::ExportAuditCsvRequest tube_export;
  tube_export.set_entity_barcode(tube.barcode());
  LIMS_ASSERT_GRPC_OK(Export(tube_export, &chunks, manager));
  const std::string csv = absl::StrJoin(chunks, "");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), resp.events_size() + 1) << csv;
  EXPECT_EQ(csv.find("storage_unit"), std::string::npos) << csv;
  LIMS_EXPECT_GRPC(Export(tube_export, &chunks, technician), StatusCode::PERMISSION_DENIED, "");
  // The action filter keeps only that action's events.
  v1::ListAuditEventsRequest collected = one_tube;
  collected.set_action("sample.collected");
  v1::ListAuditEventsResponse only_collected;
  LIMS_ASSERT_GRPC_OK(List(collected, &only_collected, manager));
  ASSERT_EQ(only_collected.events_size(), 1);
  EXPECT_EQ(only_collected.events(0).action(), "sample.collected");
  v1::VerifyAuditChainResponse verified;
  LIMS_ASSERT_GRPC_OK(
      audit_->VerifyAuditChain(Ctx(manager).get(), v1::VerifyAuditChainRequest(), &verified));
  EXPECT_TRUE(verified.ok());
}

TEST_P(AuditTest, VerifyAuditChain_IsOkAfterAWorkflow) {
  Workflow();
  const v1::VerifyAuditChainResponse resp = Verify();
  EXPECT_TRUE(resp.ok()) << resp.problem();
  EXPECT_EQ(resp.events_checked(), Rows()["audit_events"]);
  EXPECT_GT(resp.events_checked(), 5);
  EXPECT_EQ(resp.first_broken_event_id(), "");
}

// The acceptance test: an audit row edited directly in the database file (or server).
TEST_P(AuditTest, VerifyAuditChain_FindsARowEditedInTheDatabase) {
  const v1::Sample tube = Workflow();
  v1::ListAuditEventsRequest req;
  req.set_entity_barcode(tube.barcode());
  v1::ListAuditEventsResponse events;
  LIMS_ASSERT_GRPC_OK(List(req, &events));
  ASSERT_GT(events.events_size(), 0);
  const std::string target = events.events(0).id();  // the collection of the tube
  ASSERT_TRUE(ExecuteRawSql(test_db_->url(),
                            absl::StrCat("UPDATE audit_events SET details = 'collected 40 mL' "
                                         "WHERE id = ", target))
                  .ok());
  const v1::VerifyAuditChainResponse resp = Verify();
  EXPECT_FALSE(resp.ok());
  EXPECT_EQ(resp.first_broken_event_id(), target);
  EXPECT_NE(resp.problem().find("edited"), std::string::npos) << resp.problem();
}

TEST_P(AuditTest, ExportAuditCsv_StreamsOneLinePerEvent) {
  Workflow();
  std::vector<std::string> chunks;
  LIMS_ASSERT_GRPC_OK(Export(v1::ExportAuditCsvRequest(), &chunks));
  ASSERT_FALSE(chunks.empty());
  std::string csv;
  for (const std::string& chunk : chunks) csv += chunk;
  std::vector<std::string> lines = absl::StrSplit(csv, "\r\n");
  ASSERT_EQ(lines.back(), "");
  lines.pop_back();
  EXPECT_EQ(static_cast<int64_t>(lines.size()), Rows()["audit_events"] + 1);
  EXPECT_EQ(lines[0].substr(0, 12), "id,at,actor,");
  EXPECT_NE(csv.find(",admin,site.created,site,PSL,"), std::string::npos) << csv;

  // Only a window: nothing is that old.
  v1::ExportAuditCsvRequest old;
  old.mutable_since()->set_seconds(1000000000);
  old.mutable_until()->set_seconds(1000003600);
  std::vector<std::string> header_only;
  LIMS_ASSERT_GRPC_OK(Export(old, &header_only));
  ASSERT_EQ(header_only.size(), 1u);
  EXPECT_EQ(std::count(header_only[0].begin(), header_only[0].end(), '\n'), 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, AuditTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, AuditTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
