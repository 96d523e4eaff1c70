// Turns load results (JSON lines from `lims-bench load`) into the Markdown tables of
// docs/benchmarks.md.
#pragma once

#include <string>
#include <vector>

namespace lims_bench {

// For each label (backend) and client count, takes the best echo and the best resolve run (by
// throughput; latencies from that same run), and prints a table with the ratios and whether the
// DESIGN §10 target is met. Returns the process exit code.
int RunReport(const std::vector<std::string>& files);

}  // namespace lims_bench
