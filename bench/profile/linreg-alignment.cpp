// What X's alignment is worth to the linear-regression pass: readOnce and the fused kernel
// (one thread, MSE) over the same 32-column f32 values at a 64-byte boundary and 16 bytes
// past one (where Node's allocator puts a large Float32Array), interleaved call by call.
// Built once per run by linreg-alignment.sh, against the kernel objects of the native build.
// Usage: linreg-alignment <rows> <calls> <isa: avx2|avx512>   prints medians in ns per row.
#include "../../native/src/isa/isas.h"
#include "../../native/src/linreg.h"
#include "linreg-data.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

using namespace adam_simd;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s <rows> <calls> <avx2|avx512>\n", argv[0]);
    return 2;
  }
  const std::size_t rows = std::strtoull(argv[1], nullptr, 10);
  const int calls = std::atoi(argv[2]);
  const KernelTable* table = std::strcmp(argv[3], "avx512") == 0 ? avx512_kernels() : avx2_kernels();

  // One buffer, two views of it: at a 64-byte boundary, and 16 bytes (4 floats) past one.
  profile::LinregData data(rows);
  const float* aligned = data.x;
  const float* shifted = data.x + 4;
  const LinregProblem<float> on_line = data.problem(aligned), off_line = data.problem(shifted);

  using Clock = std::chrono::steady_clock;
  std::vector<double> read_on, read_off, fused_on, fused_off;
  const auto ns_per_row = [&](Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::nano>(b - a).count() / double(rows);
  };
  volatile float sink = 0.0f;
  for (int c = 0; c < calls + 2; ++c) {  // the first two are warm-up
    const auto t0 = Clock::now();
    sink = table->f32.read_once(aligned, data.elements());
    const auto t1 = Clock::now();
    sink = table->f32.read_once(shifted, data.elements());
    const auto t2 = Clock::now();
    sink = linreg_loss_grad(table->f32, on_line, 1);
    const auto t3 = Clock::now();
    sink = linreg_loss_grad(table->f32, off_line, 1);
    const auto t4 = Clock::now();
    if (c < 2) continue;
    read_on.push_back(ns_per_row(t0, t1));
    read_off.push_back(ns_per_row(t1, t2));
    fused_on.push_back(ns_per_row(t2, t3));
    fused_off.push_back(ns_per_row(t3, t4));
  }
  (void)sink;
  using profile::median;
  std::printf("%-7s %7zu rows: ns/row readOnce %.3f (aligned) %.3f (+16 B) | fused %.3f (aligned) %.3f (+16 B)"
              " | fused +16 B / aligned %.2f | fused %% of readOnce: %.1f %% aligned, %.1f %% at +16 B\n",
              table->isa, rows, median(read_on), median(read_off), median(fused_on), median(fused_off),
              median(fused_off) / median(fused_on), 100 * median(read_on) / median(fused_on),
              100 * median(read_off) / median(fused_off));
}
