// The wasm kernels: the generic kernels compiled against simd/wasm.h, for the WebAssembly
// module only (scripts/build-wasm.sh; never part of the native addon's CMake build).
#include "prelude.h"
#include <wasm_simd128.h>

namespace adam_simd {
namespace wasm {
#include "../simd/wasm.h"
#include "../kernels/elementwise.h"
#include "../kernels/optimizers.h"
#include "../kernels/reductions.h"
#include "../kernels/linreg.h"
#include "../kernels/mlp_math.h"
#include "../kernels/mlp.h"
#include "../kernels/table.h"
}  // namespace wasm

const KernelTable* wasm_kernels() { return wasm::table("wasm"); }

}  // namespace adam_simd
