// The scalar kernels: the generic kernels compiled against simd/scalar.h, with the
// architecture's baseline flags only. Portable C++: the path every CPU can run.
#include "prelude.h"

namespace adam_simd {
namespace scalar {
#include "../simd/scalar.h"
#include "../kernels/elementwise.h"
#include "../kernels/optimizers.h"
#include "../kernels/reductions.h"
#include "../kernels/linreg.h"
#include "../kernels/mlp_math.h"
#include "../kernels/mlp.h"
#include "../kernels/table.h"
}  // namespace scalar

const KernelTable* scalar_kernels() { return scalar::table("scalar"); }

}  // namespace adam_simd
