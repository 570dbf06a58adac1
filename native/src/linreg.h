// A whole linear-regression pass (native/NUMERICS.md, "Linear regression"): the rows go to
// threads a block (kLinregRowBlock) at a time, and the block sums are added in block order
// on the calling thread, so the bits depend on neither the ISA nor the thread count.
#pragma once

#include "kernel_api.h"

namespace adam_simd {

// Mean loss; writes the gradients (and the predictions when p.predictions is set). Uses at
// most `threads` threads, fewer for small problems (useful_threads, parallel.h).
template <class T>
T linreg_loss_grad(const Kernels<T>& kernels, const LinregProblem<T>& p, unsigned threads);

}  // namespace adam_simd
