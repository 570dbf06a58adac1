// The wasm kernels: the generic kernels compiled against simd/wasm.h, for the WebAssembly
// module only (scripts/build-wasm.sh; never part of the native addon's CMake build).
#define ADAM_SIMD_ISA wasm  // the namespace every header below opens (namespace.h)

#include "../simd/wasm.h"
#include "../kernels/table.h"
#include "isas.h"

namespace adam_simd {

const KernelTable* wasm_kernels() { return wasm::table("wasm"); }

}  // namespace adam_simd
