// lims-server's HTTP port: the Connect protocol's JSON form of every lims.v1 RPC (unary, and
// server-streaming as enveloped frames)
// (relayed in process to the gRPC server, so both doors pass the same gate), /healthz, /metrics
// and the browser app's static files, with strict security headers.
#ifndef LIMS_SERVICES_HTTP_HTTP_DOOR_H_
#define LIMS_SERVICES_HTTP_HTTP_DOOR_H_

#include <grpcpp/channel.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "connect_relay.h"

namespace httplib {
class Server;
struct Response;
}

namespace lims::services {

class HttpDoor {
 public:
  struct Options {
    std::string listen;    // HOST:PORT (port 0: pick a free one); plaintext only on loopback
    std::string web_root;  // the browser app's files; "" = API only
    size_t max_body_bytes = 24 * 1024 * 1024;
    std::string tls_cert_file;  // both set: HTTPS
    std::string tls_key_file;
    // The /metrics page (Prometheus text format); unset: no /metrics.
    std::function<std::string()> metrics;
  };

  // `serving` answers /healthz.
  static absl::StatusOr<std::unique_ptr<HttpDoor>> Start(std::shared_ptr<grpc::Channel> in_process,
                                                         std::function<bool()> serving,
                                                         const Options& options);
  ~HttpDoor();

  int port() const { return port_; }
  // Stops accepting; calls being answered finish.
  void Stop();

 private:
  HttpDoor(std::shared_ptr<grpc::Channel> in_process, std::function<bool()> serving);
  void Route(const Options& options);
  void Stream(ConnectCall call, httplib::Response& res);

  ConnectRelay relay_;
  std::function<bool()> serving_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_HTTP_HTTP_DOOR_H_
