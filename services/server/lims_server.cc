#include "lims_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "audit_service.h"
#include "label_service.h"
#include "lims/core/net_address.h"
#include "monitoring_service.h"
#include "product_service.h"
#include "registry_service.h"
#include "request_service.h"
#include "sample_service.h"
#include "scan_service.h"
#include "shipment_service.h"
#include "storage_service.h"
#include "user_service.h"

namespace lims::services {
namespace {

using Options = LimsServer::Options;
using ServiceFactory = std::function<std::unique_ptr<grpc::Service>(CallGate&, const Options&)>;

// Idle threads the synchronous server keeps polling for calls (see Start).
constexpr int kMaxPollers = 8;

const std::map<std::string, ServiceFactory>& Factories() {
  static const auto* factories = new std::map<std::string, ServiceFactory>{
      {"audit", [](CallGate& g, const Options&) { return std::make_unique<AuditService>(g); }},
      {"label",
       [](CallGate& g, const Options& o) {
         return std::make_unique<LabelService>(g, o.label_templates_dir, o.printer_networks);
       }},
      {"monitoring",
       [](CallGate& g, const Options& o) {
         return std::make_unique<MonitoringService>(g, o.readings_retention);
       }},
      {"product", [](CallGate& g, const Options&) { return std::make_unique<ProductService>(g); }},
      {"registry",
       [](CallGate& g, const Options&) { return std::make_unique<RegistryService>(g); }},
      {"request", [](CallGate& g, const Options&) { return std::make_unique<RequestService>(g); }},
      {"sample", [](CallGate& g, const Options&) { return std::make_unique<SampleService>(g); }},
      {"scan",
       [](CallGate& g, const Options& o) {
         return std::make_unique<ScanService>(g, o.image_limits, o.concurrent_pictures);
       }},
      {"shipment",
       [](CallGate& g, const Options& o) {
         return std::make_unique<ShipmentService>(g, *o.signing_key);
       }},
      {"storage", [](CallGate& g, const Options&) { return std::make_unique<StorageService>(g); }},
      {"user",
       [](CallGate& g, const Options& o) { return std::make_unique<UserService>(g, o.sessions); }},
  };
  return *factories;
}

absl::StatusOr<std::string> ReadFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::FailedPreconditionError(absl::StrCat("cannot read ", what, " ", path));
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> Credentials(const LimsServer::Options& o) {
  if (o.tls.cert_file.empty()) {
    if (!IsLoopbackAddress(o.listen)) {
      return absl::FailedPreconditionError(absl::StrCat(
          "refusing to serve plaintext on ", o.listen,
          ": give --tls-cert and --tls-key, or listen on loopback (127.0.0.1)"));
    }
    return grpc::InsecureServerCredentials();
  }
  auto cert = ReadFile(o.tls.cert_file, "TLS certificate");
  if (!cert.ok()) return cert.status();
  auto key = ReadFile(o.tls.key_file, "TLS key");
  if (!key.ok()) return key.status();
  grpc::SslServerCredentialsOptions ssl;
  ssl.pem_key_cert_pairs.push_back({*key, *cert});
  if (!o.tls.client_ca_file.empty()) {
    auto ca = ReadFile(o.tls.client_ca_file, "client CA");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *ca;
    ssl.client_certificate_request = GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY;
  }
  return grpc::SslServerCredentials(ssl);
}

}  // namespace

std::vector<std::string> LimsServer::ServiceNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Factories()) names.push_back(name);
  return names;
}

absl::StatusOr<std::unique_ptr<LimsServer>> LimsServer::Start(db::Database& db,
                                                               const Options& options) {
  std::set<std::string> wanted = options.services;
  if (wanted.empty()) {
    for (const auto& [name, factory] : Factories()) wanted.insert(name);
  }
  for (const std::string& name : wanted) {
    if (!Factories().count(name)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown service '", name, "'; known: ", absl::StrJoin(ServiceNames(), ", ")));
    }
  }
  auto credentials = Credentials(options);
  if (!credentials.ok()) return credentials.status();
  // Both must be switched on before the builder exists.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  if (wanted.count("shipment") && !options.signing_key) {
    return absl::FailedPreconditionError(
        "the shipment service signs the manifests it dispatches: give it the installation's "
        "signing key (--signing-key)");
  }
  std::unique_ptr<LimsServer> server(new LimsServer(db, options));
  grpc::ServerBuilder builder;
  // A second process given the same port must fail to start, not share the port's calls.
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  // gRPC's synchronous server keeps at most 2 idle threads polling by default: under load a
  // thread that takes a call starts another to poll, and ends once its call is answered. At 8
  // clients that was a thread started for every 7th call (4,726 in 4 s) and a p99 of twice
  // the echo service's; with 8 it is a handful of threads in all (docs/benchmarks.md).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, kMaxPollers);
  builder.AddListeningPort(options.listen, *credentials, &server->port_);
  int max_message_bytes = options.max_message_bytes;
  if (wanted.count("scan")) {
    // A picture of the largest accepted size, plus room for the rest of the request.
    const size_t with_image = options.image_limits.max_bytes + 64 * 1024;
    max_message_bytes = static_cast<int>(std::max<size_t>(max_message_bytes, with_image));
  }
  builder.SetMaxReceiveMessageSize(max_message_bytes);
  for (const std::string& name : wanted) {
    // The server's own copy of the options: services keep references into it.
    server->services_.push_back(Factories().at(name)(server->gate_, server->options_));
    builder.RegisterService(server->services_.back().get());
  }
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not local?)"));
  }
  if (!options.http_listen.empty()) {
    grpc::ChannelArguments unlimited;
    unlimited.SetMaxReceiveMessageSize(-1);
    unlimited.SetMaxSendMessageSize(-1);
    HttpDoor::Options http;
    http.listen = options.http_listen;
    http.web_root = options.web_root;
    // Bytes travel as base64 in JSON: a third larger than on gRPC.
    http.max_body_bytes = static_cast<size_t>(max_message_bytes) / 3 * 4 + 64 * 1024;
    http.tls_cert_file = options.tls.cert_file;
    http.tls_key_file = options.tls.key_file;
    ServerMetrics::Options metrics;
    metrics.samples = wanted.count("sample") > 0;
    metrics.excursions = wanted.count("monitoring") > 0;
    metrics.refresh = options.metrics_refresh;
    server->metrics_ = std::make_unique<ServerMetrics>(db, metrics);
    ServerMetrics* page = server->metrics_.get();
    http.metrics = [page] { return page->Text(); };
    LimsServer* self = server.get();
    auto door = HttpDoor::Start(server->server_->InProcessChannel(unlimited),
                                [self] { return self->serving_.load(); }, http);
    if (!door.ok()) return door.status();
    server->http_ = std::move(*door);
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  server->serving_ = true;
  return server;
}

LimsServer::~LimsServer() {
  if (server_) Shutdown(absl::Seconds(1));
}

void LimsServer::Shutdown(absl::Duration grace) {
  if (!server_) return;
  serving_ = false;
  server_->GetHealthCheckService()->SetServingStatus(false);
  // The HTTP door first: it relays into the gRPC server.
  if (http_) http_->Stop();
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server_->Wait();
  server_.reset();
}

void LimsServer::Wait() {
  if (server_) server_->Wait();
}

}  // namespace lims::services
