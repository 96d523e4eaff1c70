#include "rack_codes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <utility>

namespace lims::scanning {
namespace {

// The node nearest a picture point, and how far from it (in local pitches).
std::pair<IndexedPoint, double> NearestNode(const LatticeMap& map, Vec2 at) {
  const Vec2 f = map.IndicesOf(at);
  const int i = static_cast<int>(std::lround(f.x)), j = static_cast<int>(std::lround(f.y));
  return {{i, j, at}, Length(map.At(i, j) - at) / map.PitchAt(i, j)};
}

}  // namespace

std::optional<Vec2> CodesPhase(const CoarseLattice& lattice, const std::vector<Code>& codes,
                               double least_agreement) {
  std::vector<const Code*> near;
  for (const Code& c : codes) near.push_back(&c);
  std::sort(near.begin(), near.end(), [&](const Code* x, const Code* y) {
    return Length(x->symbol.centre - lattice.origin) < Length(y->symbol.centre - lattice.origin);
  });
  near.resize(std::min<size_t>(near.size(), 12));
  if (near.empty()) return std::nullopt;
  const LatticeMap coarse = LatticeMap::Affine(lattice.origin, lattice.step_i, lattice.step_j);
  double su = 0, cu = 0, sv = 0, cv = 0;
  for (const Code* c : near) {
    const Vec2 f = coarse.IndicesOf(c->symbol.centre);
    su += std::sin(2 * kPi * f.x), cu += std::cos(2 * kPi * f.x);
    sv += std::sin(2 * kPi * f.y), cv += std::cos(2 * kPi * f.y);
  }
  const double n = static_cast<double>(near.size());
  if (std::hypot(su, cu) < least_agreement * n || std::hypot(sv, cv) < least_agreement * n) {
    return std::nullopt;
  }
  return Vec2{std::atan2(su, cu) / (2 * kPi), std::atan2(sv, cv) / (2 * kPi)};
}

// The texture can repeat at half or twice the wells' pitch (tube rims, rows of modules, blur)
// and pass for the lattice; the codes cannot: no two codes are closer than one pitch, and
// every code sits at a well. Between nearby codes: when every step along an axis is an even
// number of lattice steps, the true step there is twice as long; when a third or more are a
// whole number and a half, it is half as long.
void StepsFromCodes(CoarseLattice& lattice, const std::vector<Code>& codes) {
  const LatticeMap coarse = LatticeMap::Affine({0, 0}, lattice.step_i, lattice.step_j);
  std::array<int, 2> across{}, odd{}, halves{};
  for (size_t a = 0; a < codes.size(); ++a) {
    for (size_t b = a + 1; b < codes.size(); ++b) {
      const Vec2 d = coarse.IndicesOf(codes[b].symbol.centre - codes[a].symbol.centre);
      if (std::abs(d.x) > 3.5 || std::abs(d.y) > 3.5) continue;  // near pairs: little drift
      for (int axis = 0; axis < 2; ++axis) {
        const double steps = axis == 0 ? d.x : d.y;
        const long whole = std::lround(steps);
        const double fraction = std::abs(steps - whole);
        if (fraction > 0.35) {
          ++halves[axis];
        } else if (whole != 0) {
          ++across[axis];
          odd[axis] += whole % 2 != 0;
        }
      }
    }
  }
  for (int axis = 0; axis < 2; ++axis) {
    Vec2& step = axis == 0 ? lattice.step_i : lattice.step_j;
    if (halves[axis] >= 3 && 3 * halves[axis] >= across[axis]) {
      step = 0.5 * step;
    } else if (across[axis] >= 6 && odd[axis] == 0) {
      step = 2.0 * step;
    }
  }
  lattice.pitch = (Length(lattice.step_i) + Length(lattice.step_j)) / 2;
}

// How well the offsets `u` (in steps of one axis) are whole multiples of 1 / alpha: the mean
// of cos(2 pi alpha u), 1 when every one is.
double Commensurability(const std::vector<double>& u, double alpha) {
  double sum = 0;
  for (double v : u) sum += std::cos(2 * kPi * alpha * v);
  return sum / static_cast<double>(u.size());
}

void ScaleStepsToCodes(CoarseLattice& lattice, const std::vector<Code>& codes) {
  // The codes nearest the lattice's origin: enough pairs to decide, few enough to be quick.
  std::vector<Vec2> centres;
  for (const Code& c : codes) centres.push_back(c.symbol.centre);
  std::sort(centres.begin(), centres.end(), [&](Vec2 x, Vec2 y) {
    return Length(x - lattice.origin) < Length(y - lattice.origin);
  });
  centres.resize(std::min<size_t>(centres.size(), 32));
  const LatticeMap coarse = LatticeMap::Affine({0, 0}, lattice.step_i, lattice.step_j);
  for (int axis = 0; axis < 2; ++axis) {
    std::vector<double> offsets;
    for (size_t a = 0; a < centres.size(); ++a) {
      for (size_t b = a + 1; b < centres.size(); ++b) {
        const Vec2 d = coarse.IndicesOf(centres[b] - centres[a]);
        if (std::abs(d.x) > 4.5 || std::abs(d.y) > 4.5) continue;  // near pairs: little drift
        const double u = axis == 0 ? d.x : d.y;
        if (std::abs(u) > 0.25) offsets.push_back(u);  // not in one line across this axis
      }
    }
    if (offsets.size() < 8) continue;
    // The scale (coarse steps per well, as 1 / alpha) that makes the offsets whole; the longest
    // step that does, so that the finer lattices every true one also fits are not taken.
    double best = 0;
    std::vector<std::pair<double, double>> scores;
    for (double alpha = 0.4; alpha <= 2.6; alpha += 0.004) {
      scores.push_back({alpha, Commensurability(offsets, alpha)});
      best = std::max(best, scores.back().second);
    }
    if (best < 0.8) continue;  // the codes agree on no spacing: left to the fit to refuse
    double alpha = 1;
    for (auto [candidate, score] : scores) {
      if (score >= 0.9 * best) {
        alpha = candidate;
        // To the top of this peak.
        for (auto [next, next_score] : scores) {
          if (next > candidate && next < candidate + 0.1 && next_score > score) {
            alpha = next, score = next_score;
          }
        }
        break;
      }
    }
    if (std::abs(alpha - 1) < 0.06) continue;
    Vec2& step = axis == 0 ? lattice.step_i : lattice.step_j;
    step = (1 / alpha) * step;
  }
  lattice.pitch = (Length(lattice.step_i) + Length(lattice.step_j)) / 2;
}

// The lattice fitted to the codes' centres, growing outwards from the picture's centre so
// that the coarse lattice's small error never adds up to a whole well.
LatticeMap FitToCodes(const CoarseLattice& lattice, const std::vector<Code>& codes) {
  const Vec2 phase = CodesPhase(lattice, codes, 0).value_or(Vec2{});
  LatticeMap map =
      LatticeMap::Affine(lattice.origin + phase.x * lattice.step_i + phase.y * lattice.step_j,
                         lattice.step_i, lattice.step_j);
  double farthest = 0;
  for (const Code& c : codes) farthest = std::max(farthest, Length(c.symbol.centre - lattice.origin));
  for (double radius = 2.6 * lattice.pitch;; radius *= 1.5) {
    std::vector<IndexedPoint> points;
    for (const Code& c : codes) {
      if (Length(c.symbol.centre - lattice.origin) > radius) continue;
      auto [node, offset] = NearestNode(map, c.symbol.centre);
      if (offset <= 0.35) points.push_back(node);
    }
    for (int round = 0; round < 2 && points.size() >= 3; ++round) {
      auto fitted = LatticeMap::Fit(points);
      if (!fitted) break;
      map = *fitted;
      points.erase(std::remove_if(points.begin(), points.end(),
                                  [&](const IndexedPoint& p) {
                                    return Length(map.At(p.i, p.j) - p.at) >
                                           kMaxCodeOffset * map.PitchAt(p.i, p.j);
                                  }),
                   points.end());
    }
    if (radius > farthest) break;
  }
  return map;
}

// Each code to its node when it sits at the node's centre and no other code claims the node.
void AssignCodes(const LatticeMap& map, std::vector<Code>& codes) {
  std::map<std::pair<int, int>, std::vector<Code*>> by_node;
  for (Code& c : codes) {
    auto [node, offset] = NearestNode(map, c.symbol.centre);
    c.i = node.i;
    c.j = node.j;
    c.assigned = offset <= kMaxCodeOffset;
    if (!c.assigned) {
      c.reason = "its centre lies between wells";
    } else {
      by_node[{c.i, c.j}].push_back(&c);
    }
  }
  for (auto& [node, claims] : by_node) {
    if (claims.size() < 2) continue;
    for (Code* c : claims) c->assigned = false, c->reason = "two codes in one well";
  }
  // One code in two wells: a duplicated label or a misread, for a person to look at.
  std::map<std::string, std::vector<Code*>> by_text;
  for (Code& c : codes) {
    if (c.assigned) by_text[c.symbol.text].push_back(&c);
  }
  for (auto& [text, claims] : by_text) {
    if (claims.size() < 2) continue;
    for (Code* c : claims) c->assigned = false, c->reason = "the same code in two wells";
  }
}

}  // namespace lims::scanning
