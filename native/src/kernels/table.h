// The kernel table of one ISA: every kernel header over the ISA's Vec<T> (its simd/ header,
// included first by isa/<isa>.cpp), and the table that names each of them.
#pragma once

#include "../isa/namespace.h"
#include "../kernel_api.h"
#include "linreg.h"
#include "mlp.h"
#include "optimizers.h"
#include "reductions.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

// Each member by name: Kernels is no aggregate, so it cannot be filled by position, and
// native/check/table.cpp fails the build for a member left null (kernels_complete).
template <class T>
constexpr Kernels<T> kernels() {
  Kernels<T> k;
  // Each optimizer's kernel is the function template named after its family (optimizers.h).
#define ADAM_SIMD_SET_STEP_KERNEL(family, Family) k.family = &family<T>;
  ADAM_SIMD_FOR_EACH_FAMILY(ADAM_SIMD_SET_STEP_KERNEL)
#undef ADAM_SIMD_SET_STEP_KERNEL
  k.sum_squares = &sum_squares<T>;
  k.scale = &scale<T>;
  k.adam_traffic = &adam_traffic<T>;
  k.linreg_block = &linreg_block<T>;
  k.read_once = &read_once<T>;
  k.mlp_products = &mlp_products<T>;
  k.mlp_activate = &mlp_activate<T>;
  k.mlp_activation_backward = &mlp_activation_backward<T>;
  k.mlp_peak = &mlp_peak<T>;
  return k;
}

inline const KernelTable* table(const char* isa) {
  static const KernelTable t{isa, kernels<float>(), kernels<double>()};
  return &t;
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
