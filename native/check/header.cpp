// One header on its own (CMakeLists.txt builds this once per kernels/ header, naming it in
// ADAM_SIMD_CHECK_HEADER), over the scalar Vec<T> that every kernel header is written against:
// a header that leans on something an earlier include happened to bring in fails the build.
// (Each simd/ header is already the first include of its isa/*.cpp.)
#define ADAM_SIMD_ISA header_check

#include "../src/simd/scalar.h"
#include ADAM_SIMD_CHECK_HEADER
