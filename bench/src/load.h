// Closed-loop load: C client threads, each with its own connection, each sending one call at a
// time as fast as answers come back.
#pragma once

#include <string>

namespace lims_bench {

struct LoadOptions {
  std::string target;         // HOST:PORT (gRPC; for resolve-json lims-server's --http port)
  std::string rpc;            // "echo", "resolve", or "resolve-json" (the same over HTTP/JSON)
  int clients = 1;
  double seconds = 3;         // measured window
  double warmup_seconds = 1;  // calls made but not counted, after all clients are connected
  std::string barcodes_file;  // one barcode a line; required for resolve, payload for echo
  std::string label;          // copied into the result (e.g. the backend name)
  std::string token;          // API token sent with every call, echo included ("" for none)
};

// Runs the load and prints one JSON object (throughput and latency percentiles) on stdout.
// Returns the process exit code: non-zero when nothing succeeded or an option is wrong.
int RunLoad(const LoadOptions& options);

// Waits until a gRPC server accepts connections on `target`. Returns the process exit code.
int WaitForServer(const std::string& target, double seconds);

}  // namespace lims_bench
