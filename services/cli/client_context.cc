#include "client_context.h"

#include "lims/core/net_address.h"
#include "output.h"

#include <unistd.h>

#include <array>
#include <fstream>
#include <sstream>
#include <chrono>
#include <cstdio>
#include <random>
#include <thread>

namespace lims::cli {
namespace {

constexpr auto kDeadline = std::chrono::seconds(10);
// Waits before the 1st, 2nd and 3rd retry of a call that found the server unavailable.
constexpr std::array<std::chrono::milliseconds, 3> kBackoff = {std::chrono::milliseconds(250),
                                                               std::chrono::milliseconds(750),
                                                               std::chrono::milliseconds(1500)};

std::string ReadFileOrThrow(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  if (in) content << in.rdbuf();
  if (!in || content.str().empty()) {
    throw CliError(kExitUsage, std::string("cannot read the ") + what + " file " + path);
  }
  return content.str();
}

}  // namespace

std::string NewRequestId() {
  std::random_device device;
  std::string id;
  id.reserve(32);
  static constexpr char kHex[] = "0123456789abcdef";
  for (int word = 0; word < 4; ++word) {
    uint32_t bits = device();
    for (int nibble = 0; nibble < 8; ++nibble) {
      id.push_back(kHex[bits & 0xF]);
      bits >>= 4;
    }
  }
  return id;
}

Client::Client(const GlobalOptions& options) : options_(options) { Connect(); }

void Client::Connect() {
  grpc::ChannelArguments args;
  // A channel of our own (not shared through gRPC's global subchannel pool), so that after a
  // failure a new channel really dials again instead of waiting out the old one's backoff.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  // An export (a FHIR bundle of every sample) is one message, beyond gRPC's 4 MiB default.
  args.SetMaxReceiveMessageSize(512 * 1024 * 1024);
  channel_ = grpc::CreateCustomChannel(options_.server, ChannelCredentials(), args);
  audit_ = v1::AuditService::NewStub(channel_);
  monitoring_ = v1::MonitoringService::NewStub(channel_);
  products_ = v1::ProductService::NewStub(channel_);
  registry_ = v1::RegistryService::NewStub(channel_);
  requests_ = v1::RequestService::NewStub(channel_);
  samples_ = v1::SampleService::NewStub(channel_);
  storage_ = v1::StorageService::NewStub(channel_);
  users_ = v1::UserService::NewStub(channel_);
  labels_ = v1::LabelService::NewStub(channel_);
  scan_ = v1::ScanService::NewStub(channel_);
  shipments_ = v1::ShipmentService::NewStub(channel_);
}

std::shared_ptr<grpc::ChannelCredentials> Client::ChannelCredentials() const {
  if (options_.tls_ca_file.empty()) {
    // The token would cross the network readable by anyone on the way.
    if (!options_.insecure && !IsLoopbackAddress(options_.server)) {
      throw CliError(kExitUsage,
                     "refusing to send your token in plaintext to " + options_.server +
                         ": give --tls-ca FILE (the CA that signed the server's certificate), "
                         "or --insecure on a network you trust (e.g. an SSH tunnel)");
    }
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = ReadFileOrThrow(options_.tls_ca_file, "TLS CA");
  if (!options_.tls_cert_file.empty()) {
    ssl.pem_cert_chain = ReadFileOrThrow(options_.tls_cert_file, "TLS client certificate");
    ssl.pem_private_key = ReadFileOrThrow(options_.tls_key_file, "TLS client key");
  }
  return grpc::SslCredentials(ssl);
}

std::string Client::RequestId() const {
  return options_.request_id.empty() ? NewRequestId() : options_.request_id;
}

void Client::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + kDeadline);
  if (!options_.token.empty()) context.AddMetadata("authorization", "Bearer " + options_.token);
}

void Client::Call(const Rpc& rpc, const std::string& request_id) {
  for (size_t attempt = 0;; ++attempt) {
    grpc::ClientContext context;
    Prepare(context);
    grpc::Status status = rpc(&context);
    if (status.ok()) return;
    if (status.error_code() != grpc::StatusCode::UNAVAILABLE || attempt >= kBackoff.size()) {
      throw RpcError(std::move(status), request_id);
    }
    if (isatty(STDERR_FILENO)) {
      std::fprintf(stderr, "lims-server at %s unavailable; retrying (%zu/%zu)...\n",
                   options_.server.c_str(), attempt + 1, kBackoff.size());
    }
    std::this_thread::sleep_for(kBackoff[attempt]);
    Connect();
  }
}

}  // namespace lims::cli
