// Runs one ISA's f32 Adam kernel (and its traffic baseline) straight from the kernel table,
// with no Node-API layer: `adam-kernel-driver <isa> <adam|traffic> <n> <steps>` prints ns per
// parameter. Under callgrind (avx2/scalar: valgrind cannot run AVX-512) it gives the
// kernel's instruction count per parameter; next to `npm run bench` it separates kernel time
// from per-call binding overhead.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../../native/src/isa/isas.h"

using namespace adam_simd;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <scalar|avx2|avx512> <adam|traffic> <n> <steps>\n", argv[0]);
    return 2;
  }
  const char* isa = argv[1];
  const bool traffic = std::strcmp(argv[2], "traffic") == 0;
  const std::size_t n = std::strtoull(argv[3], nullptr, 10);
  const long steps = std::strtol(argv[4], nullptr, 10);
  const KernelTable* table = std::strcmp(isa, "avx512") == 0 ? avx512_kernels()
                             : std::strcmp(isa, "avx2") == 0 ? avx2_kernels()
                                                             : scalar_kernels();

  std::vector<float> p(n), g(n), m(n), v(n);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = float(i % 97) / 97.0f - 0.5f;
    g[i] = float(i % 89) / 89.0f - 0.5f;
    m[i] = 0.01f;
    v[i] = 0.001f;
  }
  // torch defaults at step 10, as lib/scalars.ts computes them (rounded to float).
  const AdamScalars<float> s{0.9f, 0.1f, 0.999f, 0.001f, 0.000153f, 9.95e-10f, 0.0f, 1.0f, false, false};
  const AdamTensor<float> t{p.data(), g.data(), m.data(), v.data(), nullptr, n};

  const auto t0 = std::chrono::steady_clock::now();
  for (long k = 0; k < steps; ++k) {
    if (traffic) table->f32.adam_traffic(t, 0, n);
    else table->f32.adam(s, t, 0, n);
  }
  const auto t1 = std::chrono::steady_clock::now();
  const double ns = std::chrono::duration<double, std::nano>(t1 - t0).count();
  std::printf("%s %s n=%zu steps=%ld: %.4f ns/param (checksum %g)\n", isa, argv[2], n, steps, ns / double(n) / double(steps),
              double(p[n / 2]));
}
