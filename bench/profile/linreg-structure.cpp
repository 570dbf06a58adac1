// What the fused kernel's generality costs (bench/analysis.md): readOnce, the real AVX-512
// narrow kernel (linreg_loss_grad, one thread, MSE) and a lean kernel that does the same
// arithmetic with none of the generality, over the same 100,000 × 32 f32 X, interleaved call
// by call. The lean kernel knows it has 32 columns, MSE, whole groups of 16 rows, no
// predictions and one block of rows: one loop, the dot products of a group, the previous
// group's gradient updates, the fold, the loss. It is not a valid kernel of NUMERICS.md
// (no 1,024-row blocks), only a measure of what a streamlined loop reaches; on one block it
// gives the real kernel's bits, which main() checks before timing.
// X is timed twice: on 4 KB pages, as Node allocates it, and on transparent huge pages
// (madvise). On this VM the fused kernel, not readOnce, runs about a third slower for minutes
// at a time; huge pages seemed to avoid that in some ad-hoc runs and not in others.
// Then both kernels are timed on X's first 256 rows over and over (as many rows as a pass),
// from L1: their compute alone, against the passes' readOnce (ratio of medians). Near 100 %
// the arithmetic alone takes as long as the read, and only a perfect overlap reaches it.
// Built with AVX-512 by linreg-structure.sh. Usage: linreg-structure <calls>
#include "../../native/src/isa/isas.h"
#include "../../native/src/linreg.h"
#include "linreg-data.h"

#include <immintrin.h>
#include <sys/mman.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#define ADAM_SIMD_ISA lean  // this file's own copy of the kernel headers (native/src/isa/namespace.h)
#include "../../native/src/simd/avx512.h"
#include "../../native/src/kernels/reductions.h"

namespace adam_simd {
namespace lean {

// MSE over rows (a multiple of 16) × 32 columns: returns the loss sum, writes S and the g sum.
float linreg_lean(const float* x, const float* y, const float* w, float bias, std::size_t rows, float* sum, float* g_total) {
  using V = Vec<float>;
  const V w0 = V::load(w), w1 = V::load(w + 16), b = V::splat(bias);
  V s0 = V::splat(0.0f), s1 = V::splat(0.0f), loss = V::splat(0.0f), gsum = V::splat(0.0f);
  alignas(64) float g[16];
  const float* pending = nullptr;
  for (std::size_t first = 0; first < rows; first += 16) {
    const float* rowsx = x + first * 32;
    V dots[16];
    for (int r = 0; r < 16; ++r) dots[r] = V::load(rowsx + r * 32) * w0 + V::load(rowsx + r * 32 + 16) * w1;
    if (pending != nullptr) {
      for (int r = 0; r < 16; ++r) {
        const V gr = V::splat(g[r]);
        s0 = s0 + gr * V::load(pending + r * 32);
        s1 = s1 + gr * V::load(pending + r * 32 + 16);
      }
    }
    const V e = ((V::splat(0.0f) + V::fold_rows(dots)) + b) - V::load(y + first);
    loss = loss + e * e;
    gsum = gsum + e;
    e.store(g);
    asm volatile("" ::: "memory");  // g_i reloaded by broadcasts, as in the real kernel
    pending = rowsx;
  }
  for (int r = 0; r < 16 && pending != nullptr; ++r) {
    const V gr = V::splat(g[r]);
    s0 = s0 + gr * V::load(pending + r * 32);
    s1 = s1 + gr * V::load(pending + r * 32 + 16);
  }
  s0.store(sum);
  s1.store(sum + 16);
  *g_total = fold_partials(&gsum);
  return fold_partials(&loss);
}
}  // namespace lean
}  // namespace adam_simd

using namespace adam_simd;

namespace {

// X on 4 KB pages (malloc'd, as Node's allocator gives it) or on huge pages where the kernel
// grants them (madvise before the first touch).
float* allocate_x(std::size_t bytes, bool huge) {
  constexpr std::size_t kHuge = std::size_t(1) << 21;
  void* p = nullptr;
  const std::size_t rounded = (bytes + kHuge - 1) / kHuge * kHuge;
  if (posix_memalign(&p, huge ? kHuge : 64, rounded) != 0) return nullptr;
  if (huge) madvise(p, rounded, MADV_HUGEPAGE);
  return static_cast<float*>(p);
}

bool lean_matches_real(const profile::LinregData& data, const float* x, const float* w_padded) {
  constexpr std::size_t rows = kLinregRowBlock;  // one block: the two kernels add in the same order
  std::vector<float> sum(32), real_sum(32), totals(2);
  float g_total = 0;
  const float loss = lean::linreg_lean(x, data.y.data(), w_padded, 0.25f, rows, sum.data(), &g_total);
  LinregProblem<float> p{x, rows, 32, data.y.data(), w_padded, 0.25f, LinregLoss::Mse, 1.0f, nullptr, nullptr, nullptr};
  avx512_kernels()->f32.linreg_block(p, w_padded, 0, rows, real_sum.data(), totals.data());
  return std::memcmp(sum.data(), real_sum.data(), sizeof(float) * 32) == 0 && std::memcmp(&loss, &totals[0], 4) == 0 &&
         std::memcmp(&g_total, &totals[1], 4) == 0;
}

}  // namespace

// Compute alone: the first kL1Rows rows (32 KB) over and over, so X comes from L1 and the
// time is the kernel's arithmetic, loads and stores with no wait for L2/L3.
constexpr std::size_t kL1Rows = 256;

int main(int argc, char** argv) {
  const int calls = profile::calls_argument(argc, argv);
  constexpr std::size_t rows = 100000;
  profile::LinregData data(rows);
  const KernelTable* table = avx512_kernels();
  for (const bool huge : {false, true}) {
    float* x = allocate_x(data.elements() * sizeof(float), huge);
    if (x == nullptr) return 1;
    std::memcpy(x, data.x, data.elements() * sizeof(float));
    if (!lean_matches_real(data, x, data.w.data())) {
      std::fprintf(stderr, "the lean kernel does not give the real kernel's bits on one block\n");
      return 1;
    }
    const LinregProblem<float> problem = data.problem(x);
    std::vector<float> sum(32);
    float g_total = 0;
    using Clock = std::chrono::steady_clock;
    std::vector<double> read_ns, real_ns, lean_ns, real_ratio, lean_ratio;
    std::vector<float> totals(2);
    volatile float sink = 0.0f;
    const auto ns = [](Clock::time_point a, Clock::time_point b) {
      return std::chrono::duration<double, std::nano>(b - a).count() / double(rows);
    };
    for (int c = 0; c < calls + 2; ++c) {  // the first two are warm-up
      const auto t0 = Clock::now();
      sink = table->f32.read_once(x, data.elements());
      const auto t1 = Clock::now();
      sink = linreg_loss_grad(table->f32, problem, 1);
      const auto t2 = Clock::now();
      sink = lean::linreg_lean(x, data.y.data(), data.w.data(), 0.25f, rows, sum.data(), &g_total);
      const auto t3 = Clock::now();
      if (c < 2) continue;
      read_ns.push_back(ns(t0, t1));
      real_ns.push_back(ns(t1, t2));
      lean_ns.push_back(ns(t2, t3));
      real_ratio.push_back(ns(t0, t1) / ns(t1, t2));
      lean_ratio.push_back(ns(t0, t1) / ns(t2, t3));
    }
    // Compute alone, in a loop of its own after the passes: right after these L1 loops the next
    // readOnce ran about a sixth slower on this VM, so the passes' readOnce is the baseline.
    std::vector<double> real_l1_ns, lean_l1_ns;
    for (int c = 0; c < calls + 2; ++c) {
      const auto t0 = Clock::now();
      for (std::size_t done = 0; done < rows; done += kL1Rows) {
        table->f32.linreg_block(problem, data.w.data(), 0, kL1Rows, sum.data(), totals.data());
      }
      const auto t1 = Clock::now();
      for (std::size_t done = 0; done < rows; done += kL1Rows) {
        sink = lean::linreg_lean(x, data.y.data(), data.w.data(), 0.25f, kL1Rows, sum.data(), &g_total);
      }
      const auto t2 = Clock::now();
      if (c < 2) continue;
      real_l1_ns.push_back(ns(t0, t1));
      lean_l1_ns.push_back(ns(t1, t2));
    }
    (void)sink;
    using profile::median;
    std::printf("X on %-15s ns/row: readOnce %.3f  real %.3f  lean %.3f | %% of readOnce: real %5.1f %%  lean %5.1f %%\n",
                huge ? "huge pages:" : "4 KB pages:", median(read_ns), median(real_ns), median(lean_ns),
                100 * median(real_ratio), 100 * median(lean_ratio));
    std::printf("%-20s compute alone, X in L1: real %.3f  lean %.3f |                 real %5.1f %%  lean %5.1f %%\n", "",
                median(real_l1_ns), median(lean_l1_ns), 100 * median(read_ns) / median(real_l1_ns),
                100 * median(read_ns) / median(lean_l1_ns));
    std::free(x);
  }
}
