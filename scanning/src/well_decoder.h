// One tube's DataMatrix decoded from a crop of the picture around where its well should be,
// with the attempts a hard picture needs (another binarizer, an enlarged and sharpened copy for
// tiny modules, a blurred one for dot-like modules, one turned so that the symbol's edges lie
// along its axes, where ZXing-cpp 1.4's detector misses many symbols lying aslant, and on a
// reduced picture the same at its own resolution, for dense symbols), each also inverted for
// light codes on dark tubes, cheapest and most successful first. Internal to the rack reader.
#ifndef LIMS_SCANNING_WELL_DECODER_H_
#define LIMS_SCANNING_WELL_DECODER_H_

#include <array>
#include <optional>
#include <string>

#include "geometry.h"
#include "lims/scanning/image.h"

namespace lims::scanning {

struct DecodedSymbol {
  std::string text;
  Vec2 centre;            // full-picture pixels
  double side = 0;        // the symbol's mean side, pixels
  bool mirrored = false;  // read mirror-wise: the picture is the other view
  bool inverted = false;  // light modules on a dark ground
};

struct WellCrop;

class WellDecoder {
 public:
  // `pitch`: the wells' spacing in pixels, which sizes the crops.
  WellDecoder(const GrayImage& image, double pitch);

  // The symbol in a crop of +-`reach` pitches around `centre`; `thorough` tries every
  // attempt, otherwise only the one that has worked most often so far.
  std::optional<DecodedSymbol> Decode(Vec2 centre, double reach, bool thorough);

  const GrayImage& image() const { return image_; }

 private:
  // Ways of preparing a crop for the decoder (blurred: dot-like modules joined), each tried on
  // the crop as it is and inverted (light codes on dark tubes): 2 * kAttempts ways in all.
  // kFullTurned: turned at the picture's own resolution when it was reduced (dense symbols).
  enum Attempt { kPlain, kGlobal, kEnlarged, kBlurred, kTurned, kFullTurned, kAttempts };
  static constexpr int kWays = 2 * kAttempts;
  // The picture's pixels around a well, reduced by shrink_ (x0 and y0 multiples of it) or
  // at the picture's own resolution: the reduced crop is made once per Decode, and every
  // attempt but kFullTurned starts from it.
  WellCrop CropAt(int x0, int y0, int width, int height, bool own_resolution) const;
  std::optional<DecodedSymbol> Try(Attempt attempt, bool inverted, const WellCrop& reduced, int x0,
                                   int y0, int width, int height);

  const GrayImage& image_;
  double pitch_ = 0;
  int shrink_ = 1;  // crops are reduced by this factor: large modules cost time, not accuracy
  GrayImage shrunk_;  // the picture reduced by shrink_, when it is more than 1
  std::array<int, kWays> successes_{};  // by way: attempt, plus kAttempts when inverted
  int thorough_calls_ = 0;
  int fruitless_full_turns_ = 0;  // wells kFullTurned was tried on and read nothing
};

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_WELL_DECODER_H_
