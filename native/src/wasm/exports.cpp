// The WebAssembly module's C ABI (lib/wasm/ calls it): one export per kernel and dtype, over
// pointers into the module's memory, which the caller fills and reads back. Each export only
// unpacks its arguments and calls the wasm kernel table (isa/wasm.cpp), so the numerics are
// the generic kernels' and nothing else. Nothing is validated here: lib/wasm/ is reached only
// through the optimizer classes, clipGradNorm and the linear model, which validate first
// (like the TypeScript reference backend).
//
// Scalars arrive packed as float64 in binding.scalarKeys order (flags 0 or 1) and become the
// kernel's through the same ops as the binding's (optimizer_ops.h, from the schema).
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

template <class T>
void adam_step(const double* s, T* param, const T* grad, T* exp_avg, T* exp_avg_sq, T* max_exp_avg_sq, std::size_t n) {
  kernels<T>().adam(op_scalars<AdamOp, T>(s), {param, grad, exp_avg, exp_avg_sq, max_exp_avg_sq, n}, 0, n);
}

template <class T>
void sgd_step(const double* s, T* param, const T* grad, T* momentum_buffer, std::size_t n) {
  kernels<T>().sgd(op_scalars<SgdOp, T>(s), {param, grad, momentum_buffer, n}, 0, n);
}

template <class T>
void adagrad_step(const double* s, T* param, const T* grad, T* state_sum, std::size_t n) {
  kernels<T>().adagrad(op_scalars<AdagradOp, T>(s), {param, grad, state_sum, n}, 0, n);
}

template <class T>
void rmsprop_step(const double* s, T* param, const T* grad, T* square_avg, T* grad_avg, T* momentum_buffer, std::size_t n) {
  kernels<T>().rmsprop(op_scalars<RmspropOp, T>(s), {param, grad, square_avg, grad_avg, momentum_buffer, n}, 0, n);
}

template <class T>
void lion_step(const double* s, T* param, const T* grad, T* exp_avg, std::size_t n) {
  kernels<T>().lion(op_scalars<LionOp, T>(s), {param, grad, exp_avg, n}, 0, n);
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

ADAM_SIMD_EXPORT(adam_f32)
void adam_f32(const double* s, float* p, const float* g, float* m, float* v, float* mx, std::size_t n) {
  adam_step(s, p, g, m, v, mx, n);
}
ADAM_SIMD_EXPORT(adam_f64)
void adam_f64(const double* s, double* p, const double* g, double* m, double* v, double* mx, std::size_t n) {
  adam_step(s, p, g, m, v, mx, n);
}
ADAM_SIMD_EXPORT(sgd_f32) void sgd_f32(const double* s, float* p, const float* g, float* b, std::size_t n) {
  sgd_step(s, p, g, b, n);
}
ADAM_SIMD_EXPORT(sgd_f64) void sgd_f64(const double* s, double* p, const double* g, double* b, std::size_t n) {
  sgd_step(s, p, g, b, n);
}
ADAM_SIMD_EXPORT(adagrad_f32) void adagrad_f32(const double* s, float* p, const float* g, float* sum, std::size_t n) {
  adagrad_step(s, p, g, sum, n);
}
ADAM_SIMD_EXPORT(adagrad_f64) void adagrad_f64(const double* s, double* p, const double* g, double* sum, std::size_t n) {
  adagrad_step(s, p, g, sum, n);
}
ADAM_SIMD_EXPORT(rmsprop_f32)
void rmsprop_f32(const double* s, float* p, const float* g, float* sq, float* ga, float* b, std::size_t n) {
  rmsprop_step(s, p, g, sq, ga, b, n);
}
ADAM_SIMD_EXPORT(rmsprop_f64)
void rmsprop_f64(const double* s, double* p, const double* g, double* sq, double* ga, double* b, std::size_t n) {
  rmsprop_step(s, p, g, sq, ga, b, n);
}
ADAM_SIMD_EXPORT(lion_f32) void lion_f32(const double* s, float* p, const float* g, float* m, std::size_t n) {
  lion_step(s, p, g, m, n);
}
ADAM_SIMD_EXPORT(lion_f64) void lion_f64(const double* s, double* p, const double* g, double* m, std::size_t n) {
  lion_step(s, p, g, m, n);
}

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
