// Plane geometry for the rack reader: points and vectors in picture pixels, and the map from a
// well's lattice indices to where its centre lies in the picture. Internal to scanning/.
#ifndef LIMS_SCANNING_GEOMETRY_H_
#define LIMS_SCANNING_GEOMETRY_H_

#include <array>
#include <cmath>
#include <optional>
#include <vector>

namespace lims::scanning {

inline constexpr double kPi = 3.14159265358979323846;

struct Vec2 {
  double x = 0, y = 0;
};
inline Vec2 operator+(Vec2 a, Vec2 b) { return {a.x + b.x, a.y + b.y}; }
inline Vec2 operator-(Vec2 a, Vec2 b) { return {a.x - b.x, a.y - b.y}; }
inline Vec2 operator*(double k, Vec2 a) { return {k * a.x, k * a.y}; }
inline double Dot(Vec2 a, Vec2 b) { return a.x * b.x + a.y * b.y; }
inline double Cross(Vec2 a, Vec2 b) { return a.x * b.y - a.y * b.x; }
inline double Length(Vec2 a) { return std::hypot(a.x, a.y); }

// A lattice node (i, j) and the picture point it was seen at.
struct IndexedPoint {
  int i = 0, j = 0;
  Vec2 at;
};

// Where lattice node (i, j) lies in the picture: a projective map (a homography), so a rack
// seen at a slant is followed as well as one seen straight. Fitted to seen points.
class LatticeMap {
 public:
  // The affine lattice origin + i * step_i + j * step_j.
  static LatticeMap Affine(Vec2 origin, Vec2 step_i, Vec2 step_j);
  // Least squares over `points`: projective with 8 or more points spread over at least 3
  // distinct i and 3 distinct j, otherwise affine (3 or more points not on one line).
  // nullopt when the points cannot determine either.
  static std::optional<LatticeMap> Fit(const std::vector<IndexedPoint>& points);

  Vec2 At(double i, double j) const;
  // The lattice coordinates of a picture point (inverse map).
  Vec2 IndicesOf(Vec2 p) const;
  // One step along i and along j at node (i, j), in pixels.
  Vec2 StepI(double i, double j) const { return At(i + 0.5, j) - At(i - 0.5, j); }
  Vec2 StepJ(double i, double j) const { return At(i, j + 0.5) - At(i, j - 0.5); }
  // The mean of both steps' lengths at (i, j): the local well pitch.
  double PitchAt(double i, double j) const;

 private:
  std::array<double, 9> h_{1, 0, 0, 0, 1, 0, 0, 0, 1};    // (i, j, 1) -> (x, y, w)
  std::array<double, 9> inv_{1, 0, 0, 0, 1, 0, 0, 0, 1};  // its inverse
  void Invert();
};

}  // namespace lims::scanning

#endif  // LIMS_SCANNING_GEOMETRY_H_
