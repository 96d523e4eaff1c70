// What /metrics says of the calls this process answered, counted by the gate's call log as each
// call ends (both doors pass it): calls by method and status code, a latency histogram by
// method, calls in flight. Process-wide, cheap (one short lock per call), never a query.
#ifndef LIMS_SERVICES_COMMON_CALL_METRICS_H_
#define LIMS_SERVICES_COMMON_CALL_METRICS_H_

#include <grpcpp/support/status.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "prometheus_text.h"

namespace lims::services {

class CallMetrics {
 public:
  // The one instance of the process.
  static CallMetrics& Global();

  void Started() { in_flight_.fetch_add(1, std::memory_order_relaxed); }
  // `method`: the full name, e.g. "lims.v1.SampleService.ResolveBarcode"; empty: the call
  // only leaves the in-flight count (it is counted by a later step).
  void Finished(const std::string& method, grpc::StatusCode code, double seconds);

  // lims_rpc_calls_total, lims_rpc_duration_seconds, lims_rpc_in_flight.
  void Render(PrometheusText& out) const;

  // Latency bucket bounds in seconds (the last bucket, +Inf, is implicit).
  static constexpr std::array<double, 14> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                     0.25,  0.5,    1,     2.5,  5,     10,   30};

 private:
  struct Method {
    std::array<uint64_t, 17> codes{};                // by grpc::StatusCode
    std::array<uint64_t, kBounds.size()> buckets{};  // not cumulative; summed when rendered
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::string, Method> methods_;  // sorted: a stable /metrics page
  std::atomic<int64_t> in_flight_{0};
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_CALL_METRICS_H_
