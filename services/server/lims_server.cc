#include "lims_server.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/server_builder.h>

#include <chrono>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "registry_service.h"
#include "sample_service.h"
#include "storage_service.h"

namespace lims::services {
namespace {

const std::set<std::string> kAllServices = {"registry", "sample", "storage"};

}  // namespace

absl::StatusOr<std::unique_ptr<LimsServer>> LimsServer::Start(db::Database& db,
                                                               const Options& options) {
  std::set<std::string> wanted = options.services.empty() ? kAllServices : options.services;
  for (const std::string& name : wanted) {
    if (!kAllServices.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown service '", name, "'; known: ",
                                                     absl::StrJoin(kAllServices, ", ")));
    }
  }
  // Both must be switched on before the builder exists.
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  std::unique_ptr<LimsServer> server(new LimsServer());
  grpc::ServerBuilder builder;
  builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(), &server->port_);
  builder.SetMaxReceiveMessageSize(options.max_message_bytes);
  if (wanted.count("registry")) {
    server->registry_ = std::make_unique<RegistryService>(db);
    builder.RegisterService(server->registry_.get());
  }
  if (wanted.count("sample")) {
    server->sample_ = std::make_unique<SampleService>(db);
    builder.RegisterService(server->sample_.get());
  }
  if (wanted.count("storage")) {
    server->storage_ = std::make_unique<StorageService>(db);
    builder.RegisterService(server->storage_.get());
  }
  server->server_ = builder.BuildAndStart();
  if (!server->server_ || server->port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen, " (address in use or not local?)"));
  }
  server->server_->GetHealthCheckService()->SetServingStatus(true);
  return server;
}

LimsServer::~LimsServer() {
  if (server_) Shutdown(absl::Seconds(1));
}

void LimsServer::Shutdown(absl::Duration grace) {
  if (!server_) return;
  server_->GetHealthCheckService()->SetServingStatus(false);
  server_->Shutdown(std::chrono::system_clock::now() + absl::ToChronoMilliseconds(grace));
  server_->Wait();
  server_.reset();
}

void LimsServer::Wait() {
  if (server_) server_->Wait();
}

}  // namespace lims::services
