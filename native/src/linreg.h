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

// The benchmark baseline of a pass (readOnce): reads x once, one contiguous part per useful
// thread, each pinned to its thread as the pass's runs of blocks are; returns the sum of the
// parts' sums, added in order.
template <class T>
T read_once(const Kernels<T>& kernels, const T* x, std::size_t n, unsigned threads);

}  // namespace adam_simd
