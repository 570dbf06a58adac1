// The optimizers as the binding runs them. Each op (its scalars, read before the tensors,
// then converted to the tensors' type; the fields of a tensor; how they become the kernel's
// arguments) is generated from native/schema/optimizers.json (../optimizer_ops.h); here, how
// the binding reads a call's fields. optimizers.cpp (one call per step) and plan.h
// (prepared steps) both go through these ops, so the two paths cannot disagree on what a
// step reads.
#pragma once

#include <array>
#include <cstddef>

#include "../kernel_api.h"
#include "../optimizer_ops.h"
#include "args.h"
#include "module_state.h"

namespace adam_simd {

template <class Op, class T>
using OpScalars =
    decltype(Op::template scalars<T>(std::declval<const Scalars&>(), std::declval<const typename Op::Args&>()));
template <class Op, class T>
using OpTensor = decltype(Op::template tensor<T>(std::declval<const std::array<ArrayView, Op::kFields>&>()));

// Reads tensors[i]'s fields. With `args`, an optional field is read when the scalars need
// it; without (a plan, whose scalars come later), whenever the tensor has it.
template <class Op>
std::array<ArrayView, Op::kFields> read_fields(TensorList& list, std::size_t i, const typename Op::Args* args) {
  std::array<ArrayView, Op::kFields> views{};
  const unsigned needed = args != nullptr ? Op::needs(*args) : 0;
  for (std::size_t f = 0; f < Op::kFields; ++f) {
    const FieldSpec& spec = Op::kFieldSpecs[f];
    if (f == 0) {
      views[f] = list.param(i);
    } else if (!spec.optional) {
      views[f] = list.field(i, spec.key, spec.written);
    } else if (args != nullptr) {
      views[f] = (needed >> f & 1u) ? list.field(i, spec.key, spec.written) : ArrayView{nullptr, 0};
    } else {
      views[f] = list.field_if_present(i, spec.key, spec.written);
    }
  }
  return views;
}

}  // namespace adam_simd
