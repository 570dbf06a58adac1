// Generic element-wise loop, over the Vec<T> of the ISA's simd/ header (included first).
//
// The last (length mod lanes) elements are copied into zero-padded blocks, stepped as one
// full vector and copied back (written roles only, so a gradient that another thread is
// writing is never stored to). Every element therefore goes through the very same vector
// instructions, whatever its position, and no masked loads are needed on any ISA.
#pragma once

#include <array>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "../isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T, std::size_t Roles, class Body>
inline void for_each_vector(std::size_t n, const std::array<T*, Roles>& ptr, unsigned written, Body&& body) {
  constexpr std::size_t L = Vec<T>::lanes;
  std::size_t i = 0;
  for (; i + L <= n; i += L) body(ptr, i);
  if (i == n) return;

  const std::size_t rest = n - i;
  alignas(64) T block[Roles][L] = {};
  std::array<T*, Roles> tail{};
  for (std::size_t r = 0; r < Roles; ++r) {
    if (ptr[r] == nullptr) continue;
    std::memcpy(block[r], ptr[r] + i, rest * sizeof(T));
    tail[r] = block[r];
  }
  body(tail, 0);
  for (std::size_t r = 0; r < Roles; ++r) {
    if (ptr[r] != nullptr && (written >> r & 1u)) std::memcpy(ptr[r] + i, block[r], rest * sizeof(T));
  }
}

// Turns run-time option flags into compile-time ones, so each option combination gets its
// own branch-free loop: with_flags(f, a, b) calls f(std::bool_constant<a>{}, std::bool_constant<b>{}).
template <class F>
inline void with_flags(F&& f) {
  f();
}

template <class F, class... Rest>
inline void with_flags(F&& f, bool first, Rest... rest) {
  if (first) {
    with_flags([&](auto... flags) { f(std::true_type{}, flags...); }, rest...);
  } else {
    with_flags([&](auto... flags) { f(std::false_type{}, flags...); }, rest...);
  }
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
