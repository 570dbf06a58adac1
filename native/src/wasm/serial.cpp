// parallel.h for the WebAssembly module, which runs on one thread: linreg.cpp's pass runs
// its tasks here in order on the caller, with the same blocks and the same order of block
// sums as on any thread count natively.
#include "../parallel.h"

namespace adam_simd {

void parallel_for_each_thread(unsigned threads, Task task, const void* context) {
  for (unsigned t = 0; t < threads; ++t) task(context, t);
}

}  // namespace adam_simd
