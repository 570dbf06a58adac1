// The neon kernels: the generic kernels compiled against simd/neon.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#define ADAM_SIMD_ISA neon  // the namespace every header below opens (namespace.h)

#include "../simd/neon.h"
#include "../kernels/table.h"
#include "isas.h"

namespace adam_simd {

const KernelTable* neon_kernels() { return neon::table("neon"); }

}  // namespace adam_simd
