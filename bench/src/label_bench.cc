// lims-label-bench: how long rendering a rack's worth of cryotube labels takes, to ZPL and to
// PNG, at 203/300/600 dpi, next to a baseline measured in the same process: ZXing-cpp encoding
// the same 96 DataMatrix symbols and nothing else (the least any label renderer must do).
// Prints a Markdown table; bench/labels.sh writes it to docs/benchmarks-labels.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "ZXing/BitMatrix.h"
#include "ZXing/MultiFormatWriter.h"
#include "absl/strings/str_format.h"
#include "lims/labels/label_layout.h"
#include "lims/labels/label_png.h"
#include "lims/labels/label_template.h"
#include "lims/labels/zpl.h"

namespace {

constexpr int kLabels = 96;
constexpr int kRepeats = 15;

std::vector<lims::labels::LabelValues> RackOfTubes() {
  std::vector<lims::labels::LabelValues> out;
  for (int i = 0; i < kLabels; ++i) {
    out.push_back({{"barcode", absl::StrFormat("PSL26-%06d-K", 1000 + i)},
                   {"sample_type", "SER"},
                   {"sample_type_name", "Sérum"},
                   {"quantity", "0.5 mL"},
                   {"patient_registry_id", absl::StrFormat("MATHEC-%04d", i / 4)},
                   {"protocol_code", "CART-SLE"},
                   {"timepoint_code", "M3"},
                   {"collected_date", "2026-04-16"},
                   {"site_code", "PSL"},
                   {"sprec", "SER-SST-A-X-X-X-X"}});
  }
  return out;
}

// Best of kRepeats runs of `work` (milliseconds): the least disturbed by other work here.
double BestMs(const std::function<size_t()>& work, size_t* bytes) {
  double best = 1e100;
  for (int r = 0; r < kRepeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    *bytes = work();
    const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
    best = std::min(best, took.count());
  }
  return best;
}

}  // namespace

int main() {
  const auto tubes = RackOfTubes();
  auto cryotube = lims::labels::TemplateLibrary().Find("cryotube");
  if (!cryotube.ok()) {
    std::fprintf(stderr, "lims-label-bench: %s\n", std::string(cryotube.status().message()).c_str());
    return 1;
  }
  size_t bytes = 0;
  const double baseline = BestMs(
      [&] {
        size_t cells = 0;
        for (const auto& v : tubes) {
          auto m = ZXing::MultiFormatWriter(ZXing::BarcodeFormat::DataMatrix)
                       .setMargin(0)
                       .encode(v.at("barcode"), 0, 0);
          cells += static_cast<size_t>(m.width() * m.height());
        }
        return cells;
      },
      &bytes);
  std::printf("| what (96 cryotube labels) | dpi | best of %d (ms) | per label (ms) | ratio to baseline | output |\n",
              kRepeats);
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  std::printf("| baseline: ZXing-cpp encodes the 96 DataMatrix symbols | – | %.2f | %.3f | 1.0 | – |\n",
              baseline, baseline / kLabels);
  for (int dpi : {203, 300, 600}) {
    const double zpl_ms = BestMs(
        [&] {
          std::string job;
          for (const auto& v : tubes) {
            job += lims::labels::LabelToZpl(*lims::labels::LayOutLabel(*cryotube, v, dpi), 1);
          }
          return job.size();
        },
        &bytes);
    std::printf("| ZPL (layout + ZPL text, one job) | %d | %.2f | %.3f | %.1f | %zu bytes |\n", dpi,
                zpl_ms, zpl_ms / kLabels, zpl_ms / baseline, bytes);
  }
  for (int dpi : {203, 300, 600}) {
    const double png_ms = BestMs(
        [&] {
          size_t total = 0;
          for (const auto& v : tubes) {
            total += lims::labels::LabelToPng(*lims::labels::LayOutLabel(*cryotube, v, dpi))->size();
          }
          return total;
        },
        &bytes);
    std::printf("| PNG previews (layout + drawing + PNG encoding) | %d | %.2f | %.3f | %.1f | %zu bytes |\n",
                dpi, png_ms, png_ms / kLabels, png_ms / baseline, bytes);
  }
  return 0;
}
