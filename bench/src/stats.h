// Latency summaries for the load generator.
#pragma once

#include <cstdint>
#include <vector>

namespace lims_bench {

struct LatencySummary {
  std::int64_t count = 0;
  double mean_us = 0;
  double p50_us = 0;
  double p90_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

// Summarises latencies given in nanoseconds (sorts them in place). Percentiles are nearest-rank:
// p99 is the smallest latency that at least 99 % of the calls did not exceed.
LatencySummary Summarize(std::vector<std::int64_t>& latencies_ns);

}  // namespace lims_bench
