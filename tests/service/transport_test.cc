// The transport: TLS and mutual TLS, plaintext only on loopback, and message size limits that
// refuse a huge request without taking the server down.
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "grpc_status_matchers.h"
#include "lims/core/net_address.h"
#include "lims/v1/scan.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"
#include "rack_picture.h"
#include "service_fixture.h"
#include "user_operations.h"

namespace lims::testing {
namespace {

using grpc::StatusCode;
using lims::testing::DrawRack;
using lims::testing::EncodePng;
using lims::testing::RackPictureSpec;
using lims::testing::TubeCodes;

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(LIMS_TEST_DATA_DIR) + "/tls/" + name);
  std::stringstream content;
  content << in.rdbuf();
  EXPECT_FALSE(content.str().empty()) << name;
  return content.str();
}

std::string TestFilePath(const std::string& name) {
  return std::string(LIMS_TEST_DATA_DIR) + "/tls/" + name;
}

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fresh = TestDatabase::Create(db::Backend::kSqlite);
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    test_db_ = std::move(*fresh);
    auto db = db::Database::Open(test_db_->url());
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    ASSERT_TRUE(services::EnsureAdminUser(*db_, [&](const services::FirstAdmin& admin) {
                  token_ = admin.token;
                  return absl::OkStatus();
                }).ok());
  }

  std::unique_ptr<services::LimsServer> StartTls(bool require_client_cert) {
    services::LimsServer::Options options;
    options.signing_key = services::SigningKey::Generate();
    options.listen = "127.0.0.1:0";
    options.tls.cert_file = TestFilePath("server.pem");
    options.tls.key_file = TestFilePath("server.key");
    if (require_client_cert) options.tls.client_ca_file = TestFilePath("ca.pem");
    auto server = services::LimsServer::Start(*db_, options);
    EXPECT_TRUE(server.ok()) << server.status();
    return server.ok() ? std::move(*server) : nullptr;
  }

  grpc::Status WhoAmI(std::shared_ptr<grpc::ChannelCredentials> credentials, int port) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto channel = grpc::CreateCustomChannel("localhost:" + std::to_string(port), credentials,
                                             args);
    auto stub = v1::UserService::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    ctx.AddMetadata("authorization", "Bearer " + token_);
    v1::WhoAmIRequest req;
    v1::WhoAmIResponse resp;
    return stub->WhoAmI(&ctx, req, &resp);
  }

  std::unique_ptr<TestDatabase> test_db_;
  std::unique_ptr<db::Database> db_;
  std::string token_;
};

TEST_F(TransportTest, TlsServer_ServesTlsClientsAndRefusesPlaintext) {
  auto server = StartTls(false);
  ASSERT_NE(server, nullptr);
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadTestFile("ca.pem");
  LIMS_ASSERT_GRPC_OK(WhoAmI(grpc::SslCredentials(ssl), server->port()));
  EXPECT_EQ(WhoAmI(grpc::InsecureChannelCredentials(), server->port()).error_code(),
            StatusCode::UNAVAILABLE);
}

TEST_F(TransportTest, MutualTls_RequiresAClientCertificateSignedByTheCa) {
  auto server = StartTls(true);
  ASSERT_NE(server, nullptr);
  grpc::SslCredentialsOptions anonymous;
  anonymous.pem_root_certs = ReadTestFile("ca.pem");
  EXPECT_EQ(WhoAmI(grpc::SslCredentials(anonymous), server->port()).error_code(),
            StatusCode::UNAVAILABLE);
  grpc::SslCredentialsOptions with_cert = anonymous;
  with_cert.pem_cert_chain = ReadTestFile("client.pem");
  with_cert.pem_private_key = ReadTestFile("client.key");
  LIMS_ASSERT_GRPC_OK(WhoAmI(grpc::SslCredentials(with_cert), server->port()));
}

TEST_F(TransportTest, PlaintextOffLoopback_IsRefused) {
  services::LimsServer::Options options;
  options.signing_key = services::SigningKey::Generate();
  options.listen = "0.0.0.0:0";
  auto server = services::LimsServer::Start(*db_, options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kFailedPrecondition) << server.status();
  EXPECT_TRUE(IsLoopbackAddress("127.0.0.1:50051"));
  EXPECT_TRUE(IsLoopbackAddress("[::1]:50051"));
  EXPECT_TRUE(IsLoopbackAddress("localhost:50051"));
  EXPECT_FALSE(IsLoopbackAddress("10.0.0.5:50051"));
  EXPECT_FALSE(IsLoopbackAddress("127.example.org:50051"));
}

TEST_F(TransportTest, OversizedRequest_IsResourceExhaustedAndTheServerKeepsServing) {
  services::LimsServer::Options options;
  options.signing_key = services::SigningKey::Generate();
  options.listen = "127.0.0.1:0";
  options.max_message_bytes = 1024 * 1024;
  options.image_limits.max_bytes = 512 * 1024;  // the scan service would raise the limit
  auto server = services::LimsServer::Start(*db_, options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto samples = v1::SampleService::NewStub(channel);
  grpc::ClientContext big_ctx;
  big_ctx.AddMetadata("authorization", "Bearer " + token_);
  v1::ResolveBarcodeRequest big;
  big.set_barcode(std::string(2 * 1024 * 1024, 'A'));
  v1::ResolveBarcodeResponse resp;
  EXPECT_EQ(samples->ResolveBarcode(&big_ctx, big, &resp).error_code(),
            StatusCode::RESOURCE_EXHAUSTED);
  // Still serving: a normal call right after gets a normal answer.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token_);
  v1::ResolveBarcodeRequest small;
  small.set_barcode("1234567890");
  LIMS_EXPECT_GRPC(samples->ResolveBarcode(&ctx, small, &resp), StatusCode::NOT_FOUND,
                   "1234567890");
}

// Large pictures sent together: no more are decoded at once than the server was told; the
// others are told to come back, and the server keeps serving.
TEST_F(TransportTest, PicturesBeyondTheConcurrentLimit_AreResourceExhausted) {
  services::LimsServer::Options options;
  options.signing_key = services::SigningKey::Generate();
  options.listen = "127.0.0.1:0";
  options.concurrent_pictures = 1;
  auto server = services::LimsServer::Start(*db_, options);
  ASSERT_TRUE(server.ok()) << server.status();
  auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string((*server)->port()),
                                     grpc::InsecureChannelCredentials());
  auto scan = v1::ScanService::NewStub(channel);
  RackPictureSpec spec;
  spec.codes = TubeCodes(96, 5);
  spec.pitch_px = 220;  // about 8 megapixels: a few hundred milliseconds to decode
  v1::DecodeImageRequest picture;
  picture.set_image(EncodePng(DrawRack(spec)));
  constexpr int kClients = 6;
  std::vector<grpc::Status> statuses(kClients);
  std::vector<std::thread> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back([&, i] {
      grpc::ClientContext ctx;
      ctx.AddMetadata("authorization", "Bearer " + token_);
      v1::DecodeImageResponse resp;
      statuses[i] = scan->DecodeImage(&ctx, picture, &resp);
    });
  }
  for (std::thread& t : clients) t.join();
  int ok = 0, refused = 0;
  for (const grpc::Status& s : statuses) {
    if (s.ok()) ++ok;
    if (s.error_code() == StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
      EXPECT_NE(s.error_message().find("1 pictures are being decoded already"), std::string::npos)
          << s.error_message();
    }
  }
  EXPECT_GE(ok, 1);
  EXPECT_GE(refused, 1);
  EXPECT_EQ(ok + refused, kClients);
  // A slot frees when its picture is done.
  grpc::ClientContext ctx;
  ctx.AddMetadata("authorization", "Bearer " + token_);
  v1::DecodeImageResponse resp;
  LIMS_ASSERT_GRPC_OK(scan->DecodeImage(&ctx, picture, &resp));
}

}  // namespace
}  // namespace lims::testing
