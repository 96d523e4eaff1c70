#include "load.h"

#include <grpc/grpc.h>
#include <grpcpp/grpcpp.h>
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "echo/v1/echo.grpc.pb.h"
#include "lims/v1/sample.grpc.pb.h"
#include "read_calls.h"
#include "stats.h"
#include "token.h"

namespace lims_bench {
namespace {

using Clock = std::chrono::steady_clock;
namespace echo = bench::echo::v1;

constexpr auto kCallDeadline = std::chrono::seconds(5);

// One channel per client, and no subchannel sharing between them: every client gets its own TCP
// connection, as separate bench workstations would.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& target, int client_index) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  args.SetInt("lims.bench.client_index", client_index);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

std::vector<std::string> ReadBarcodes(const std::string& path) {
  std::vector<std::string> barcodes;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (!line.empty()) barcodes.push_back(line);
  }
  return barcodes;
}

struct ClientResult {
  std::vector<std::int64_t> latencies_ns;
  std::int64_t errors = 0;
  std::map<int, std::int64_t> errors_by_code;
  std::string first_error;
  Clock::time_point last_finish{};
};

// One client thread's loop; calls started inside [measure_start, measure_end) are recorded.
template <typename CallFn>
void ClientLoop(CallFn call, Clock::time_point measure_start, Clock::time_point measure_end,
                ClientResult& result) {
  for (;;) {
    const auto started = Clock::now();
    if (started >= measure_end) break;
    const grpc::Status status = call();
    const auto finished = Clock::now();
    if (started < measure_start) continue;  // warm-up
    result.last_finish = finished;
    if (status.ok()) {
      result.latencies_ns.push_back(
          std::chrono::duration_cast<std::chrono::nanoseconds>(finished - started).count());
    } else {
      ++result.errors;
      ++result.errors_by_code[status.error_code()];
      if (result.first_error.empty()) result.first_error = status.error_message();
    }
  }
}

void SetUpContext(grpc::ClientContext& context, const std::string& authorization) {
  context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
  // Both services get the same metadata, so the wire cost is the same on both sides.
  if (!authorization.empty()) context.AddMetadata("authorization", authorization);
}

}  // namespace

int WaitForServer(const std::string& target, double seconds) {
  auto channel = MakeChannel(target, 0);
  const auto deadline = std::chrono::system_clock::now() +
                        std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
  if (!channel->WaitForConnected(deadline)) {
    std::cerr << "lims-bench: no gRPC server answered on " << target << " within " << seconds
              << " s\n";
    return 1;
  }
  return 0;
}

int RunLoad(const LoadOptions& options) {
  std::vector<std::string> barcodes;
  if (!options.barcodes_file.empty()) {
    barcodes = ReadBarcodes(options.barcodes_file);
    if (barcodes.empty()) {
      std::cerr << "lims-bench: no barcodes in " << options.barcodes_file << "\n";
      return 2;
    }
  } else if (options.rpc != "echo") {
    std::cerr << "lims-bench: --rpc " << options.rpc
              << " needs --barcodes FILE (its keys: barcodes, box ids, ...)\n";
    return 2;
  } else {
    barcodes.push_back("PSL26-000123-K");  // a barcode-sized echo payload
  }

  const std::string authorization = BearerHeader(options.token);
  if (authorization.empty() && options.rpc != "echo") {
    std::cerr << "lims-bench: no token (--token-file FILE or LIMS_TOKEN): lims-server will refuse "
                 "every call\n";
  }

  // resolve-json talks HTTP (the Connect JSON door): no gRPC channel.
  const bool over_http = options.rpc == "resolve-json";
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  const auto connect_deadline = std::chrono::system_clock::now() + std::chrono::seconds(10);
  for (int i = 0; i < options.clients && !over_http; ++i) {
    channels.push_back(MakeChannel(options.target, i));
    if (!channels.back()->WaitForConnected(connect_deadline)) {
      std::cerr << "lims-bench: client " << i << " could not connect to " << options.target
                << "\n";
      return 1;
    }
  }

  // Everyone is connected: warm up together, then measure together.
  const auto measure_start =
      Clock::now() + std::chrono::milliseconds(static_cast<std::int64_t>(options.warmup_seconds * 1000));
  const auto measure_end =
      measure_start + std::chrono::milliseconds(static_cast<std::int64_t>(options.seconds * 1000));

  std::vector<ClientResult> results(options.clients);
  std::vector<std::thread> threads;
  for (int i = 0; i < options.clients; ++i) {
    threads.emplace_back([&, i] {
      ClientResult& result = results[i];
      result.latencies_ns.reserve(1 << 16);
      // Each client walks the barcode list from its own offset.
      std::size_t next = (barcodes.size() * static_cast<std::size_t>(i)) /
                         static_cast<std::size_t>(options.clients);
      auto next_barcode = [&]() -> const std::string& {
        const std::string& b = barcodes[next];
        next = (next + 1) % barcodes.size();
        return b;
      };
      if (options.rpc == "echo") {
        auto stub = echo::EchoService::NewStub(channels[i]);
        echo::EchoRequest request;
        echo::EchoResponse response;
        ClientLoop(
            [&] {
              grpc::ClientContext context;
              SetUpContext(context, authorization);
              request.set_message(next_barcode());
              return stub->Echo(&context, request, &response);
            },
            measure_start, measure_end, result);
      } else if (over_http) {
        // One keep-alive connection per client, like a browser tab; the same JSON a browser
        // sends, parsed into a document like the app does.
        const std::size_t colon = options.target.rfind(':');
        httplib::Client client(options.target.substr(0, colon),
                               std::stoi(options.target.substr(colon + 1)));
        client.set_keep_alive(true);
        client.set_tcp_nodelay(true);  // as browsers do
        const httplib::Headers headers{{"Authorization", authorization}};
        ClientLoop(
            [&] {
              const std::string body = nlohmann::json({{"barcode", next_barcode()}}).dump();
              auto res = client.Post("/lims.v1.SampleService/ResolveBarcode", headers, body,
                                     "application/json");
              // A keep-alive connection the server (or nginx at a reload) closed just as the
              // request left: sent once more on a new one, as browsers do. (A resolve is a
              // read: sending it twice is harmless.)
              if (!res && res.error() != httplib::Error::Connection) {
                res = client.Post("/lims.v1.SampleService/ResolveBarcode", headers, body,
                                  "application/json");
              }
              if (!res) return grpc::Status(grpc::StatusCode::UNAVAILABLE, "no HTTP answer");
              if (res->status != 200) {
                return grpc::Status(grpc::StatusCode::UNKNOWN, std::to_string(res->status) + " " + res->body);
              }
              const auto answer = nlohmann::json::parse(res->body, nullptr, false);
              if (!answer.contains("sample")) return grpc::Status(grpc::StatusCode::INTERNAL, "no sample");
              return grpc::Status::OK;
            },
            measure_start, measure_end, result);
      } else if (IsReadCall(options.rpc)) {
        const ReadCall read = MakeReadCall(options.rpc, channels[i], [&](grpc::ClientContext& c) {
          SetUpContext(c, authorization);
        });
        ClientLoop([&] { return read(next_barcode()); }, measure_start, measure_end, result);
      } else {
        auto stub = lims::v1::SampleService::NewStub(channels[i]);
        lims::v1::ResolveBarcodeRequest request;
        lims::v1::ResolveBarcodeResponse response;
        ClientLoop(
            [&] {
              grpc::ClientContext context;
              SetUpContext(context, authorization);
              request.set_barcode(next_barcode());
              return stub->ResolveBarcode(&context, request, &response);
            },
            measure_start, measure_end, result);
      }
    });
  }
  for (auto& t : threads) t.join();

  std::vector<std::int64_t> all;
  std::int64_t errors = 0;
  std::map<int, std::int64_t> errors_by_code;
  std::string first_error;
  Clock::time_point last_finish = measure_end;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_ns.begin(), r.latencies_ns.end());
    errors += r.errors;
    for (const auto& [code, n] : r.errors_by_code) errors_by_code[code] += n;
    if (first_error.empty()) first_error = r.first_error;
    last_finish = std::max(last_finish, r.last_finish);
  }
  // Calls started before the end may finish after it: count the time they took too.
  const double elapsed = std::chrono::duration<double>(last_finish - measure_start).count();
  const LatencySummary summary = Summarize(all);

  nlohmann::json out = {
      {"label", options.label},
      {"rpc", options.rpc},
      {"target", options.target},
      {"clients", options.clients},
      {"seconds", elapsed},
      {"calls", summary.count},
      {"errors", errors},
      {"calls_per_s", elapsed > 0 ? static_cast<double>(summary.count) / elapsed : 0.0},
      {"mean_us", summary.mean_us},
      {"p50_us", summary.p50_us},
      {"p90_us", summary.p90_us},
      {"p99_us", summary.p99_us},
      {"max_us", summary.max_us},
  };
  if (errors > 0) {
    nlohmann::json by_code = nlohmann::json::object();
    for (const auto& [code, n] : errors_by_code) by_code[std::to_string(code)] = n;
    out["errors_by_code"] = by_code;
    out["first_error"] = first_error;
  }
  std::cout << out.dump() << std::endl;
  if (summary.count == 0) {
    std::cerr << "lims-bench: no call succeeded" << (first_error.empty() ? "" : ": ") << first_error
              << "\n";
    return 1;
  }
  return 0;
}

}  // namespace lims_bench
