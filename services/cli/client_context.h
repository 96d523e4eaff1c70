// The connection to lims-server: one channel, the per-call context (deadline, bearer token),
// request ids for safe retries, and the retry loop itself.
#ifndef LIMS_CLI_CLIENT_CONTEXT_H_
#define LIMS_CLI_CLIENT_CONTEXT_H_

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

#include "lims/v1/audit.grpc.pb.h"
#include "lims/v1/label.grpc.pb.h"
#include "lims/v1/monitoring.grpc.pb.h"
#include "lims/v1/product.grpc.pb.h"
#include "lims/v1/registry.grpc.pb.h"
#include "lims/v1/request.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "lims/v1/scan.grpc.pb.h"
#include "lims/v1/shipment.grpc.pb.h"
#include "lims/v1/storage.grpc.pb.h"
#include "lims/v1/user.grpc.pb.h"

namespace lims::cli {

// What every command shares, from the global options.
struct GlobalOptions {
  std::string server;      // HOST:PORT
  bool json = false;       // machine-readable output
  std::string token_file;  // --token-file; empty: LIMS_TOKEN, else the stored token
  std::string request_id;  // --request-id; empty: a fresh one per mutating call
  // TLS: the CA that signed the server's certificate (empty: plaintext, loopback servers only),
  // and a client certificate and key for servers that require mutual TLS.
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  // --insecure: plaintext to a server that is not on loopback (refused otherwise).
  bool insecure = false;
  // The token every call sends as `authorization: Bearer TOKEN` (none when empty), and where it
  // came from (for messages; see credentials.h). Set by Cli before the connection opens.
  std::string token;
  std::string token_source;
};

// A call that failed for good (after any retries).
class RpcError : public std::runtime_error {
 public:
  RpcError(grpc::Status status, std::string request_id)
      : std::runtime_error(status.error_message()),
        status_(std::move(status)),
        request_id_(std::move(request_id)) {}
  const grpc::Status& status() const { return status_; }
  // The request_id of a mutating call ("" for reads): lets the user retry it safely.
  const std::string& request_id() const { return request_id_; }

 private:
  grpc::Status status_;
  std::string request_id_;
};

// 128 random bits as 32 lower-case hex digits.
std::string NewRequestId();

class Client {
 public:
  explicit Client(const GlobalOptions& options);

  v1::AuditService::Stub& audit() { return *audit_; }
  v1::MonitoringService::Stub& monitoring() { return *monitoring_; }
  v1::ProductService::Stub& products() { return *products_; }
  v1::LabelService::Stub& labels() { return *labels_; }
  v1::ScanService::Stub& scan() { return *scan_; }
  v1::ShipmentService::Stub& shipments() { return *shipments_; }
  v1::RegistryService::Stub& registry() { return *registry_; }
  v1::RequestService::Stub& requests() { return *requests_; }
  v1::SampleService::Stub& samples() { return *samples_; }
  v1::StorageService::Stub& storage() { return *storage_; }
  v1::UserService::Stub& users() { return *users_; }

  // The request_id for the next mutating call: --request-id when given, else a fresh one.
  std::string RequestId() const;

  // Runs `rpc` with a fresh ClientContext (10 s deadline, bearer token). On UNAVAILABLE it
  // retries up to 3 times with a short backoff; mutating calls pass their request_id so that the
  // server recognises the retry. Throws RpcError when the call finally fails.
  using Rpc = std::function<grpc::Status(grpc::ClientContext*)>;
  void Call(const Rpc& rpc, const std::string& request_id = "");

  // A mutating call: gives `request` its request_id (RequestId()), calls `method` on the stub
  // `which` names (looked up on every try: a retry reconnects and makes new stubs), returns the
  // answer. Throws RpcError like Call.
  //   auto answer = cli.client().Mutate(&Client::users, &v1::UserService::Stub::IssueToken,
  //                                     request);
  template <typename Stub, typename Request, typename Response>
  Response Mutate(Stub& (Client::*which)(),
                  grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                  Request& request) {
    request.set_request_id(RequestId());
    Response response;
    Call(
        [&](grpc::ClientContext* context) {
          return ((this->*which)().*method)(context, request, &response);
        },
        request.request_id());
    return response;
  }

  // A read: the same without a request_id.
  template <typename Stub, typename Request, typename Response>
  Response Read(Stub& (Client::*which)(),
                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                const Request& request) {
    Response response;
    Call([&](grpc::ClientContext* context) {
      return ((this->*which)().*method)(context, request, &response);
    });
    return response;
  }

 private:
  // (Re)creates the channel and the stubs.
  void Connect();
  std::shared_ptr<grpc::ChannelCredentials> ChannelCredentials() const;
  void Prepare(grpc::ClientContext& context) const;

  const GlobalOptions& options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<v1::MonitoringService::Stub> monitoring_;
  std::unique_ptr<v1::ProductService::Stub> products_;
  std::unique_ptr<v1::LabelService::Stub> labels_;
  std::unique_ptr<v1::ScanService::Stub> scan_;
  std::unique_ptr<v1::ShipmentService::Stub> shipments_;
  std::unique_ptr<v1::RegistryService::Stub> registry_;
  std::unique_ptr<v1::RequestService::Stub> requests_;
  std::unique_ptr<v1::SampleService::Stub> samples_;
  std::unique_ptr<v1::StorageService::Stub> storage_;
  std::unique_ptr<v1::UserService::Stub> users_;
};

}  // namespace lims::cli

#endif  // LIMS_CLI_CLIENT_CONTEXT_H_
