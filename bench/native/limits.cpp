// The hardware limit of an Adam step, timed inside native code: the library's own per-ISA
// kernels (the kernel table of native/src/isa, chosen by dispatch.cpp, split across the
// library's thread pool), called in a plain C++ loop with no Node-API layer, so the figure
// carries no call cost. It times, alternately, the same-traffic kernel (adam_traffic: read
// p, g, m, v and write p, m, v, no arithmetic) and the real Adam kernel, and prints one JSON
// line: each repetition's time in ns per parameter per step. bench/limits.js runs it.
//
// Usage: adam-limits <isa|best> <f32|f64> <count> <size> <threads> <steps> <reps>
//   count tensors of size elements each, laid out as createParameters lays them out: each of
//   p, g, m, v one 64-byte-aligned block, the tensors consecutive slices of it (the best
//   layout for the same tensors: 10,000 separate 100-element allocations stream at a fraction
//   of the speed, the hardware prefetchers never getting going on 7-line arrays); steps kernel
//   calls per tensor per repetition; reps repetitions of each kernel after one unrecorded
//   warm-up of each.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "../../native/src/dispatch.h"
#include "../../native/src/parallel.h"

using namespace adam_simd;

namespace {

struct Free {
  void operator()(void* p) const { std::free(p); }
};

template <class T>
std::unique_ptr<T, Free> aligned(std::size_t n, T fill) {
  const std::size_t bytes = (n * sizeof(T) + 63) / 64 * 64;
  T* p = static_cast<T*>(std::aligned_alloc(64, bytes));
  if (p == nullptr) throw std::bad_alloc();
  std::fill(p, p + n, fill);
  return std::unique_ptr<T, Free>(p);
}

// The torch defaults at step 10, as lib/scalars.ts computes them (bench/workloads.js HYPER,
// STEP): the speed of the kernel does not depend on which values it gets.
template <class T>
AdamScalars<T> adam_scalars() {
  const double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8, t = 10;
  const double c2 = std::sqrt(1 - std::pow(b2, t));
  return {T(b1), T(1 - b1), T(b2), T(1 - b2), T(lr * c2 / (1 - std::pow(b1, t))), T(eps * c2), T(0), T(1), false, false};
}

template <class T>
struct Problem {
  const Kernels<T>* k;
  AdamScalars<T> scalars = adam_scalars<T>();
  std::vector<std::unique_ptr<T, Free>> storage;
  std::vector<AdamTensor<T>> tensors;
  unsigned threads = 1;
  std::size_t chunk = 0;  // elements per pool task when threaded (one tensor only)
  bool traffic = false;

  Problem(const Kernels<T>* kernels, std::size_t count, std::size_t size, unsigned wanted) : k(kernels) {
    T* const p = hold(aligned<T>(count * size, T(0.25)));
    T* const g = hold(aligned<T>(count * size, T(-0.125)));
    T* const m = hold(aligned<T>(count * size, T(0.01)));
    T* const v = hold(aligned<T>(count * size, T(0.001)));
    for (std::size_t i = 0; i < count; ++i) {
      const std::size_t at = i * size;
      tensors.push_back({p + at, g + at, m + at, v + at, nullptr, size});
    }
    threads = useful_threads(wanted, count * size);
    // As adamStep splits a tensor: tasks of about a quarter of each thread's share, whole
    // cache lines, so a faster thread can take more of them (binding/step_runner.h).
    chunk = (std::max<std::size_t>(size / (4 * threads), 4096) + 63) / 64 * 64;
  }

  T* hold(std::unique_ptr<T, Free> array) {
    storage.push_back(std::move(array));
    return storage.back().get();
  }

  void run(const AdamTensor<T>& t, std::size_t begin, std::size_t end) const {
    if (traffic) k->adam_traffic(t, begin, end);
    else k->adam(scalars, t, begin, end);
  }

  static void task(const void* self, std::size_t i) {
    const Problem& p = *static_cast<const Problem*>(self);
    const AdamTensor<T>& t = p.tensors[0];
    p.run(t, i * p.chunk, std::min(t.length, (i + 1) * p.chunk));
  }

  void step() {
    if (threads <= 1) {
      for (const AdamTensor<T>& t : tensors) run(t, 0, t.length);
      return;
    }
    const std::size_t n = tensors[0].length;
    parallel_for((n + chunk - 1) / chunk, threads, &Problem::task, this);
  }

  // ns per parameter per step over `steps` steps.
  double time(bool as_traffic, long steps) {
    traffic = as_traffic;
    const auto t0 = std::chrono::steady_clock::now();
    for (long s = 0; s < steps; ++s) step();
    const auto t1 = std::chrono::steady_clock::now();
    const double params = double(tensors.size()) * double(tensors[0].length);
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / params / double(steps);
  }
};

std::size_t positive(const char* text, const char* what) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text, &end, 10);
  if (*text == '\0' || *end != '\0' || v == 0) {
    throw std::invalid_argument(std::string(what) + ": expected a positive integer, received \"" + text + "\"");
  }
  return std::size_t(v);
}

template <class T>
void bench(const KernelTable& table, const Kernels<T>& k, const char* dtype, std::size_t count, std::size_t size,
           unsigned threads, long steps, std::size_t reps) {
  if (threads > 1 && count > 1) throw std::invalid_argument("threads > 1 needs count 1 (one tensor split across threads)");
  Problem<T> p(&k, count, size, threads);
  p.time(true, steps);
  p.time(false, steps);
  std::vector<double> traffic, adam;
  for (std::size_t r = 0; r < reps; ++r) {
    traffic.push_back(p.time(true, steps));
    adam.push_back(p.time(false, steps));
  }
  const auto list = [](const std::vector<double>& v) {
    std::string s;
    char buf[32];
    for (double x : v) {
      std::snprintf(buf, sizeof buf, "%s%.6g", s.empty() ? "" : ",", x);
      s += buf;
    }
    return s;
  };
  // A checksum, so no compiler could drop the loops as unused.
  std::printf(
      "{\"isa\":\"%s\",\"dtype\":\"%s\",\"count\":%zu,\"size\":%zu,\"threads\":%u,\"steps\":%ld,"
      "\"traffic\":[%s],\"adam\":[%s],\"checksum\":%.6g}\n",
      table.isa, dtype, count, size, p.threads, steps, list(traffic).c_str(), list(adam).c_str(),
      double(p.tensors[0].param[size / 2]));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 8) {
    std::fprintf(stderr, "usage: %s <isa|best> <f32|f64> <count> <size> <threads> <steps> <reps>\n", argv[0]);
    return 2;
  }
  try {
    const std::string isa = argv[1], dtype = argv[2];
    const Dispatch d = choose_kernels(isa == "best" ? nullptr : isa.c_str());
    const std::size_t count = positive(argv[3], "count"), size = positive(argv[4], "size");
    const unsigned threads = unsigned(positive(argv[5], "threads"));
    const long steps = long(positive(argv[6], "steps"));
    const std::size_t reps = positive(argv[7], "reps");
    pool_attach();
    if (dtype == "f32") bench(*d.kernels, d.kernels->f32, "f32", count, size, threads, steps, reps);
    else if (dtype == "f64") bench(*d.kernels, d.kernels->f64, "f64", count, size, threads, steps, reps);
    else throw std::invalid_argument("dtype: expected f32 or f64, received \"" + dtype + "\"");
    pool_detach();  // joins the pool's threads before exit
  } catch (const std::exception& e) {
    std::fprintf(stderr, "adam-limits: %s\n", e.what());
    return 2;
  }
}
