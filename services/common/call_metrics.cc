#include "call_metrics.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace lims::services {
namespace {

// The names of grpc::StatusCode's values, as gRPC's documentation spells them.
constexpr const char* kCodeNames[17] = {
    "OK",        "CANCELLED",      "UNKNOWN",           "INVALID_ARGUMENT",   "DEADLINE_EXCEEDED",
    "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
    "ABORTED",   "OUT_OF_RANGE",   "UNIMPLEMENTED",     "INTERNAL",           "UNAVAILABLE",
    "DATA_LOSS", "UNAUTHENTICATED"};

}  // namespace

CallMetrics& CallMetrics::Global() {
  static CallMetrics* const metrics = new CallMetrics();  // never destroyed: used at exit
  return *metrics;
}

void CallMetrics::Finished(const std::string& method, grpc::StatusCode code, double seconds) {
  in_flight_.fetch_sub(1, std::memory_order_relaxed);
  if (method.empty()) return;
  const size_t code_index = std::min<size_t>(static_cast<size_t>(code), 16);
  const size_t bucket = std::lower_bound(kBounds.begin(), kBounds.end(), seconds) - kBounds.begin();
  std::lock_guard<std::mutex> lock(mutex_);
  Method& m = methods_[method];
  ++m.codes[code_index];
  if (bucket < kBounds.size()) ++m.buckets[bucket];
  ++m.count;
  m.sum += seconds;
}

void CallMetrics::Render(PrometheusText& out) const {
  std::map<std::string, Method> methods;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    methods = methods_;
  }
  out.Family("lims_rpc_calls_total", "counter",
             "Calls answered, by method and gRPC status code (both doors).");
  for (const auto& [name, m] : methods) {
    for (size_t code = 0; code < m.codes.size(); ++code) {
      if (m.codes[code] == 0) continue;
      out.Sample("lims_rpc_calls_total", {{"method", name}, {"code", kCodeNames[code]}},
                 static_cast<double>(m.codes[code]));
    }
  }
  out.Family("lims_rpc_duration_seconds", "histogram",
             "Time from a call's arrival at the gate to its answer, by method.");
  for (const auto& [name, m] : methods) {
    uint64_t cumulative = 0;
    for (size_t b = 0; b < kBounds.size(); ++b) {
      cumulative += m.buckets[b];
      out.Sample("lims_rpc_duration_seconds_bucket",
                 {{"method", name}, {"le", absl::StrCat(kBounds[b])}},
                 static_cast<double>(cumulative));
    }
    out.Sample("lims_rpc_duration_seconds_bucket", {{"method", name}, {"le", "+Inf"}},
               static_cast<double>(m.count));
    out.Sample("lims_rpc_duration_seconds_sum", {{"method", name}}, m.sum);
    out.Sample("lims_rpc_duration_seconds_count", {{"method", name}}, static_cast<double>(m.count));
  }
  out.Family("lims_rpc_in_flight", "gauge", "Calls being answered now.");
  out.Sample("lims_rpc_in_flight", static_cast<double>(in_flight_.load()));
}

}  // namespace lims::services
