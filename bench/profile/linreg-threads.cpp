// How the blocks of a linear-regression pass are handed to threads (bench/analysis.md):
// readOnce (linreg.h's read_once, as the binding runs it: one contiguous part per thread,
// each pinned to its thread) against the AVX-512 pass over the same 100,000 × 32 f32 X,
// with its blocks handed out
//   pinned     one contiguous run of blocks per thread, the same thread on every call
//              (parallel_for_each_thread, as linreg_loss_grad does);
//   dynamic N  N contiguous runs per thread from a shared counter (parallel_for), so a run
//              can land on either thread from one call to the next.
// All interleaved call by call on every core; prints the median of the per-call ratios.
// Built by linreg-threads.sh. Usage: linreg-threads <calls>
#include "../../native/src/isa/isas.h"
#include "../../native/src/linreg.h"
#include "../../native/src/parallel.h"
#include "linreg-data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace adam_simd;

namespace {

struct Pass {
  const Kernels<float>* kernels;
  const LinregProblem<float>* problem;
  std::size_t blocks, runs;
  float* sums;
  float* totals;

  static void run(const void* self, std::size_t t) {
    const Pass& s = *static_cast<const Pass*>(self);
    for (std::size_t b = s.blocks * t / s.runs; b < s.blocks * (t + 1) / s.runs; ++b) {
      const std::size_t first = b * kLinregRowBlock;
      s.kernels->linreg_block(*s.problem, s.problem->weights, first, std::min(kLinregRowBlock, s.problem->rows - first),
                              s.sums + b * 32, s.totals + 2 * b);
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  const int calls = profile::calls_argument(argc, argv);
  constexpr std::size_t rows = 100000;
  profile::LinregData data(rows);
  const Kernels<float>& k = avx512_kernels()->f32;
  const LinregProblem<float> problem = data.problem(data.x);
  const unsigned threads = hardware_threads();
  const std::size_t blocks = (rows + kLinregRowBlock - 1) / kLinregRowBlock;
  std::vector<float> sums(blocks * 32), totals(2 * blocks);
  const std::size_t per_thread[] = {0, 1, 4, 16};  // 0: pinned
  std::vector<double> ratio[4];
  using Clock = std::chrono::steady_clock;
  for (int c = 0; c < calls + 2; ++c) {  // the first two are warm-up
    for (int v = 0; v < 4; ++v) {
      const auto t0 = Clock::now();
      volatile float sink = read_once(k, data.x, data.elements(), threads);
      (void)sink;
      const auto t1 = Clock::now();
      const std::size_t runs = per_thread[v] == 0 ? threads : std::min(blocks, per_thread[v] * threads);
      const Pass pass{&k, &problem, blocks, runs, sums.data(), totals.data()};
      if (per_thread[v] == 0) {
        parallel_for_each_thread(threads, &Pass::run, &pass);
      } else {
        parallel_for(runs, threads, &Pass::run, &pass);
      }
      const auto t2 = Clock::now();
      if (c >= 2) ratio[v].push_back(std::chrono::duration<double>(t1 - t0).count() / std::chrono::duration<double>(t2 - t1).count());
    }
  }
  std::printf("%u threads, %% of readOnce:", threads);
  for (int v = 0; v < 4; ++v) {
    if (per_thread[v] == 0) {
      std::printf("  pinned %5.1f %%", 100 * profile::median(ratio[v]));
    } else {
      std::printf("  dynamic %zu/thread %5.1f %%", per_thread[v], 100 * profile::median(ratio[v]));
    }
  }
  std::printf("\n");
}
