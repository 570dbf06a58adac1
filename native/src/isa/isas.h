// One kernel table per instruction set, each defined in its own translation unit
// (the only one compiled with that ISA's flags).
#pragma once

#include "../kernel_api.h"

namespace adam_simd {

const KernelTable* scalar_kernels();
#if defined(ADAM_SIMD_HAVE_AVX2)
const KernelTable* avx2_kernels();
#endif
#if defined(ADAM_SIMD_HAVE_AVX512)
const KernelTable* avx512_kernels();
#endif
#if defined(ADAM_SIMD_HAVE_NEON)
const KernelTable* neon_kernels();
#endif
#if defined(__wasm_simd128__)
const KernelTable* wasm_kernels();  // the WebAssembly module only (scripts/build-wasm.sh)
#endif

}  // namespace adam_simd
