// The avx512 kernels: the generic kernels compiled against simd/avx512.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#include "prelude.h"
#include <immintrin.h>

namespace adam_simd {
namespace avx512 {
#include "../simd/avx512.h"
#include "../kernels/elementwise.h"
#include "../kernels/optimizers.h"
#include "../kernels/reductions.h"
#include "../kernels/linreg.h"
#include "../kernels/mlp_math.h"
#include "../kernels/mlp.h"
#include "../kernels/table.h"
}  // namespace avx512

const KernelTable* avx512_kernels() { return avx512::table("avx512"); }

}  // namespace adam_simd
