// The float64 transcendental functions of the network kernels (native/NUMERICS.md, "Neural
// networks"), from + − × ÷, floor and exact powers of two: std::exp and Math.exp may differ
// in the last bit, these cannot. lib/reference/mlp-math.ts is the TypeScript copy. In each
// ISA's namespace, and in mlp.cpp's own.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

constexpr double kMlpLog2e = 1.4426950408889634;
constexpr double kMlpLn2Hi = 0.6931471803691238;
constexpr double kMlpLn2Lo = 1.9082149292705877e-10;
constexpr double kMlpHalfLn2 = 0.34657359027997264;

// 2ⁿ from its bits: exact for the normal exponents exp64 produces.
inline double mlp_pow2(double n) {
  const std::int64_t bits = (static_cast<std::int64_t>(n) + 1023) << 52;
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

inline double mlp_expm1_core(double r) {
  double p = 1.0 / 6227020800.0;
  p = 1.0 / 479001600.0 + r * p;
  p = 1.0 / 39916800.0 + r * p;
  p = 1.0 / 3628800.0 + r * p;
  p = 1.0 / 362880.0 + r * p;
  p = 1.0 / 40320.0 + r * p;
  p = 1.0 / 5040.0 + r * p;
  p = 1.0 / 720.0 + r * p;
  p = 1.0 / 120.0 + r * p;
  p = 1.0 / 24.0 + r * p;
  p = 1.0 / 6.0 + r * p;
  p = 1.0 / 2.0 + r * p;
  p = 1.0 + r * p;
  return r * p;
}

inline double mlp_exp64(double x) {
  if (x < -700) return 0;
  const double n = std::floor(x * kMlpLog2e + 0.5);
  const double r = x - n * kMlpLn2Hi - n * kMlpLn2Lo;
  return (1 + mlp_expm1_core(r)) * mlp_pow2(n);
}

inline double mlp_expm1_64(double x) { return std::fabs(x) < kMlpHalfLn2 ? mlp_expm1_core(x) : mlp_exp64(x) - 1; }

inline double mlp_log1p64(double u) {
  const double s = u / (2 + u), q = s * s;
  double p = 1.0 / 37.0;
  for (int d = 35; d >= 3; d -= 2) p = 1.0 / d + q * p;
  p = 1 + q * p;
  return 2 * (s * p);
}

inline double mlp_log64(double s) {
  double e = 0;
  while (s >= 2) {
    s = s / 2;
    e = e + 1;
  }
  return e * kMlpLn2Hi + (mlp_log1p64(s - 1) + e * kMlpLn2Lo);
}

inline double mlp_tanh64(double x) {
  if (x != x) return x;
  const double a = std::fabs(x);
  double t;
  if (a > 20) {
    t = 1;
  } else {
    const double u = mlp_expm1_64(2 * a);
    t = u / (u + 2);
  }
  return x < 0 ? -t : t;
}

inline double mlp_sigmoid64(double x) {
  if (x != x) return x;
  if (x >= 0) return 1 / (1 + mlp_exp64(-x));
  const double e = mlp_exp64(x);
  return e / (1 + e);
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
