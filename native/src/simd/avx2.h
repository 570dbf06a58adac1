// AVX2 vectors: 8 floats, 4 doubles. For isa/avx2.cpp.
#pragma once

#if defined(ADAM_SIMD_VEC)
#error "a second simd/ header in one translation unit: the kernel headers are #pragma once, so each ISA needs its own .cpp"
#endif
#define ADAM_SIMD_VEC "avx2"

#include <immintrin.h>

#include <cstddef>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
struct Vec;

template <>
struct Vec<float> {
  static constexpr std::size_t lanes = 8;
  static constexpr std::size_t registers = 16;  // ymm0-15
  __m256 v;

  static Vec load(const float* p) { return {_mm256_loadu_ps(p)}; }
  void store(float* p) const { _mm256_storeu_ps(p, v); }
  static Vec splat(float x) { return {_mm256_set1_ps(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {_mm256_add_ps(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {_mm256_sub_ps(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {_mm256_mul_ps(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {_mm256_div_ps(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {_mm256_sqrt_ps(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {_mm256_max_ps(a.v, b.v)}; }
  friend Vec neg(Vec a) { return {_mm256_xor_ps(a.v, _mm256_set1_ps(-0.0f))}; }
  friend Vec abs(Vec a) { return {_mm256_andnot_ps(_mm256_set1_ps(-0.0f), a.v)}; }
  using Mask = __m256;
  friend Mask operator<(Vec a, Vec b) { return _mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ); }
  friend Mask operator>(Vec a, Vec b) { return _mm256_cmp_ps(a.v, b.v, _CMP_GT_OQ); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {_mm256_blendv_ps(no.v, yes.v, m)}; }
  // The network leaves input 2m+c in lane 4c+m, so row 4c+m goes in there: pairs (i, i+4).
  static Vec fold_rows(const Vec* rows) {
    __m256 u[4], z[2];
    for (int i = 0; i < 4; ++i) {
      const __m256 a = rows[i].v, b = rows[i + 4].v;
      u[i] = _mm256_add_ps(_mm256_permute2f128_ps(a, b, 0x20), _mm256_permute2f128_ps(a, b, 0x31));
    }
    for (int i = 0; i < 2; ++i) {
      const __m256 a = u[2 * i], b = u[2 * i + 1];
      z[i] =
          _mm256_add_ps(_mm256_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    return {_mm256_add_ps(_mm256_shuffle_ps(z[0], z[1], _MM_SHUFFLE(2, 0, 2, 0)),
                          _mm256_shuffle_ps(z[0], z[1], _MM_SHUFFLE(3, 1, 3, 1)))};
  }
};

template <>
struct Vec<double> {
  static constexpr std::size_t lanes = 4;
  static constexpr std::size_t registers = 16;  // ymm0-15
  __m256d v;

  static Vec load(const double* p) { return {_mm256_loadu_pd(p)}; }
  void store(double* p) const { _mm256_storeu_pd(p, v); }
  static Vec splat(double x) { return {_mm256_set1_pd(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {_mm256_add_pd(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {_mm256_sub_pd(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {_mm256_mul_pd(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {_mm256_div_pd(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {_mm256_sqrt_pd(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {_mm256_max_pd(a.v, b.v)}; }
  friend Vec neg(Vec a) { return {_mm256_xor_pd(a.v, _mm256_set1_pd(-0.0))}; }
  friend Vec abs(Vec a) { return {_mm256_andnot_pd(_mm256_set1_pd(-0.0), a.v)}; }
  using Mask = __m256d;
  friend Mask operator<(Vec a, Vec b) { return _mm256_cmp_pd(a.v, b.v, _CMP_LT_OQ); }
  friend Mask operator>(Vec a, Vec b) { return _mm256_cmp_pd(a.v, b.v, _CMP_GT_OQ); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {_mm256_blendv_pd(no.v, yes.v, m)}; }
  // The network leaves input 2m+c in lane 2c+m, so row 2c+m goes in there: pairs (i, i+2).
  static Vec fold_rows(const Vec* rows) {
    __m256d u[2];
    for (int i = 0; i < 2; ++i) {
      const __m256d a = rows[i].v, b = rows[i + 2].v;
      u[i] = _mm256_add_pd(_mm256_permute2f128_pd(a, b, 0x20), _mm256_permute2f128_pd(a, b, 0x31));
    }
    return {_mm256_add_pd(_mm256_unpacklo_pd(u[0], u[1]), _mm256_unpackhi_pd(u[0], u[1]))};
  }
};

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
