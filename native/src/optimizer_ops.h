// Every optimizer op: generated from native/schema/optimizers.json (generated/optimizers.h),
// plus what the schema cannot say, the conversions of the ops whose kernel scalars are not
// one member per scalar (kernelScalars: custom). Free of Node-API: the binding reads scalars
// through its checking Scalars, the WebAssembly exports through an unchecked packed reader.
#pragma once

#include "generated/optimizers.h"

namespace adam_simd {

// SGD's kernel takes a momentum mode, not the firstStep flag. The mode follows the float64
// momentum, as SgdOp::needs does, so the kernel uses a buffer exactly when one was required.
template <class T, class Reader>
SgdScalars<T> SgdOp::scalars(const Reader& s, const Args& a) {
  const Momentum mode = a.momentum == 0 ? Momentum::None : a.first_step ? Momentum::First : Momentum::Running;
  return {s.template as<T>(kLr, a.lr),
          s.template as<T>(kMomentum, a.momentum),
          s.template as<T>(kOneMinusDampening, a.one_minus_dampening),
          s.template as<T>(kWeightDecay, a.weight_decay),
          mode,
          a.nesterov,
          a.maximize};
}

}  // namespace adam_simd
