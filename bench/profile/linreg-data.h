// What the linear-regression profiles (linreg-floor, -alignment, -structure, -threads) time: a 32-column f32
// X on a 64-byte boundary, as the library allocates it, with 4 readable floats past its end
// (so the same values 16 bytes further on can be timed too), y and w from one seeded
// generator; the <calls> argument of those that take only that; and the median they report.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "../../native/src/kernel_api.h"

namespace adam_simd {
namespace profile {

struct LinregData {
  static constexpr std::size_t cols = 32;
  std::size_t rows;
  std::vector<float> buffer, y, w, grad;
  float* x;  // rows · cols elements (+ 4), at a 64-byte boundary inside buffer
  float grad_bias = 0.0f;

  explicit LinregData(std::size_t row_count)
      : rows(row_count), buffer(row_count * cols + 16 + 4), y(row_count), w(cols), grad(cols) {
    x = reinterpret_cast<float*>((reinterpret_cast<std::uintptr_t>(buffer.data()) + 63) / 64 * 64);
    std::uint32_t state = 1;
    const auto next = [&] {
      state = state * 1664525u + 1013904223u;
      return float(state >> 8) / 16777216.0f - 0.5f;
    };
    for (std::size_t i = 0; i < rows * cols + 4; ++i) x[i] = next();
    for (float& v : y) v = next();
    for (float& v : w) v = next();
  }

  std::size_t elements() const { return rows * cols; }

  // The MSE problem over `data` (x, or a view of the same buffer).
  LinregProblem<float> problem(const float* data) {
    return {data, rows, cols, y.data(), w.data(), 0.25f, LinregLoss::Mse, 1.0f, grad.data(), &grad_bias, nullptr};
  }
};

// The one argument, <calls>, of a profile that takes nothing else; exits with the usage otherwise.
inline int calls_argument(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s <calls>\n", argv[0]);
    std::exit(2);
  }
  return std::atoi(argv[1]);
}

inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace profile
}  // namespace adam_simd
