// The avx512 kernels: the generic kernels compiled against simd/avx512.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#define ADAM_SIMD_ISA avx512  // the namespace every header below opens (namespace.h)

#include "../simd/avx512.h"
#include "../kernels/table.h"
#include "isas.h"

namespace adam_simd {

const KernelTable* avx512_kernels() { return avx512::table("avx512"); }

}  // namespace adam_simd
