// Portable width-1 vector: the scalar path (isa/scalar.cpp).
// Plain C++ only, so it compiles anywhere (MSVC included).
#pragma once

#if defined(ADAM_SIMD_VEC)
#error "a second simd/ header in one translation unit: the kernel headers are #pragma once, so each ISA needs its own .cpp"
#endif
#define ADAM_SIMD_VEC "scalar"

#include <cmath>
#include <cstddef>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
struct Vec {
  static constexpr std::size_t lanes = 1;
  static constexpr std::size_t registers = 16;  // xmm0-15 on x86-64; a conservative count elsewhere
  T v;

  static Vec load(const T* p) { return {*p}; }
  void store(T* p) const { *p = v; }
  static Vec splat(T x) { return {x}; }

  friend Vec operator+(Vec a, Vec b) { return {a.v + b.v}; }
  friend Vec operator-(Vec a, Vec b) { return {a.v - b.v}; }
  friend Vec operator*(Vec a, Vec b) { return {a.v * b.v}; }
  friend Vec operator/(Vec a, Vec b) { return {a.v / b.v}; }
  friend Vec sqrt(Vec a) { return {std::sqrt(a.v)}; }
  friend Vec max(Vec a, Vec b) { return {a.v > b.v ? a.v : b.v}; }
  friend Vec neg(Vec a) { return {-a.v}; }
  friend Vec abs(Vec a) { return {std::fabs(a.v)}; }
  // Ordered comparisons (false when either side is NaN) and a per-lane choice.
  using Mask = bool;
  friend Mask operator<(Vec a, Vec b) { return a.v < b.v; }
  friend Mask operator>(Vec a, Vec b) { return a.v > b.v; }
  friend Vec select(Mask m, Vec yes, Vec no) { return m ? yes : no; }
  static Vec fold_rows(const Vec* rows) { return rows[0]; }
};

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
