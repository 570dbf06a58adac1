// The WebAssembly module's C ABI (lib/wasm/ calls it): one export per kernel and dtype, over
// pointers into the module's memory, which the caller fills and reads back. Each export only
// unpacks its arguments and calls the wasm kernel table (isa/wasm.cpp), so the numerics are
// the generic kernels' and nothing else. Nothing is validated here: lib/wasm/ is reached only
// through the optimizer classes, clipGradNorm and the linear model, which validate first
// (like the TypeScript reference backend).
//
// Scalars arrive packed as float64 in binding.scalarKeys order (flags 0 or 1) and become the
// kernel's through the same ops as the binding's (optimizer_ops.h, from the schema). Every
// optimizer has one ABI, <family>_f32/_f64(scalars, fields, n): `fields` points to one pointer
// per tensor field in the schema's order (null for an optional field not needed), so the
// exports and lib/wasm/kernels.ts follow the schema with no per-optimizer code.
#include <array>
#include <cstddef>
#include <cstdlib>

#include "../isa/isas.h"
#include "../linreg.h"
#include "../optimizer_ops.h"

#define ADAM_SIMD_EXPORT(name) extern "C" __attribute__((export_name(#name)))

namespace adam_simd {
namespace {

template <class T>
const Kernels<T>& kernels();
template <>
const Kernels<float>& kernels<float>() {
  return wasm_kernels()->f32;
}
template <>
const Kernels<double>& kernels<double>() {
  return wasm_kernels()->f64;
}

// Packed scalars as the ops read them (optimizer_ops.h), unchecked: the callers validated them.
struct PackedScalars {
  const double* s;
  double number(std::size_t key, ScalarRange) const { return s[key]; }
  bool flag(std::size_t key) const { return s[key] == 1; }
  template <class T>
  T as(std::size_t, double value) const {
    return T(value);
  }
};

template <class Op, class T>
auto op_scalars(const double* s) {
  const PackedScalars packed{s};
  return Op::template scalars<T>(packed, typename Op::Args(packed));
}

// A field as the ops' tensor() reads it (generated/optimizers.h).
struct FieldView {
  void* data;
  std::size_t length;
};

template <class Op, class T>
void step(const double* s, void* const* fields, std::size_t n) {
  std::array<FieldView, Op::kFields> views;
  for (std::size_t f = 0; f < Op::kFields; ++f) views[f] = {fields[f], n};
  Op::kernel(kernels<T>())(op_scalars<Op, T>(s), Op::template tensor<T>(views), 0, n);
}

// loss: 0 mse, 1 mae, 2 huber (LinregLoss). Returns the mean loss.
template <class T>
double linreg(const T* x, std::size_t rows, std::size_t cols, const T* y, const T* weights, double bias, int loss,
              double delta, T* grad_weights, T* grad_bias, T* predictions) {
  const LinregProblem<T> p{x,        rows,         cols,      y,          weights, T(bias), static_cast<LinregLoss>(loss),
                           T(delta), grad_weights, grad_bias, predictions};
  return linreg_loss_grad(kernels<T>(), p, 1);
}

}  // namespace
}  // namespace adam_simd

using namespace adam_simd;

// Memory for the caller's copies (wasi-libc's dlmalloc; 16-byte aligned).
ADAM_SIMD_EXPORT(alloc) void* alloc(std::size_t bytes) { return std::malloc(bytes); }
ADAM_SIMD_EXPORT(release) void release(void* p) { std::free(p); }

#define ADAM_SIMD_STEP_EXPORTS(family, Family)                                                            \
  ADAM_SIMD_EXPORT(family##_f32) void family##_f32(const double* s, void* const* fields, std::size_t n) { \
    step<Family##Op, float>(s, fields, n);                                                                \
  }                                                                                                       \
  ADAM_SIMD_EXPORT(family##_f64) void family##_f64(const double* s, void* const* fields, std::size_t n) { \
    step<Family##Op, double>(s, fields, n);                                                               \
  }
ADAM_SIMD_FOR_EACH_FAMILY(ADAM_SIMD_STEP_EXPORTS)
#undef ADAM_SIMD_STEP_EXPORTS

// One reduction block (n ≤ kReductionBlock): the caller adds block sums in order.
ADAM_SIMD_EXPORT(sum_squares_f32) double sum_squares_f32(const float* x, std::size_t n) {
  return kernels<float>().sum_squares(x, n);
}
ADAM_SIMD_EXPORT(sum_squares_f64) double sum_squares_f64(const double* x, std::size_t n) {
  return kernels<double>().sum_squares(x, n);
}
ADAM_SIMD_EXPORT(scale_f32) void scale_f32(float* x, std::size_t n, double factor) {
  kernels<float>().scale(x, n, float(factor));
}
ADAM_SIMD_EXPORT(scale_f64) void scale_f64(double* x, std::size_t n, double factor) {
  kernels<double>().scale(x, n, factor);
}

ADAM_SIMD_EXPORT(linreg_f32)
double linreg_f32(const float* x, std::size_t rows, std::size_t cols, const float* y, const float* w, double bias, int loss,
                  double delta, float* gw, float* gb, float* pred) {
  return linreg(x, rows, cols, y, w, bias, loss, delta, gw, gb, pred);
}
ADAM_SIMD_EXPORT(linreg_f64)
double linreg_f64(const double* x, std::size_t rows, std::size_t cols, const double* y, const double* w, double bias,
                  int loss, double delta, double* gw, double* gb, double* pred) {
  return linreg(x, rows, cols, y, w, bias, loss, delta, gw, gb, pred);
}
