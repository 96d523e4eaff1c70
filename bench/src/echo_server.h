// A bare synchronous gRPC echo service with default ServerBuilder settings: the yardstick the
// LIMS is measured against.
#pragma once

#include <string>

namespace lims_bench {

// Serves bench.echo.v1.EchoService on `listen` (HOST:PORT; port 0 picks one and prints it) until
// SIGINT or SIGTERM. Returns the process exit code.
int RunEchoServer(const std::string& listen);

}  // namespace lims_bench
