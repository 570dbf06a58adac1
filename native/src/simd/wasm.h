// WebAssembly SIMD128 vectors: 4 floats, 2 doubles. For isa/wasm.cpp.
// f32x4/f64x2 add, sub, mul, div and sqrt are IEEE-754 operations rounded to nearest even
// (the WebAssembly spec leaves no latitude there); neg and abs are sign-bit operations, exact
// on NaN too. The engine lowers them to the host's SIMD (SSE on x86-64, NEON on AArch64).
#pragma once

#if defined(ADAM_SIMD_VEC)
#error "a second simd/ header in one translation unit: the kernel headers are #pragma once, so each ISA needs its own .cpp"
#endif
#define ADAM_SIMD_VEC "wasm"

#include <wasm_simd128.h>

#include <cstddef>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
struct Vec;

template <>
struct Vec<float> {
  static constexpr std::size_t lanes = 4;
  // The module knows no registers; the engines map v128 onto xmm0-15 on x86-64 (32 on
  // AArch64). The count only picks the linear-regression schedule, never a bit.
  static constexpr std::size_t registers = 16;
  v128_t v;

  static Vec load(const float* p) { return {wasm_v128_load(p)}; }
  void store(float* p) const { wasm_v128_store(p, v); }
  static Vec splat(float x) { return {wasm_f32x4_splat(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {wasm_f32x4_add(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {wasm_f32x4_sub(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {wasm_f32x4_mul(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {wasm_f32x4_div(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {wasm_f32x4_sqrt(a.v)}; }
  // pmax(x, y) is `x < y ? y : x`, so pmax(b, a) is the contract's `a > b ? a : b` (b on NaN).
  // f32x4.max would propagate NaN from either side instead.
  friend Vec max(Vec a, Vec b) { return {wasm_f32x4_pmax(b.v, a.v)}; }
  friend Vec neg(Vec a) { return {wasm_f32x4_neg(a.v)}; }
  friend Vec abs(Vec a) { return {wasm_f32x4_abs(a.v)}; }
  using Mask = v128_t;
  friend Mask operator<(Vec a, Vec b) { return wasm_f32x4_lt(a.v, b.v); }
  friend Mask operator>(Vec a, Vec b) { return wasm_f32x4_gt(a.v, b.v); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {wasm_v128_bitselect(yes.v, no.v, m)}; }
  // NEON's network: pairs of rows add their halves (lane k + lane k+2), then even and odd
  // lanes are split apart and added (lane 0 + lane 1), each lane within its own row.
  static Vec fold_rows(const Vec* rows) {
    v128_t u[2];
    for (int i = 0; i < 2; ++i) {
      const v128_t a = rows[2 * i].v, b = rows[2 * i + 1].v;
      u[i] = wasm_f32x4_add(wasm_i32x4_shuffle(a, b, 0, 1, 4, 5), wasm_i32x4_shuffle(a, b, 2, 3, 6, 7));
    }
    return {wasm_f32x4_add(wasm_i32x4_shuffle(u[0], u[1], 0, 2, 4, 6), wasm_i32x4_shuffle(u[0], u[1], 1, 3, 5, 7))};
  }
};

template <>
struct Vec<double> {
  static constexpr std::size_t lanes = 2;
  static constexpr std::size_t registers = 16;  // as Vec<float>
  v128_t v;

  static Vec load(const double* p) { return {wasm_v128_load(p)}; }
  void store(double* p) const { wasm_v128_store(p, v); }
  static Vec splat(double x) { return {wasm_f64x2_splat(x)}; }

  friend Vec operator+(Vec a, Vec b) { return {wasm_f64x2_add(a.v, b.v)}; }
  friend Vec operator-(Vec a, Vec b) { return {wasm_f64x2_sub(a.v, b.v)}; }
  friend Vec operator*(Vec a, Vec b) { return {wasm_f64x2_mul(a.v, b.v)}; }
  friend Vec operator/(Vec a, Vec b) { return {wasm_f64x2_div(a.v, b.v)}; }
  friend Vec sqrt(Vec a) { return {wasm_f64x2_sqrt(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {wasm_f64x2_pmax(b.v, a.v)}; }  // as Vec<float>
  friend Vec neg(Vec a) { return {wasm_f64x2_neg(a.v)}; }
  friend Vec abs(Vec a) { return {wasm_f64x2_abs(a.v)}; }
  using Mask = v128_t;
  friend Mask operator<(Vec a, Vec b) { return wasm_f64x2_lt(a.v, b.v); }
  friend Mask operator>(Vec a, Vec b) { return wasm_f64x2_gt(a.v, b.v); }
  friend Vec select(Mask m, Vec yes, Vec no) { return {wasm_v128_bitselect(yes.v, no.v, m)}; }
  static Vec fold_rows(const Vec* rows) {
    return {wasm_f64x2_add(wasm_i64x2_shuffle(rows[0].v, rows[1].v, 0, 2), wasm_i64x2_shuffle(rows[0].v, rows[1].v, 1, 3))};
  }
};

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
