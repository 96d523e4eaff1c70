// Concurrency is tested, not assumed: many clients racing for one position, and retried calls.
#include <atomic>
#include <thread>

#include "service_fixture.h"
#include "grpc_status_matchers.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;

class ConcurrencyTest : public ServiceTest {};

TEST_P(ConcurrencyTest, ThirtyTwoClientsOnePosition_ExactlyOneWins) {
  Seed();
  constexpr int kClients = 32;
  std::vector<std::string> tubes;
  for (int i = 0; i < kClients; ++i) tubes.push_back(CollectSerum().barcode());
  const auto before = Rows();

  std::atomic<int> ready{0};
  std::vector<grpc::Status> results(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      // Each client its own channel, as 32 bench PCs would have.
      auto channel = grpc::CreateCustomChannel(
          "127.0.0.1:" + std::to_string(server_->port()), grpc::InsecureChannelCredentials(),
          [i] {
            grpc::ChannelArguments args;
            args.SetInt("lims.client", i);  // distinct args: no shared subchannel
            return args;
          }());
      auto stub = v1::StorageService::NewStub(channel);
      v1::PlaceSampleRequest req;
      req.set_barcode(tubes[i]);
      req.set_box_id(box_id_);
      req.set_position("E5");
      v1::PlaceSampleResponse resp;
      ++ready;
      while (ready.load() < kClients) std::this_thread::yield();
      results[i] = stub->PlaceSample(Ctx().get(), req, &resp);
    });
  }
  for (auto& t : clients) t.join();

  int won = 0, refused = 0;
  std::string winner;
  for (int i = 0; i < kClients; ++i) {
    if (results[i].ok()) {
      ++won;
      winner = tubes[i];
    } else {
      EXPECT_EQ(results[i].error_code(), StatusCode::FAILED_PRECONDITION)
          << results[i].error_message();
      EXPECT_NE(results[i].error_message().find("already holds"), std::string::npos)
          << results[i].error_message();
      ++refused;
    }
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(refused, kClients - 1);

  v1::GetBoxContentsRequest box_req;
  box_req.set_box_id(box_id_);
  v1::GetBoxContentsResponse box;
  LIMS_ASSERT_GRPC_OK(storage_->GetBoxContents(Ctx().get(), box_req, &box));
  ASSERT_EQ(box.slots_size(), 1);
  EXPECT_EQ(box.slots(0).barcode(), winner);
  EXPECT_EQ(box.slots(0).position(), "E5");

  // No half-written rows: exactly one placement and one audit event more, one tube stored.
  const auto after = Rows();
  EXPECT_EQ(after.at("placements"), before.at("placements") + 1);
  EXPECT_EQ(after.at("audit_events"), before.at("audit_events") + 1);
  EXPECT_EQ(after.at("samples"), before.at("samples"));
  int stored = 0;
  for (const std::string& tube : tubes) {
    v1::GetSampleRequest req;
    req.set_barcode(tube);
    v1::GetSampleResponse resp;
    LIMS_ASSERT_GRPC_OK(samples_->GetSample(Ctx().get(), req, &resp));
    stored += resp.sample().status() == v1::SAMPLE_STATUS_STORED;
  }
  EXPECT_EQ(stored, 1);
}

TEST_P(ConcurrencyTest, ConcurrentDerivations_NeverOverdrawTheParent) {
  Seed();
  const std::string parent = CollectSerum().barcode();  // 4 mL
  constexpr int kClients = 8;  // each asks for 1 mL: only 4 can succeed
  std::vector<grpc::Status> results(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      v1::DeriveSamplesRequest req;
      req.set_parent_barcode(parent);
      req.set_sample_type("SER");
      req.set_count(1);
      req.mutable_quantity_each()->set_value(1);
      req.mutable_quantity_each()->set_unit("mL");
      v1::DeriveSamplesResponse resp;
      results[i] = samples_->DeriveSamples(Ctx().get(), req, &resp);
    });
  }
  for (auto& t : clients) t.join();
  int ok = 0;
  for (const auto& r : results) {
    if (r.ok()) {
      ++ok;
    } else {
      EXPECT_EQ(r.error_code(), StatusCode::FAILED_PRECONDITION) << r.error_message();
    }
  }
  EXPECT_EQ(ok, 4);
  v1::GetSampleRequest req;
  req.set_barcode(parent);
  v1::GetSampleResponse resp;
  LIMS_ASSERT_GRPC_OK(samples_->GetSample(Ctx().get(), req, &resp));
  EXPECT_EQ(resp.sample().status(), v1::SAMPLE_STATUS_CONSUMED);
  EXPECT_DOUBLE_EQ(resp.sample().quantity().value(), 0);
}

TEST_P(ConcurrencyTest, RetryWithSameRequestId_ReturnsTheFirstResultAndChangesNothing) {
  Seed();
  v1::CollectSampleRequest req;
  req.set_enrollment_id(enrollment_id_);
  req.set_timepoint_code("M3");
  req.set_sample_type("PL1");
  req.mutable_quantity()->set_value(3);
  req.mutable_quantity()->set_unit("mL");
  req.mutable_collected_at()->set_seconds(1776000000);
  req.set_request_id("bench-7-0001");
  v1::CollectSampleResponse first, second;
  LIMS_ASSERT_GRPC_OK(samples_->CollectSample(Ctx().get(), req, &first));
  const auto after_first = Rows();
  LIMS_ASSERT_GRPC_OK(samples_->CollectSample(Ctx().get(), req, &second));
  EXPECT_EQ(second.sample().barcode(), first.sample().barcode());
  EXPECT_EQ(Rows(), after_first);

  // The same id for a different request is a client bug, not a retry.
  req.set_sample_type("SER");
  v1::CollectSampleResponse third;
  LIMS_EXPECT_GRPC(samples_->CollectSample(Ctx().get(), req, &third),
                   StatusCode::INVALID_ARGUMENT, "bench-7-0001");
  EXPECT_EQ(Rows(), after_first);

  // Another user's request_id is theirs: the same id is a fresh request, never the first
  // user's answer.
  const std::string other = MakeUser("tech.other", v1::ROLE_TECHNICIAN, "PSL");
  req.set_sample_type("PL1");
  v1::CollectSampleResponse theirs;
  LIMS_ASSERT_GRPC_OK(samples_->CollectSample(Ctx(other).get(), req, &theirs));
  EXPECT_NE(theirs.sample().barcode(), first.sample().barcode());
}

TEST_P(ConcurrencyTest, ParallelRetriesOfOneRequest_CreateOneSample) {
  Seed();
  constexpr int kRetries = 8;
  std::vector<std::string> barcodes(kRetries);
  std::vector<std::thread> clients;
  for (int i = 0; i < kRetries; ++i) {
    clients.emplace_back([&, i] {
      v1::CollectSampleRequest req;
      req.set_enrollment_id(enrollment_id_);
      req.set_timepoint_code("M3");
      req.set_sample_type("SER");
      req.mutable_quantity()->set_value(1);
      req.mutable_quantity()->set_unit("mL");
      req.mutable_collected_at()->set_seconds(1776000000);
      req.set_request_id("flaky-wifi-42");
      v1::CollectSampleResponse resp;
      grpc::Status s = samples_->CollectSample(Ctx().get(), req, &resp);
      EXPECT_TRUE(s.ok()) << s.error_message();
      barcodes[i] = resp.sample().barcode();
    });
  }
  for (auto& t : clients) t.join();
  for (const std::string& b : barcodes) EXPECT_EQ(b, barcodes[0]);
  EXPECT_EQ(Rows().at("samples"), 1);
}

INSTANTIATE_TEST_SUITE_P(Sqlite, ConcurrencyTest, ::testing::Values(db::Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(MariaDb, ConcurrencyTest, ::testing::Values(db::Backend::kMariaDb));

}  // namespace
}  // namespace lims::testing
