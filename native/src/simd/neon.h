// NEON vectors (AArch64): 4 floats, 2 doubles. For isa/neon.cpp.
// vmaxq would propagate NaN from either side; the contract's max is `a > b ? a : b`,
// so it is a compare and a bit-select, exactly like maxps on x86.
#pragma once

#if defined(ADAM_SIMD_VEC)
#error "a second simd/ header in one translation unit: the kernel headers are #pragma once, so each ISA needs its own .cpp"
#endif
#define ADAM_SIMD_VEC "neon"

#include <arm_neon.h>

#include <cstddef>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
struct Vec;

template <>
struct Vec<float> {
  static constexpr std::size_t lanes = 4;
  static constexpr std::size_t registers = 32;  // v0-v31
  float32x4_t v;

  static Vec load(const float* p) { return {vld1q_f32(p)}; }
  void store(float* p) const { vst1q_f32(p, v); }
  static Vec splat(float x) { return {vdupq_n_f32(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {vaddq_f32(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {vsubq_f32(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {vmulq_f32(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {vdivq_f32(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {vsqrtq_f32(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {vbslq_f32(vcgtq_f32(a.v, b.v), a.v, b.v)}; }
  friend Vec neg(Vec a) { return {vnegq_f32(a.v)}; }
  friend Vec abs(Vec a) { return {vabsq_f32(a.v)}; }
  using Mask = uint32x4_t;
  friend Mask operator<(Vec a, Vec b) { return vcltq_f32(a.v, b.v); }
  friend Mask operator>(Vec a, Vec b) { return vcgtq_f32(a.v, b.v); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {vbslq_f32(m, yes.v, no.v)}; }
  static Vec fold_rows(const Vec* rows) {
    float32x4_t u[2];
    for (int i = 0; i < 2; ++i) {
      const float32x4_t a = rows[2 * i].v, b = rows[2 * i + 1].v;
      u[i] = vaddq_f32(vcombine_f32(vget_low_f32(a), vget_low_f32(b)), vcombine_f32(vget_high_f32(a), vget_high_f32(b)));
    }
    return {vaddq_f32(vuzp1q_f32(u[0], u[1]), vuzp2q_f32(u[0], u[1]))};
  }
};

template <>
struct Vec<double> {
  static constexpr std::size_t lanes = 2;
  static constexpr std::size_t registers = 32;  // v0-v31
  float64x2_t v;

  static Vec load(const double* p) { return {vld1q_f64(p)}; }
  void store(double* p) const { vst1q_f64(p, v); }
  static Vec splat(double x) { return {vdupq_n_f64(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {vaddq_f64(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {vsubq_f64(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {vmulq_f64(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {vdivq_f64(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {vsqrtq_f64(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {vbslq_f64(vcgtq_f64(a.v, b.v), a.v, b.v)}; }
  friend Vec neg(Vec a) { return {vnegq_f64(a.v)}; }
  friend Vec abs(Vec a) { return {vabsq_f64(a.v)}; }
  using Mask = uint64x2_t;
  friend Mask operator<(Vec a, Vec b) { return vcltq_f64(a.v, b.v); }
  friend Mask operator>(Vec a, Vec b) { return vcgtq_f64(a.v, b.v); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {vbslq_f64(m, yes.v, no.v)}; }
  static Vec fold_rows(const Vec* rows) {
    return {vaddq_f64(vzip1q_f64(rows[0].v, rows[1].v), vzip2q_f64(rows[0].v, rows[1].v))};
  }
};

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
