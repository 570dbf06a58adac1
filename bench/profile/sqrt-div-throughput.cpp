// Throughput of the two IEEE operations Adam needs per element (one sqrt, one division), on
// this CPU, for 8-lane (ymm) and 16-lane (zmm) float vectors: the in-cache ceiling of the
// Adam kernel. Sixteen independent chains per loop, so latency is hidden and the result is the
// issue rate of the divider/sqrt unit.
#include <immintrin.h>

#include <chrono>
#include <cstdio>

namespace {

constexpr int kChains = 16;
constexpr long kIters = 20'000'000;

template <class V, class Op>
__attribute__((noinline)) double ns_per_vector(V seed, Op op) {
  V x[kChains];
  for (int c = 0; c < kChains; ++c) x[c] = seed;
  const auto t0 = std::chrono::steady_clock::now();
  for (long i = 0; i < kIters; ++i) {
    for (int c = 0; c < kChains; ++c) x[c] = op(x[c]);
  }
  const auto t1 = std::chrono::steady_clock::now();
  volatile float sink = 0;
  for (int c = 0; c < kChains; ++c) sink = sink + reinterpret_cast<float*>(&x[c])[0];
  return std::chrono::duration<double, std::nano>(t1 - t0).count() / (double(kIters) * kChains);
}

}  // namespace

int main() {
  // Values stay near 1 (no subnormals, no overflow): sqrt(x) and x / x' with x' ≈ x.
  const __m256 one8 = _mm256_set1_ps(1.0001f), two8 = _mm256_set1_ps(1.0000001f);
  const __m512 one16 = _mm512_set1_ps(1.0001f), two16 = _mm512_set1_ps(1.0000001f);
  struct Row {
    const char* name;
    int lanes;
    double ns;
  };
  const Row rows[] = {
      {"vsqrtps ymm", 8, ns_per_vector(one8, [](__m256 v) { return _mm256_sqrt_ps(v); })},
      {"vdivps  ymm", 8, ns_per_vector(one8, [&](__m256 v) { return _mm256_div_ps(v, two8); })},
      {"vsqrtps+vdivps ymm", 8, ns_per_vector(one8, [&](__m256 v) { return _mm256_div_ps(_mm256_sqrt_ps(v), two8); })},
      {"vsqrtps zmm", 16, ns_per_vector(one16, [](__m512 v) { return _mm512_sqrt_ps(v); })},
      {"vdivps  zmm", 16, ns_per_vector(one16, [&](__m512 v) { return _mm512_div_ps(v, two16); })},
      {"vsqrtps+vdivps zmm", 16, ns_per_vector(one16, [&](__m512 v) { return _mm512_div_ps(_mm512_sqrt_ps(v), two16); })},
  };
  std::printf("%-20s %12s %12s\n", "instruction", "ns/vector", "ns/element");
  for (const Row& r : rows) std::printf("%-20s %12.3f %12.4f\n", r.name, r.ns, r.ns / r.lanes);
}
