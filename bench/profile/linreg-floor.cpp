// How close can a fused linear-regression epoch get to reading X once? Compares, in one
// process and interleaved call by call, three kernels over the same row-major f32 X with
// 32 columns:
//   readOnce  the bench baseline (kernel table): X read once, one add per vector;
//   floor     the float operations native/NUMERICS.md requires per vector of X and nothing
//             else: a multiply and an add for the dot product, a multiply and an add for the
//             gradient (no FMA: the contract forbids contraction), every chain independent,
//             no fold across lanes, no loss, no broadcast of g_i;
//   fused     the real kernel (linreg_loss_grad over the kernel table, MSE, one thread).
// If `floor` cannot reach a ratio of readOnce, no kernel that honours the contract can.
// Built once per ISA by linreg-floor.sh (-DFLOOR_IS_AVX512=0|1 with that ISA's flags).
// Usage: linreg-floor <rows> <calls>   prints ns per row and the ratios (medians over calls).
#include "../../native/src/isa/isas.h"
#include "../../native/src/linreg.h"
#include "linreg-data.h"

#include <immintrin.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#define ADAM_SIMD_ISA floor_kernel  // this file's own Vec<T> (native/src/isa/namespace.h)
#if FLOOR_IS_AVX512
#include "../../native/src/simd/avx512.h"
#else
#include "../../native/src/simd/avx2.h"
#endif

namespace adam_simd {
namespace floor_kernel {

// Two products and two sums per vector of X, in 2 × (32 / lanes) independent chains per kind.
float arithmetic_floor(const float* x, std::size_t rows) {
  using V = Vec<float>;
  constexpr std::size_t L = V::lanes, NV = 32 / L;
  V w[NV], dot[NV], grad[NV];
  for (std::size_t k = 0; k < NV; ++k) {
    w[k] = V::splat(0.5f + float(k));
    dot[k] = grad[k] = V::splat(0.0f);
  }
  const V g = V::splat(0.125f);
  for (std::size_t r = 0; r < rows; ++r) {
    for (std::size_t k = 0; k < NV; ++k) {
      const V xv = V::load(x + r * 32 + k * L);
      dot[k] = dot[k] + xv * w[k];
      grad[k] = grad[k] + xv * g;
    }
  }
  alignas(64) float lanes[L];
  V total = V::splat(0.0f);
  for (std::size_t k = 0; k < NV; ++k) total = total + (dot[k] + grad[k]);
  total.store(lanes);
  float sum = 0.0f;
  for (float v : lanes) sum += v;
  return sum;
}
}  // namespace floor_kernel
}  // namespace adam_simd

using namespace adam_simd;

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <rows> <calls>\n", argv[0]);
    return 2;
  }
  const std::size_t rows = std::strtoull(argv[1], nullptr, 10);
  const int calls = std::atoi(argv[2]);
  const KernelTable* table = FLOOR_IS_AVX512 ? avx512_kernels() : avx2_kernels();
  profile::LinregData data(rows);
  const float* x = data.x;
  const std::size_t n = data.elements();
  const LinregProblem<float> problem = data.problem(x);

  using Clock = std::chrono::steady_clock;
  std::vector<double> read_ns, floor_ns, fused_ns, floor_ratio, fused_ratio;
  volatile float sink = 0.0f;
  for (int c = 0; c < calls + 2; ++c) {  // the first two are warm-up
    const auto t0 = Clock::now();
    sink = table->f32.read_once(x, n);
    const auto t1 = Clock::now();
    sink = floor_kernel::arithmetic_floor(x, rows);
    const auto t2 = Clock::now();
    sink = linreg_loss_grad(table->f32, problem, 1);
    const auto t3 = Clock::now();
    if (c < 2) continue;
    const double r = std::chrono::duration<double, std::nano>(t1 - t0).count() / double(rows);
    const double f = std::chrono::duration<double, std::nano>(t2 - t1).count() / double(rows);
    const double k = std::chrono::duration<double, std::nano>(t3 - t2).count() / double(rows);
    read_ns.push_back(r);
    floor_ns.push_back(f);
    fused_ns.push_back(k);
    floor_ratio.push_back(r / f);
    fused_ratio.push_back(r / k);
  }
  (void)sink;
  using profile::median;
  std::printf(
      "%-7s %9zu rows (X %7.1f MB): ns/row readOnce %.3f  floor %.3f  fused %.3f | "
      "%% of readOnce: floor %5.1f %%  fused %5.1f %%  (fused = %5.1f %% of floor)\n",
      table->isa, rows, double(n * sizeof(float)) / 1e6, median(read_ns), median(floor_ns), median(fused_ns),
      100 * median(floor_ratio), 100 * median(fused_ratio), 100 * median(floor_ns) / median(fused_ns));
}
