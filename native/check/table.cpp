// No member of the kernel table is left null (kernel_api.h, kernels_complete): kernels() is
// the same code for every ISA, so checking it once, over the scalar Vec<T>, covers them all.
// Not in kernels/table.h itself: evaluating the table at compile time inside an ISA's own
// translation unit changes the order in which GCC inlines there, and with it the instructions
// (not the bits) of some kernels; here it changes nothing that ships.
#define ADAM_SIMD_ISA table_check

#include "../src/simd/scalar.h"
#include "../src/kernels/table.h"

namespace adam_simd {
namespace table_check {

static_assert(kernels_complete(kernels<float>()) && kernels_complete(kernels<double>()),
              "a member of Kernels is not set in kernels() (native/src/kernels/table.h)");

}  // namespace table_check
}  // namespace adam_simd
