#include "echo_server.h"

#include <grpcpp/grpcpp.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <iostream>

#include "echo/v1/echo.grpc.pb.h"

namespace lims_bench {
namespace {

namespace echo = bench::echo::v1;

class EchoService final : public echo::EchoService::Service {
 public:
  grpc::Status Echo(grpc::ServerContext* /*context*/, const echo::EchoRequest* request,
                    echo::EchoResponse* response) override {
    response->set_message(request->message());
    return grpc::Status::OK;
  }
};

}  // namespace

int RunEchoServer(const std::string& listen) {
  // Block the stop signals before gRPC starts its threads, so that only sigwait below gets them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  EchoService service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || port == 0) {
    std::cerr << "echo-server: cannot listen on " << listen << "\n";
    return 1;
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::cout << "echo-server listening on " << host << ":" << port << std::endl;

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  return 0;
}

}  // namespace lims_bench
