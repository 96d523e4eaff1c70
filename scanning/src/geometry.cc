#include "geometry.h"

#include <algorithm>
#include <set>

namespace lims::scanning {
namespace {

// Solves the n x n system a * x = b in place (Gaussian elimination with partial pivoting);
// false when it is singular.
bool Solve(std::vector<std::vector<double>>& a, std::vector<double>& b) {
  const size_t n = b.size();
  for (size_t col = 0; col < n; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < n; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    }
    if (std::abs(a[pivot][col]) < 1e-12) return false;
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    for (size_t r = 0; r < n; ++r) {
      if (r == col) continue;
      const double k = a[r][col] / a[col][col];
      for (size_t c = col; c < n; ++c) a[r][c] -= k * a[col][c];
      b[r] -= k * b[col];
    }
  }
  for (size_t r = 0; r < n; ++r) b[r] /= a[r][r];
  return true;
}

// Least squares: rows of (coefficients, value) -> the unknowns, through the normal equations.
bool LeastSquares(const std::vector<std::vector<double>>& rows, const std::vector<double>& values,
                  std::vector<double>* unknowns) {
  const size_t n = rows.front().size();
  std::vector<std::vector<double>> ata(n, std::vector<double>(n, 0));
  std::vector<double> atb(n, 0);
  for (size_t r = 0; r < rows.size(); ++r) {
    for (size_t p = 0; p < n; ++p) {
      atb[p] += rows[r][p] * values[r];
      for (size_t q = 0; q < n; ++q) ata[p][q] += rows[r][p] * rows[r][q];
    }
  }
  if (!Solve(ata, atb)) return false;
  *unknowns = std::move(atb);
  return true;
}

size_t Distinct(const std::vector<IndexedPoint>& points, bool along_i) {
  std::set<int> seen;
  for (const IndexedPoint& p : points) seen.insert(along_i ? p.i : p.j);
  return seen.size();
}

}  // namespace

LatticeMap LatticeMap::Affine(Vec2 origin, Vec2 step_i, Vec2 step_j) {
  LatticeMap m;
  m.h_ = {step_i.x, step_j.x, origin.x, step_i.y, step_j.y, origin.y, 0, 0, 1};
  m.Invert();
  return m;
}

std::optional<LatticeMap> LatticeMap::Fit(const std::vector<IndexedPoint>& points) {
  if (points.size() < 3 || Distinct(points, true) < 2 || Distinct(points, false) < 2) {
    return std::nullopt;
  }
  // Pixels centred and scaled, so that the normal equations stay well conditioned.
  Vec2 mean{0, 0};
  for (const IndexedPoint& p : points) mean = mean + (1.0 / points.size()) * p.at;
  double spread = 0;
  for (const IndexedPoint& p : points) spread = std::max(spread, Length(p.at - mean));
  const double s = spread > 0 ? 1 / spread : 1;
  LatticeMap m;
  const bool projective =
      points.size() >= 8 && Distinct(points, true) >= 3 && Distinct(points, false) >= 3;
  std::vector<std::vector<double>> rows;
  std::vector<double> values;
  std::vector<double> h;
  if (projective) {
    for (const IndexedPoint& p : points) {
      const double x = s * (p.at.x - mean.x), y = s * (p.at.y - mean.y);
      rows.push_back({double(p.i), double(p.j), 1, 0, 0, 0, -x * p.i, -x * p.j});
      values.push_back(x);
      rows.push_back({0, 0, 0, double(p.i), double(p.j), 1, -y * p.i, -y * p.j});
      values.push_back(y);
    }
    if (!LeastSquares(rows, values, &h)) return std::nullopt;
    h.push_back(1);
  } else {
    for (const IndexedPoint& p : points) rows.push_back({double(p.i), double(p.j), 1});
    std::vector<double> hx, hy;
    for (const IndexedPoint& p : points) values.push_back(s * (p.at.x - mean.x));
    if (!LeastSquares(rows, values, &hx)) return std::nullopt;
    values.clear();
    for (const IndexedPoint& p : points) values.push_back(s * (p.at.y - mean.y));
    if (!LeastSquares(rows, values, &hy)) return std::nullopt;
    h = {hx[0], hx[1], hx[2], hy[0], hy[1], hy[2], 0, 0, 1};
  }
  // Undo the normalisation: x = mean + (normalised x) / s.
  for (int c = 0; c < 3; ++c) {
    m.h_[c] = h[c] / s + mean.x * h[6 + c];
    m.h_[3 + c] = h[3 + c] / s + mean.y * h[6 + c];
    m.h_[6 + c] = h[6 + c];
  }
  m.Invert();
  return m;
}

void LatticeMap::Invert() {
  const auto& a = h_;
  const double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
                     a[2] * (a[3] * a[7] - a[4] * a[6]);
  const double k = std::abs(det) > 1e-300 ? 1 / det : 0;
  inv_ = {k * (a[4] * a[8] - a[5] * a[7]), k * (a[2] * a[7] - a[1] * a[8]),
          k * (a[1] * a[5] - a[2] * a[4]), k * (a[5] * a[6] - a[3] * a[8]),
          k * (a[0] * a[8] - a[2] * a[6]), k * (a[2] * a[3] - a[0] * a[5]),
          k * (a[3] * a[7] - a[4] * a[6]), k * (a[1] * a[6] - a[0] * a[7]),
          k * (a[0] * a[4] - a[1] * a[3])};
}

Vec2 LatticeMap::At(double i, double j) const {
  const double w = h_[6] * i + h_[7] * j + h_[8];
  return {(h_[0] * i + h_[1] * j + h_[2]) / w, (h_[3] * i + h_[4] * j + h_[5]) / w};
}

Vec2 LatticeMap::IndicesOf(Vec2 p) const {
  const double w = inv_[6] * p.x + inv_[7] * p.y + inv_[8];
  return {(inv_[0] * p.x + inv_[1] * p.y + inv_[2]) / w,
          (inv_[3] * p.x + inv_[4] * p.y + inv_[5]) / w};
}

double LatticeMap::PitchAt(double i, double j) const {
  return (Length(StepI(i, j)) + Length(StepJ(i, j))) / 2;
}

}  // namespace lims::scanning
