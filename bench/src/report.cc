#include "report.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace lims_bench {
namespace {

struct Run {
  double calls_per_s = 0;
  double p50_us = 0;
  double p99_us = 0;
  std::int64_t errors = 0;
  int runs = 0;  // how many runs this best one was chosen from
};

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Ms(double us) { return Fixed(us / 1000.0, 2); }

}  // namespace

int RunReport(const std::vector<std::string>& files) {
  // label → clients → rpc → best run
  std::map<std::string, std::map<int, std::map<std::string, Run>>> best;
  std::vector<std::string> label_order;
  for (const auto& file : files) {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "lims-bench report: cannot read " << file << "\n";
      return 1;
    }
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] != '{') continue;
      const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) continue;
      const std::string label = j.value("label", "");
      if (!best.count(label)) label_order.push_back(label);
      Run& r = best[label][j.value("clients", 0)][j.value("rpc", "")];
      const double cps = j.value("calls_per_s", 0.0);
      ++r.runs;
      r.errors += j.value("errors", std::int64_t{0});
      if (cps > r.calls_per_s) {
        r.calls_per_s = cps;
        r.p50_us = j.value("p50_us", 0.0);
        r.p99_us = j.value("p99_us", 0.0);
      }
    }
  }
  if (best.empty()) {
    std::cerr << "lims-bench report: no results\n";
    return 1;
  }

  for (const auto& label : label_order) {
    std::cout << "### " << (label.empty() ? "results" : label) << "\n\n"
              << "| clients | echo calls/s | resolve calls/s | throughput ratio | echo p50 / p99 (ms) "
                 "| resolve p50 / p99 (ms) | p99 ratio | target met |\n"
              << "|---:|---:|---:|---:|---:|---:|---:|:---|\n";
    bool errors = false;
    for (const auto& [clients, by_rpc] : best[label]) {
      const auto echo = by_rpc.find("echo");
      const auto resolve = by_rpc.find("resolve");
      if (echo == by_rpc.end() || resolve == by_rpc.end()) continue;
      const Run& e = echo->second;
      const Run& r = resolve->second;
      errors = errors || e.errors > 0 || r.errors > 0;
      const double throughput_ratio = e.calls_per_s > 0 ? r.calls_per_s / e.calls_per_s : 0;
      const double p99_ratio = e.p99_us > 0 ? r.p99_us / e.p99_us : 0;
      const bool throughput_ok = throughput_ratio >= 0.5;
      const bool p99_ok = p99_ratio <= 2.0;
      std::string verdict = "yes";
      if (!throughput_ok && !p99_ok) {
        verdict = "no (throughput and p99)";
      } else if (!throughput_ok) {
        verdict = "no (throughput)";
      } else if (!p99_ok) {
        verdict = "no (p99)";
      }
      std::cout << "| " << clients << " | " << Fixed(e.calls_per_s, 0) << " | "
                << Fixed(r.calls_per_s, 0) << " | " << Fixed(throughput_ratio, 3) << " | "
                << Ms(e.p50_us) << " / " << Ms(e.p99_us) << " | " << Ms(r.p50_us) << " / "
                << Ms(r.p99_us) << " | " << Fixed(p99_ratio, 3) << " | " << verdict << " |\n";
    }
    if (errors) {
      std::cout << "\nSome calls failed in these runs: see the raw results below.\n";
    }
    std::cout << "\n";
  }
  return 0;
}

}  // namespace lims_bench
