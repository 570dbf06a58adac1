// The hardware's limit for an Adam step, timed inside native code: the same-traffic loop
// (adam_traffic: read p, g, m, v; write p, m, v, no arithmetic) and the Adam kernel itself,
// over one tensor of n elements, `reps` times inside one timed region, with no Node-API call
// in between. bench/fixed-cost.js compares what users get through the library with it.
//
//   adam_simd_limits <isa> <f32|f64> <n> <reps> <threads> <rounds>
//
// Prints one JSON line: the median over `rounds` rounds of ns per element per step, for the
// traffic loop and the kernel. Each of `threads` std::threads runs its contiguous part.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "../../native/src/dispatch.h"

using namespace adam_simd;

namespace {

template <class T>
T* aligned(std::size_t n, T value) {
  T* p = static_cast<T*>(::operator new[](n * sizeof(T), std::align_val_t(64)));
  std::fill(p, p + n, value);
  return p;
}

template <class T, class F>
double time_round(std::size_t n, std::size_t reps, unsigned threads, F body) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (unsigned t = 1; t < threads; ++t) {
    workers.emplace_back([&, t] { for (std::size_t r = 0; r < reps; ++r) body(n * t / threads, n * (t + 1) / threads); });
  }
  for (std::size_t r = 0; r < reps; ++r) body(0, n / threads);
  for (auto& w : workers) w.join();
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  return elapsed.count() / double(reps) / double(n);
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <class T>
int run(const KernelTable& table, std::size_t n, std::size_t reps, unsigned threads, unsigned rounds, const char* isa,
        const char* dtype) {
  const Kernels<T>& k = [&]() -> const Kernels<T>& {
    if constexpr (std::is_same_v<T, float>) return table.f32; else return table.f64;
  }();
  AdamTensor<T> tensor{aligned<T>(n, T(1)), aligned<T>(n, T(0.001)), aligned<T>(n, T(0)), aligned<T>(n, T(0)), nullptr, n};
  // torch defaults at step 10 (lib/scalars.ts computes these for the library).
  const AdamScalars<T> s{T(0.9), T(0.1), T(0.999), T(0.001), T(0.0003), T(1e-9), T(0), T(1), false, false};
  auto traffic = [&](std::size_t b, std::size_t e) { k.adam_traffic(tensor, b, e); };
  auto adam = [&](std::size_t b, std::size_t e) { k.adam(s, tensor, b, e); };
  time_round<T>(n, std::max<std::size_t>(1, reps / 10), threads, traffic);  // warm-up
  std::vector<double> t_traffic, t_adam;
  for (unsigned r = 0; r < rounds; ++r) {
    t_traffic.push_back(time_round<T>(n, reps, threads, traffic));
    t_adam.push_back(time_round<T>(n, reps, threads, adam));
  }
  std::printf(
      "{\"isa\":\"%s\",\"dtype\":\"%s\",\"n\":%zu,\"reps\":%zu,\"threads\":%u,\"rounds\":%u,"
      "\"trafficNsPerParam\":%.6f,\"adamNsPerParam\":%.6f}\n",
      isa, dtype, n, reps, threads, rounds, median(t_traffic), median(t_adam));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s <isa> <f32|f64> <n> <reps> <threads> <rounds>\n", argv[0]);
    return 2;
  }
  Dispatch d;
  try {
    d = choose_kernels(argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adam_simd_limits: %s\n", e.what());
    return 2;
  }
  const std::size_t n = std::strtoull(argv[3], nullptr, 10), reps = std::strtoull(argv[4], nullptr, 10);
  const unsigned threads = unsigned(std::strtoul(argv[5], nullptr, 10)), rounds = unsigned(std::strtoul(argv[6], nullptr, 10));
  if (n == 0 || reps == 0 || threads == 0 || rounds == 0) {
    std::fprintf(stderr, "adam_simd_limits: n, reps, threads and rounds must be ≥ 1\n");
    return 2;
  }
  return std::strcmp(argv[2], "f64") == 0 ? run<double>(*d.kernels, n, reps, threads, rounds, argv[1], "f64")
                                          : run<float>(*d.kernels, n, reps, threads, rounds, argv[1], "f32");
}
