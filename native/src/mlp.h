// A whole network pass (native/NUMERICS.md, "Neural networks"): forward over row ranges of
// the batch on every thread, the loss on the calling thread, then per layer dW split over
// kernel rows and dA over batch rows. No sum is ever split, so the bits depend on neither the
// ISA nor the thread count.
#pragma once

#include <vector>

#include "kernel_api.h"

namespace adam_simd {

enum class MlpLoss { Mse, Mae, Huber, BinaryCrossentropy, SparseCategoricalCrossentropy };

template <class T>
struct MlpLayer {
  std::size_t inputs, units;
  MlpActivation activation;
  const T* kernel;  // inputs × units
  const T* bias;    // units, or null
  T* grad_kernel;   // null for a forward pass
  T* grad_bias;     // null without bias or for a forward pass
};

template <class T>
struct MlpProblem {
  const T* x;
  std::size_t rows;
  std::vector<MlpLayer<T>> layers;
  const T* y;  // null for a forward pass
  MlpLoss loss;
  T delta;
  T* output;  // rows × last units, or null
};

// Mean loss; writes every layer's gradients (and the output when asked).
template <class T>
T mlp_loss_grad(const Kernels<T>& kernels, const MlpProblem<T>& p, unsigned threads);

// The last layer's outputs into p.output.
template <class T>
void mlp_forward(const Kernels<T>& kernels, const MlpProblem<T>& p, unsigned threads);

}  // namespace adam_simd
