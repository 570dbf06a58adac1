// AVX-512F vectors: 16 floats, 8 doubles. For isa/avx512.cpp.
// Only AVX-512F instructions are used (no DQ): sign flips go through integer xor.
#pragma once

#if defined(ADAM_SIMD_VEC)
#error "a second simd/ header in one translation unit: the kernel headers are #pragma once, so each ISA needs its own .cpp"
#endif
#define ADAM_SIMD_VEC "avx512"

#include <immintrin.h>

#include <cstddef>
#include <cstdint>  // INT32_MIN … INT64_MAX, the sign-bit masks

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
struct Vec;

template <>
struct Vec<float> {
  static constexpr std::size_t lanes = 16;
  static constexpr std::size_t registers = 32;  // zmm0-31
  __m512 v;

  static Vec load(const float* p) { return {_mm512_loadu_ps(p)}; }
  void store(float* p) const { _mm512_storeu_ps(p, v); }
  static Vec splat(float x) { return {_mm512_set1_ps(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {_mm512_add_ps(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {_mm512_sub_ps(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {_mm512_mul_ps(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {_mm512_div_ps(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {_mm512_sqrt_ps(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {_mm512_max_ps(a.v, b.v)}; }
  friend Vec neg(Vec a) {
    return {_mm512_castsi512_ps(_mm512_xor_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MIN)))};
  }
  friend Vec abs(Vec a) {
    return {_mm512_castsi512_ps(_mm512_and_si512(_mm512_castps_si512(a.v), _mm512_set1_epi32(INT32_MAX)))};
  }
  using Mask = __mmask16;
  friend Mask operator<(Vec a, Vec b) { return _mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ); }
  friend Mask operator>(Vec a, Vec b) { return _mm512_cmp_ps_mask(a.v, b.v, _CMP_GT_OQ); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {_mm512_mask_blend_ps(m, no.v, yes.v)}; }
  // _mm512_shuffle_f32x4 with every lane selected: the unmasked form passes GCC 12 an
  // undefined source that -Wuninitialized reports.
  template <int Imm>
  static __m512 shuffle_chunks_imm(__m512 a, __m512 b) {
    return _mm512_mask_shuffle_f32x4(a, 0xFFFF, a, b, Imm);
  }

  // The network leaves input 4m+c in lane 4c+m, so row 4c+m goes in there.
  static Vec fold_rows(const Vec* rows) {
    static constexpr int order[16] = {0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15};
    __m512 u[8], t[4], z[2];
    for (int i = 0; i < 8; ++i) {
      const __m512 a = rows[order[2 * i]].v, b = rows[order[2 * i + 1]].v;
      u[i] = _mm512_add_ps(shuffle_chunks_imm<_MM_SHUFFLE(1, 0, 1, 0)>(a, b),
                           shuffle_chunks_imm<_MM_SHUFFLE(3, 2, 3, 2)>(a, b));
    }
    for (int i = 0; i < 4; ++i) {
      const __m512 a = u[2 * i], b = u[2 * i + 1];
      t[i] = _mm512_add_ps(shuffle_chunks_imm<_MM_SHUFFLE(2, 0, 2, 0)>(a, b),
                           shuffle_chunks_imm<_MM_SHUFFLE(3, 1, 3, 1)>(a, b));
    }
    for (int i = 0; i < 2; ++i) {
      const __m512 a = t[2 * i], b = t[2 * i + 1];
      z[i] =
          _mm512_add_ps(_mm512_shuffle_ps(a, b, _MM_SHUFFLE(1, 0, 1, 0)), _mm512_shuffle_ps(a, b, _MM_SHUFFLE(3, 2, 3, 2)));
    }
    return {_mm512_add_ps(_mm512_shuffle_ps(z[0], z[1], _MM_SHUFFLE(2, 0, 2, 0)),
                          _mm512_shuffle_ps(z[0], z[1], _MM_SHUFFLE(3, 1, 3, 1)))};
  }
};

template <>
struct Vec<double> {
  static constexpr std::size_t lanes = 8;
  static constexpr std::size_t registers = 32;  // zmm0-31
  __m512d v;

  static Vec load(const double* p) { return {_mm512_loadu_pd(p)}; }
  void store(double* p) const { _mm512_storeu_pd(p, v); }
  static Vec splat(double x) { return {_mm512_set1_pd(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {_mm512_add_pd(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {_mm512_sub_pd(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {_mm512_mul_pd(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {_mm512_div_pd(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {_mm512_sqrt_pd(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {_mm512_max_pd(a.v, b.v)}; }
  friend Vec neg(Vec a) {
    return {_mm512_castsi512_pd(_mm512_xor_si512(_mm512_castpd_si512(a.v), _mm512_set1_epi64(INT64_MIN)))};
  }
  friend Vec abs(Vec a) {
    return {_mm512_castsi512_pd(_mm512_and_si512(_mm512_castpd_si512(a.v), _mm512_set1_epi64(INT64_MAX)))};
  }
  using Mask = __mmask8;
  friend Mask operator<(Vec a, Vec b) { return _mm512_cmp_pd_mask(a.v, b.v, _CMP_LT_OQ); }
  friend Mask operator>(Vec a, Vec b) { return _mm512_cmp_pd_mask(a.v, b.v, _CMP_GT_OQ); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {_mm512_mask_blend_pd(m, no.v, yes.v)}; }
  // See Vec<float>::shuffle_chunks_imm (the unpacks below are masked for the same reason).
  template <int Imm>
  static __m512d shuffle_chunks_imm(__m512d a, __m512d b) {
    return _mm512_mask_shuffle_f64x2(a, 0xFF, a, b, Imm);
  }

  // The network leaves input 4m+c in lane 2c+m, so row 2c+m goes in there.
  static Vec fold_rows(const Vec* rows) {
    static constexpr int order[8] = {0, 2, 4, 6, 1, 3, 5, 7};
    __m512d u[4], t[2];
    for (int i = 0; i < 4; ++i) {
      const __m512d a = rows[order[2 * i]].v, b = rows[order[2 * i + 1]].v;
      u[i] = _mm512_add_pd(shuffle_chunks_imm<_MM_SHUFFLE(1, 0, 1, 0)>(a, b),
                           shuffle_chunks_imm<_MM_SHUFFLE(3, 2, 3, 2)>(a, b));
    }
    for (int i = 0; i < 2; ++i) {
      const __m512d a = u[2 * i], b = u[2 * i + 1];
      t[i] = _mm512_add_pd(shuffle_chunks_imm<_MM_SHUFFLE(2, 0, 2, 0)>(a, b),
                           shuffle_chunks_imm<_MM_SHUFFLE(3, 1, 3, 1)>(a, b));
    }
    return {_mm512_add_pd(_mm512_mask_unpacklo_pd(t[0], 0xFF, t[0], t[1]), _mm512_mask_unpackhi_pd(t[0], 0xFF, t[0], t[1]))};
  }
};

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
