// The arguments of a linear-regression pass (binding.d.ts, LinregArgs), read and checked
// once: linregLossGrad runs one pass on them, trainLinreg many.
#pragma once

#include <napi.h>

#include <cstddef>

#include "../kernel_api.h"
#include "args.h"

namespace adam_simd {

struct LinregCall {
  DType dtype = DType::F32;
  ArrayView x, y, weights, bias, grad_weights, grad_bias, predictions;
  std::size_t rows = 0, cols = 0;
  LinregLoss loss = LinregLoss::Mse;
  double delta = 1;
};

// Throws a TypeError/RangeError naming `${fn}: args.<key>`; the views are re-checked last
// (Regions::check_disjoint), so no getter can change them afterwards unnoticed.
LinregCall read_linreg_call(Napi::Env env, const Napi::Value& value, const char* fn);

// The pass over the current parameters (the bias is read now).
template <class T>
LinregProblem<T> linreg_problem(const LinregCall& c) {
  return {static_cast<const T*>(c.x.data),
          c.rows,
          c.cols,
          static_cast<const T*>(c.y.data),
          static_cast<const T*>(c.weights.data),
          *static_cast<const T*>(c.bias.data),
          c.loss,
          T(c.delta),
          static_cast<T*>(c.grad_weights.data),
          static_cast<T*>(c.grad_bias.data),
          static_cast<T*>(c.predictions.data)};
}

}  // namespace adam_simd
