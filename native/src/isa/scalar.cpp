// The scalar kernels: the generic kernels compiled against simd/scalar.h, with the
// architecture's baseline flags only. Portable C++: the path every CPU can run.
#define ADAM_SIMD_ISA scalar  // the namespace every header below opens (namespace.h)

#include "../simd/scalar.h"
#include "../kernels/table.h"
#include "isas.h"

namespace adam_simd {

const KernelTable* scalar_kernels() { return scalar::table("scalar"); }

}  // namespace adam_simd
