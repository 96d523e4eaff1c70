// Fuzz target: SPREC codes (ParseSprec / SprecCode::ToString in lims/core/sprec.h).
// Input: any bytes, read (1) as a typed SPREC code and (2) as a delay in minutes.
// Properties:
//  - an accepted code formats to its canonical spelling, which parses to the same code and
//    formats identically again (idempotent); it is the input trimmed and upper-cased;
//  - a refused code is InvalidArgument with the input quoted in the message;
//  - the pre-centrifugation element of any non-negative delay is one of A..N, the room and
//    refrigerated letters are neighbours (A/B, C/D, ...), and a longer delay never gets an
//    earlier letter.
// fuzz-options: -max_len=64
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.h"
#include "lims/core/sprec.h"

namespace {
using lims::fuzz::Escaped;

std::string TrimmedUpper(const std::string& s) {
  size_t b = 0, e = s.size();
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; };
  while (b < e && space(s[b])) ++b;
  while (e > b && space(s[e - 1])) --e;
  return lims::fuzz::Upper(s.substr(b, e - b));
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto code = lims::ParseSprec(text);
  if (code.ok()) {
    const std::string canonical = code->ToString();
    FUZZ_CHECK(canonical == TrimmedUpper(text), Escaped(text) + " -> " + Escaped(canonical));
    const auto again = lims::ParseSprec(canonical);
    FUZZ_CHECK(again.ok() && again->ToString() == canonical, Escaped(canonical) + " does not round-trip");
  } else {
    FUZZ_CHECK(code.status().code() == absl::StatusCode::kInvalidArgument, code.status().ToString());
  }

  lims::fuzz::ByteReader bytes(data, size);
  const int64_t minutes = bytes.U32() % (60 * 24 * 30);
  const auto room = lims::PreCentrifugationElement(absl::Minutes(minutes), lims::HoldingTemperature::kRoom);
  const auto cold = lims::PreCentrifugationElement(absl::Minutes(minutes), lims::HoldingTemperature::kRefrigerated);
  const auto later = lims::PreCentrifugationElement(absl::Minutes(minutes + 1), lims::HoldingTemperature::kRoom);
  FUZZ_CHECK(room.ok() && cold.ok() && later.ok(), "delay " + std::to_string(minutes) + " min refused");
  FUZZ_CHECK(*room >= 'A' && *room <= 'M' && (*room - 'A') % 2 == 0 && *cold == *room + 1,
             "delay " + std::to_string(minutes) + " min: room " + std::string(1, *room) + ", cold " + std::string(1, *cold));
  FUZZ_CHECK(*later >= *room, "a longer delay got an earlier letter at " + std::to_string(minutes) + " min");
  return 0;
}
