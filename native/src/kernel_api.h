// The contract between the binding and the per-ISA kernels: plain structs and a table of
// function pointers. Nothing here depends on an instruction set.
#pragma once

#include <cstddef>
#include <type_traits>

#include "generated/kernel_structs.h"

namespace adam_simd {

// Per-step scalars, already rounded to the tensor's type. They are computed once per step,
// in lib/scalars.ts (see native/NUMERICS.md), and are the same for every tensor and ISA.
// Each optimizer's tensor struct, its scalar struct where that mirrors its schema, and the
// list of optimizers (ADAM_SIMD_FOR_EACH_FAMILY) are generated from
// native/schema/optimizers.json (generated/kernel_structs.h); SGD's scalars
// (a momentum mode instead of the firstStep flag) are written here.
enum class Momentum { None, First, Running };

template <class T>
struct SgdScalars {
  T lr, momentum, one_minus_dampening, weight_decay;
  Momentum momentum_mode;  // First: the buffer is set to the gradient (torch's first step)
  bool nesterov, maximize;
};

enum class LinregLoss { Mse, Mae, Huber };

// One full-batch evaluation of a linear model y ≈ X·w + b (X row-major, rows × cols).
template <class T>
struct LinregProblem {
  const T* x;
  std::size_t rows, cols;
  const T* y;
  const T* weights;
  T bias;
  LinregLoss loss;
  T delta;  // Huber only
  T* grad_weights;
  T* grad_bias;    // one element
  T* predictions;  // rows elements, or null
};

// Networks (native/NUMERICS.md, "Neural networks"). Every product of a dense layer, forward
// and backward, is out_r[j] = Σ_t a_r[t·a_step] · w[t·w_step + j] over t = 0 … count−1 in
// order from +0, for j < width: the forward pass (a_r = a row of A, w = W), dA (a_r = a row
// of dZ, w = Wᵀ), dW (a_r = a column of A, w = dZ) and db (a_r = a single 1, a_step = 0).
template <class T>
struct MlpProducts {
  const T* a;
  std::size_t a_row, a_step;
  const T* w;
  std::size_t w_step;
  std::size_t count, width;
  T* out;
  std::size_t out_row;
};

enum class MlpActivation { Linear, Relu, Tanh, Sigmoid };

// Kernels work on the element range [begin, end) of a tensor, so a step can be split
// across threads without changing a single bit (every kernel here is element-wise).
template <class T>
struct Kernels {
  // Explicit, so Kernels is no aggregate: it cannot be brace-filled by position (kernels/table.h
  // fills it member by member, by name). Every member starts null, which kernels_complete checks.
  explicit constexpr Kernels() = default;

  // One step kernel per optimizer of the schema, named after its family.
#define ADAM_SIMD_STEP_KERNEL(family, Family) \
  void (*family)(const Family##Scalars<T>&, const Family##Tensor<T>&, std::size_t begin, std::size_t end) = nullptr;
  ADAM_SIMD_FOR_EACH_FAMILY(ADAM_SIMD_STEP_KERNEL)
#undef ADAM_SIMD_STEP_KERNEL
  // Sum of squares of at most kReductionBlock elements, in the canonical order, in float64.
  double (*sum_squares)(const T* x, std::size_t n) = nullptr;
  void (*scale)(T* x, std::size_t n, T factor) = nullptr;
  // Benchmark baseline: the memory traffic of an Adam step (read p, g, m, v; write p, m, v)
  // with no arithmetic.
  void (*adam_traffic)(const AdamTensor<T>&, std::size_t begin, std::size_t end) = nullptr;
  // One block of at most kLinregRowBlock rows, [first, first + count), of a linear-regression
  // pass (native/NUMERICS.md): writes the block's gradient sums (linreg_padded_cols(cols)
  // elements) to `sum`, its folded loss and g sums to totals[0] and totals[1], and its
  // predictions when asked. `weights`: zero-padded to linreg_padded_cols(cols).
  void (*linreg_block)(const LinregProblem<T>&, const T* weights, std::size_t first, std::size_t count, T* sum,
                       T* totals) = nullptr;
  // Benchmark baseline: reads n elements once.
  T (*read_once)(const T* x, std::size_t n) = nullptr;
  // Rows [begin, end) of a network product (MlpProducts).
  void (*mlp_products)(const MlpProducts<T>&, std::size_t begin, std::size_t end) = nullptr;
  // z ← act(z + bias) over `rows` rows of `units` (bias may be null).
  void (*mlp_activate)(T* z, const T* bias, std::size_t units, std::size_t rows, MlpActivation act) = nullptr;
  // d ← dZ from dH = d and the outputs h, over n elements.
  void (*mlp_activation_backward)(const T* h, T* d, std::size_t n, MlpActivation act) = nullptr;
  // Benchmark baseline: `iterations` rounds of independent vector multiplies and adds (no FMA);
  // returns the flops done, a checksum into *sink so nothing is optimised away.
  std::size_t (*mlp_peak)(std::size_t iterations, T* sink) = nullptr;
};
static_assert(!std::is_aggregate_v<Kernels<float>>, "Kernels must not be fillable by position");

// True when no member of k is null (native/check/table.cpp asserts it of kernels()). The
// structured binding must name every member, so a member added to Kernels and not named here
// fails to compile; the optimizers' members come first, in the schema's order.
#define ADAM_SIMD_NAME(family, Family) family,
#define ADAM_SIMD_SET(family, Family) family&&
template <class T>
constexpr bool kernels_complete(const Kernels<T>& k) {
  const auto& [ADAM_SIMD_FOR_EACH_FAMILY(ADAM_SIMD_NAME) sum_squares, scale, adam_traffic, linreg_block, read_once,
               mlp_products, mlp_activate, mlp_activation_backward, mlp_peak] = k;
  return ADAM_SIMD_FOR_EACH_FAMILY(ADAM_SIMD_SET) sum_squares && scale && adam_traffic && linreg_block && read_once &&
         mlp_products && mlp_activate && mlp_activation_backward && mlp_peak;
}
#undef ADAM_SIMD_NAME
#undef ADAM_SIMD_SET

// Reductions are split into blocks of this many elements; block sums are added in order.
// Fixed here, not per ISA or per thread count, so the result never depends on either.
constexpr std::size_t kReductionBlock = 1 << 16;
// Interleaved partial sums inside a block (a multiple of every vector width).
constexpr std::size_t kPartials = 16;

// Linear regression: columns are padded to a multiple of kPartials.
inline std::size_t linreg_padded_cols(std::size_t cols) { return (cols + kPartials - 1) / kPartials * kPartials; }
// Linear regression: rows are summed in blocks of this many (a multiple of kPartials), each
// on its own, and the block sums are added in order, so threads can take whole blocks.
constexpr std::size_t kLinregRowBlock = 1024;

struct KernelTable {
  const char* isa;
  Kernels<float> f32;
  Kernels<double> f64;
};

}  // namespace adam_simd
