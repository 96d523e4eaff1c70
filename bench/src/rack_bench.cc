// lims-rack-bench: 96-tube rack pictures at three difficulty levels (tests/support/
// rack_picture.h, known truth), read by the rack reader into wells, next to the baseline
// measured in the same process on the same pictures: plain ZXing-cpp ReadBarcodes over the
// whole picture. Tubes read / tubes present, wrong assignments (the reader) or misreads (the
// baseline, which assigns nothing), and milliseconds per picture. Prints a Markdown table;
// bench/racks.sh writes it to docs/benchmarks-racks.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "lims/scanning/image.h"
#include "lims/scanning/rack_reader.h"
#include "rack_picture.h"

// text() as UTF-8 (ZXing-cpp 1.4 otherwise answers std::wstring).
#define ZX_USE_UTF8 1
#include "ZXing/ReadBarcode.h"

namespace {

constexpr int kPicturesPerLevel = 12;

struct Level {
  const char* name;
  const char* description;
  double max_skew, blur, noise, light;
  int frosted;
};

constexpr Level kLevels[] = {
    {"easy", "straight (A1 top-left), skew up to 1°, slight blur (σ 0.5 px), noise σ 2",
     1, 0.5, 2, 0.1, 0},
    {"medium", "turned 0/90/180/270°, skew up to 4°, blur σ 0.8 px, noise σ 5, light −30% across",
     4, 0.8, 5, 0.3, 0},
    {"hard", "turned 0/90/180/270°, skew up to 6°, blur σ 1.1 px, noise σ 9, light −50% across, "
             "4 frosted tubes",
     6, 1.1, 9, 0.5, 4},
};

struct Tally {
  int present = 0, read = 0, wrong = 0;
  std::vector<double> ms;
  double Median() {
    std::sort(ms.begin(), ms.end());
    return ms.empty() ? 0 : ms[ms.size() / 2];
  }
  double Max() const { return ms.empty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

double MsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main() {
  std::printf("| level | pictures | tubes present (readable) | reader: read | reader: wrong wells "
              "| reader ms median / max | with PNG decode, max ms | baseline: read | baseline: "
              "misreads | baseline ms median / max |\n");
  std::printf("|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  bool target_met = true;
  uint32_t seed = 1;
  for (const Level& level : kLevels) {
    std::mt19937 random(seed * 7919);
    Tally reader, baseline;
    std::vector<double> png_ms;
    double worst_total = 0;
    int pictures_failed = 0;
    for (int p = 0; p < kPicturesPerLevel; ++p, ++seed) {
      lims::testing::RackPictureSpec spec;
      spec.codes = lims::testing::TubeCodes(96, seed);
      spec.seed = seed;
      spec.rotation_degrees = level.max_skew > 1 ? 90 * (p % 4) : 0;
      spec.skew_degrees = std::uniform_real_distribution<double>(-level.max_skew, level.max_skew)(random);
      spec.blur_sigma_px = level.blur;
      spec.noise_sd = level.noise;
      spec.light_falloff = level.light;
      for (int f = 0; f < level.frosted; ++f) spec.frosted.push_back((f * 37 + p) % 96);
      const std::string png = lims::testing::EncodePng(lims::testing::DrawRack(spec));
      auto start = std::chrono::steady_clock::now();
      auto image = lims::scanning::DecodeImage(png);
      png_ms.push_back(MsSince(start));
      if (!image.ok()) return 1;
      const std::set<std::string> truth(spec.codes.begin(), spec.codes.end());
      reader.present += 96;
      baseline.present += 96;

      start = std::chrono::steady_clock::now();
      auto reading = lims::scanning::ReadRack(*image, {8, 12, false});
      reader.ms.push_back(MsSince(start));
      worst_total = std::max(worst_total, reader.ms.back() + png_ms.back());
      if (!reading.ok()) {
        ++pictures_failed;
      } else {
        for (int w = 0; w < 96; ++w) {
          const auto& well = reading->wells[w];
          if (well.content != lims::scanning::WellContent::kCode) continue;
          if (well.text == spec.codes[w]) {
            ++reader.read;
          } else {
            ++reader.wrong;
          }
        }
      }

      const ZXing::ImageView view(image->pixels.data(), image->width, image->height,
                                  ZXing::ImageFormat::Lum);
      ZXing::DecodeHints hints;
      hints.setFormats(ZXing::BarcodeFormat::DataMatrix);
      hints.setTryHarder(true);
      hints.setTryRotate(true);
      start = std::chrono::steady_clock::now();
      const ZXing::Results results = ZXing::ReadBarcodes(view, hints);
      baseline.ms.push_back(MsSince(start));
      std::set<std::string> found;
      for (const ZXing::Result& r : results) {
        if (!r.isValid()) continue;
        if (truth.count(r.text())) {
          found.insert(r.text());
        } else {
          ++baseline.wrong;
        }
      }
      baseline.read += static_cast<int>(found.size());
    }
    const int readable = reader.present - level.frosted * kPicturesPerLevel;
    const double reader_rate = double(reader.read) / reader.present;
    const double baseline_rate = double(baseline.read) / baseline.present;
    target_met = target_met && reader_rate >= baseline_rate && reader.wrong == 0 &&
                 worst_total < 300 && pictures_failed == 0;
    std::printf("| %s | %d%s | %d (%d) | %d (%.1f%%) | %d | %.1f / %.1f | %.1f | %d (%.1f%%) | %d "
                "| %.1f / %.1f |\n",
                level.name, kPicturesPerLevel,
                pictures_failed ? absl::StrFormat(" (%d refused)", pictures_failed).c_str() : "",
                reader.present, readable, reader.read, 100 * reader_rate, reader.wrong,
                reader.Median(), reader.Max(), worst_total, baseline.read, 100 * baseline_rate,
                baseline.wrong, baseline.Median(), baseline.Max());
  }
  std::printf("\nLevels:\n\n");
  for (const Level& level : kLevels) std::printf("- **%s**: %s.\n", level.name, level.description);
  std::printf("\nTarget (at least the baseline's read rate on every level, no wrong well, under "
              "300 ms a picture including its PNG decoding): **%s**.\n",
              target_met ? "met" : "not met");
  return 0;
}
