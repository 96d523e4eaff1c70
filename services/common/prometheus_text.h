// The Prometheus text exposition format (version 0.0.4) written by hand: a HELP and a TYPE line
// once per metric family, then its samples, label values escaped. Small enough not to need a
// client library (Debian has none for C++).
#ifndef LIMS_SERVICES_COMMON_PROMETHEUS_TEXT_H_
#define LIMS_SERVICES_COMMON_PROMETHEUS_TEXT_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lims::services {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class PrometheusText {
 public:
  // `type`: "counter", "gauge" or "histogram". Counters' names end in "_total".
  void Family(std::string_view name, std::string_view type, std::string_view help);
  void Sample(std::string_view name, const MetricLabels& labels, double value);
  void Sample(std::string_view name, double value) { Sample(name, {}, value); }

  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

}  // namespace lims::services

#endif  // LIMS_SERVICES_COMMON_PROMETHEUS_TEXT_H_
