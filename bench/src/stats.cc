#include "stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace lims_bench {
namespace {

double Percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = static_cast<double>(sorted.size());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * n));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1000.0;
}

}  // namespace

LatencySummary Summarize(std::vector<std::int64_t>& latencies_ns) {
  LatencySummary s;
  if (latencies_ns.empty()) return s;
  std::sort(latencies_ns.begin(), latencies_ns.end());
  s.count = static_cast<std::int64_t>(latencies_ns.size());
  const double total = std::accumulate(latencies_ns.begin(), latencies_ns.end(), 0.0);
  s.mean_us = total / static_cast<double>(s.count) / 1000.0;
  s.p50_us = Percentile(latencies_ns, 50);
  s.p90_us = Percentile(latencies_ns, 90);
  s.p99_us = Percentile(latencies_ns, 99);
  s.max_us = static_cast<double>(latencies_ns.back()) / 1000.0;
  return s;
}

}  // namespace lims_bench
