// Hosts the LIMS services on one gRPC server, with health checking and reflection, behind one
// CallGate (authentication and access policy). Used by the lims-server binary and by the service
// tests (real channels on loopback).
#ifndef LIMS_SERVICES_SERVER_LIMS_SERVER_H_
#define LIMS_SERVICES_SERVER_LIMS_SERVER_H_

#include <grpcpp/impl/codegen/service_type.h>
#include <grpcpp/server.h>

#include <atomic>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "authenticator.h"
#include "call_gate.h"
#include "http_door.h"
#include "lims/core/net_address.h"
#include "lims/db/database.h"
#include "lims/scanning/image.h"
#include "server_metrics.h"
#include "session_operations.h"
#include "signing.h"

namespace lims::services {

class LimsServer {
 public:
  struct Tls {
    std::string cert_file;       // PEM certificate chain; empty: plaintext
    std::string key_file;        // PEM private key
    std::string client_ca_file;  // set: clients must present a certificate it signed (mTLS)
  };
  struct Options {
    std::string listen = "127.0.0.1:50051";  // port 0: pick a free one (see port())
    // Services to host; empty = all ("audit", "label", "monitoring", "registry", "request",
    // "sample", "scan", "shipment", "storage", "user").
    std::set<std::string> services;
    // The largest request read. With the scan service it is raised to fit a picture of
    // image_limits.max_bytes: gRPC's limit is per server, not per method.
    int max_message_bytes = 16 * 1024 * 1024;
    scanning::ImageLimits image_limits;
    // Pictures decoded at once (each up to image_limits in memory); more: RESOURCE_EXHAUSTED.
    int concurrent_pictures = 4;
    Tls tls;
    // The site's own label templates (*.json), read on each use; "" = the shipped ones only.
    std::string label_templates_dir;
    // Where managers may register tcp:// printers (admins: anywhere).
    std::vector<IpNetwork> printer_networks;
    // The installation's manifest signing key; required with the shipment service.
    std::optional<SigningKey> signing_key;
    // The HTTP port (Connect JSON door, /healthz, the browser app): "" = none. Uses `tls` too.
    std::string http_listen;
    std::string web_root;  // the browser app's files
    SessionTerms sessions;
    // Raw temperature readings are kept this long (their hourly figures for ever).
    absl::Duration readings_retention = absl::Hours(24 * 90);
    // How often /metrics' installation figures (samples by status, ...) are read again.
    absl::Duration metrics_refresh = absl::Seconds(30);
  };

  // Binds and starts serving; health is SERVING once this returns. Refuses plaintext on an
  // address other than loopback (FAILED_PRECONDITION).
  static absl::StatusOr<std::unique_ptr<LimsServer>> Start(db::Database& db,
                                                           const Options& options);
  // Every service --services accepts ("audit", "label", ...), sorted.
  static std::vector<std::string> ServiceNames();
  ~LimsServer();

  int port() const { return port_; }
  int http_port() const { return http_ ? http_->port() : 0; }
  // Health → NOT_SERVING, then stops accepting calls and lets running ones finish until the
  // deadline (after which they are cancelled).
  void Shutdown(absl::Duration grace);
  void Wait();

 private:
  LimsServer(db::Database& db, const Options& options)
      : options_(options), gate_(db, authenticator_) {}

  const Options options_;
  Authenticator authenticator_;
  CallGate gate_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ServerMetrics> metrics_;  // with the HTTP port, which serves /metrics
  std::unique_ptr<HttpDoor> http_;
  std::atomic<bool> serving_{false};
  int port_ = 0;
};


}  // namespace lims::services

#endif  // LIMS_SERVICES_SERVER_LIMS_SERVER_H_
