// An ISA translation unit, as native/src/isa/scalar.cpp is, with one more kernel header that
// includes <numeric> (numeric_kernel.h) between its Vec<T> and the real kernel table: built by
// CMakeLists.txt with the addon, so a kernel header's standard include can never break the build.
#define ADAM_SIMD_ISA numeric_check

#include "../src/simd/scalar.h"
#include "numeric_kernel.h"
#include "../src/kernels/table.h"

namespace adam_simd {
namespace numeric_check {

// Instantiated, so std::accumulate really compiles here.
template float lane_sum<float>(Vec<float>);
template double lane_sum<double>(Vec<double>);

}  // namespace numeric_check
}  // namespace adam_simd
