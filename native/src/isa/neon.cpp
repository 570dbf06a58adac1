// The neon kernels: the generic kernels compiled against simd/neon.h.
// Only this file is compiled with the ISA's flags (see CMakeLists.txt).
#include "prelude.h"
#include <arm_neon.h>

namespace adam_simd {
namespace neon {
#include "../simd/neon.h"
#include "../kernels/elementwise.h"
#include "../kernels/optimizers.h"
#include "../kernels/reductions.h"
#include "../kernels/linreg.h"
#include "../kernels/mlp_math.h"
#include "../kernels/mlp.h"
#include "../kernels/table.h"
}  // namespace neon

const KernelTable* neon_kernels() { return neon::table("neon"); }

}  // namespace adam_simd
