// The avx2 kernels: the generic kernels compiled against simd/avx2.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#include "prelude.h"
#include <immintrin.h>

namespace adam_simd {
namespace avx2 {
#include "../simd/avx2.h"
#include "../kernels/elementwise.h"
#include "../kernels/optimizers.h"
#include "../kernels/reductions.h"
#include "../kernels/linreg.h"
#include "../kernels/mlp_math.h"
#include "../kernels/mlp.h"
#include "../kernels/table.h"
}  // namespace avx2

const KernelTable* avx2_kernels() { return avx2::table("avx2"); }

}  // namespace adam_simd
