// Reductions in the canonical order of native/NUMERICS.md. Over the ISA's Vec<T>.
//
// Element j of a block goes to partial sum j mod kPartials; partials are then folded in a
// fixed tree (k += k + 8, then + 4, + 2, + 1). A vector of L lanes holds L consecutive
// partials, so every ISA adds the same numbers in the same order.
#pragma once

#include <cstddef>
#include <cstring>

#include "../kernel_api.h"
#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

// The 16 partials held in `parts` (kPartials / lanes vectors) folded by the fixed tree.
// kPartials consecutive elements as float64: float32 ones widened (exactly) into `wide`.
inline const double* block_as_double(const double* block, double*) { return block; }
inline const double* block_as_double(const float* block, double* wide) {
  for (std::size_t k = 0; k < kPartials; ++k) wide[k] = static_cast<double>(block[k]);
  return wide;
}

template <class T>
T fold_partials(const Vec<T>* parts) {
  constexpr std::size_t L = Vec<T>::lanes;
  alignas(64) T partial[kPartials];
  for (std::size_t a = 0; a < kPartials / L; ++a) parts[a].store(partial + a * L);
  for (std::size_t width = kPartials / 2; width >= 1; width /= 2) {
    for (std::size_t k = 0; k < width; ++k) partial[k] = partial[k] + partial[k + width];
  }
  return partial[0];
}

// Squares are summed in float64 for both dtypes: a float32 square is exact in float64 (24-bit
// significands give at most 48 bits) and float32 squares cannot overflow it, so the norm of
// float32 gradients such as [3e19, 4e19] is finite, as torch's clip_grad_norm_ gives.
template <class T>
double sum_squares(const T* x, std::size_t n) {
  using V = Vec<double>;
  constexpr std::size_t L = V::lanes, A = kPartials / L;
  static_assert(kPartials % L == 0, "vector width must divide the number of partials");

  V acc[A];
  for (std::size_t a = 0; a < A; ++a) acc[a] = V::splat(0.0);
  auto add_block = [&](const T* block) {
    alignas(64) double wide[kPartials];
    const double* w = block_as_double(block, wide);
    for (std::size_t a = 0; a < A; ++a) {
      const V v = V::load(w + a * L);
      acc[a] = acc[a] + v * v;
    }
  };
  std::size_t i = 0;
  for (; i + kPartials <= n; i += kPartials) add_block(x + i);
  if (i < n) {
    // Zero padding is exact: partials are never −0, and +0 + s = s for every other s.
    alignas(64) T block[kPartials] = {};
    std::memcpy(block, x + i, (n - i) * sizeof(T));
    add_block(block);
  }

  return fold_partials(acc);
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
