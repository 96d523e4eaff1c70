// Hosts the LIMS services on one gRPC server, with health checking and reflection. Used by the
// lims-server binary and by the service tests (real channels on loopback).
#ifndef LIMS_SERVICES_SERVER_LIMS_SERVER_H_
#define LIMS_SERVICES_SERVER_LIMS_SERVER_H_

#include <grpcpp/server.h>

#include <memory>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "lims/db/database.h"

namespace lims::services {

class RegistryService;
class SampleService;
class StorageService;

class LimsServer {
 public:
  struct Options {
    std::string listen = "127.0.0.1:50051";  // port 0: pick a free one (see port())
    // Services to host; empty = all ("registry", "sample", "storage").
    std::set<std::string> services;
    int max_message_bytes = 16 * 1024 * 1024;
  };

  // Binds and starts serving; health is SERVING once this returns.
  static absl::StatusOr<std::unique_ptr<LimsServer>> Start(db::Database& db,
                                                           const Options& options);
  ~LimsServer();

  int port() const { return port_; }
  // Health → NOT_SERVING, then stops accepting calls and lets running ones finish until the
  // deadline (after which they are cancelled).
  void Shutdown(absl::Duration grace);
  void Wait();

 private:
  LimsServer() = default;

  std::unique_ptr<RegistryService> registry_;
  std::unique_ptr<SampleService> sample_;
  std::unique_ptr<StorageService> storage_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_LIMS_SERVER_H_
