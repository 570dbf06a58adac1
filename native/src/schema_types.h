// The vocabulary of the generated optimizer ops (generated/optimizers.h, from
// native/schema/optimizers.json): what a scalar may hold and what a tensor field is.
// Free of Node-API: the WebAssembly exports use the same ops.
#pragma once

namespace adam_simd {

// The range a numeric scalar must lie in (it must be finite too; flags have none).
// UnitOpen: [0, 1)   UnitClosed: [0, 1]   UnitHalfOpenAbove: (0, 1]
enum class ScalarRange { NonNegative, UnitOpen, UnitClosed, UnitHalfOpenAbove };

// One typed-array field of a tensor. Field 0 is always the parameter and field 1 the
// gradient (plans replace gradients by that position). An optional field is read only
// when the scalars need it (Op::needs), or, in a plan, whenever the tensor has it.
struct FieldSpec {
  const char* key;
  bool written;
  bool optional;
};

}  // namespace adam_simd
