// The avx2 kernels: the generic kernels compiled against simd/avx2.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#define ADAM_SIMD_ISA avx2  // the namespace every header below opens (namespace.h)

#include "../simd/avx2.h"
#include "../kernels/table.h"
#include "isas.h"

namespace adam_simd {

const KernelTable* avx2_kernels() { return avx2::table("avx2"); }

}  // namespace adam_simd
