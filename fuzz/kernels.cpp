// libFuzzer harness over the C++ kernels themselves (no Node): decodes the input into a
// dtype, option flags, hyperparameters, a length and arrays, runs every kernel on every ISA
// this CPU has, and requires the bits of the scalar table (any NaN equals any NaN). The SIMD
// tables also run the element-wise kernels split at a random element, as the thread pool
// does, which must not change a bit either. Built and run by fuzz/run.sh.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "../native/src/dispatch.h"
#include "../native/src/linreg.h"
#include "../native/src/isa/isas.h"

using namespace adam_simd;

namespace {

// Reads the fuzzer's bytes in order; past the end it yields zeros.
struct Input {
  const uint8_t* data;
  std::size_t size, at = 0;
  uint8_t byte() { return at < size ? data[at++] : 0; }
  template <class T>
  T value() {
    unsigned char raw[sizeof(T)];
    for (auto& b : raw) b = byte();
    T v;
    std::memcpy(&v, raw, sizeof v);
    return v;
  }
};

template <class T>
bool same(T a, T b) {
  if (a != a && b != b) return true;  // NaN payloads are not part of native/NUMERICS.md
  return std::memcmp(&a, &b, sizeof a) == 0;
}

template <class T>
void expect_same(const std::vector<T>& got, const std::vector<T>& want, const char* isa, const char* what) {
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (!same(got[i], want[i])) {
      std::fprintf(stderr, "%s on %s: element %zu differs from the scalar table (%.17g vs %.17g)\n", what, isa, i,
                   double(got[i]), double(want[i]));
      std::abort();
    }
  }
}

template <class T>
void expect_same(T got, T want, const char* isa, const char* what) {
  expect_same(std::vector<T>{got}, std::vector<T>{want}, isa, what);
}

// Arrays of one call: param, grad and three state buffers, each n elements.
template <class T>
struct Arrays {
  std::vector<T> a[5];
};

template <class T>
Arrays<T> decode_arrays(Input& in, std::size_t n) {
  Arrays<T> r;
  for (auto& v : r.a) {
    v.resize(n);
    for (auto& x : v) x = in.value<T>();
  }
  return r;
}

// Runs `kernel` over [0, n) in one call, or in two calls split at `mid`.
template <class Fn>
void run_split(Fn kernel, std::size_t n, std::size_t mid) {
  if (mid == 0 || mid >= n) {
    kernel(0, n);
  } else {
    kernel(0, mid);
    kernel(mid, n);
  }
}

template <class T>
void fuzz_type(Input& in, const std::vector<const Kernels<T>*>& tables, const std::vector<const char*>& names) {
  const uint8_t flags = in.byte();
  const std::size_t n = in.byte() % 80;
  const std::size_t mid = n == 0 ? 0 : in.byte() % n;

  AdamScalars<T> adam{in.value<T>(),
                      in.value<T>(),
                      in.value<T>(),
                      in.value<T>(),
                      in.value<T>(),
                      in.value<T>(),
                      (flags & 1) ? in.value<T>() : T(0),
                      (flags & 2) ? in.value<T>() : T(1),
                      bool(flags & 4),
                      bool(flags & 8)};
  SgdScalars<T> sgd{in.value<T>(),
                    (flags & 16) ? in.value<T>() : T(0),
                    in.value<T>(),
                    (flags & 1) ? in.value<T>() : T(0),
                    (flags & 16) ? ((flags & 32) ? Momentum::First : Momentum::Running) : Momentum::None,
                    bool(flags & 64),
                    bool(flags & 8)};
  AdagradScalars<T> adagrad{in.value<T>(), in.value<T>(), (flags & 1) ? in.value<T>() : T(0), bool(flags & 8)};
  RmspropScalars<T> rmsprop{in.value<T>(),
                            in.value<T>(),
                            in.value<T>(),
                            in.value<T>(),
                            (flags & 1) ? in.value<T>() : T(0),
                            (flags & 16) ? in.value<T>() : T(0),
                            bool(flags & 32),
                            bool(flags & 8)};
  LionScalars<T> lion{in.value<T>(), in.value<T>(), in.value<T>(),
                      in.value<T>(), in.value<T>(), (flags & 2) ? in.value<T>() : T(1)};
  const T factor = in.value<T>();
  const Arrays<T> start = decode_arrays<T>(in, n);

  LinregProblem<T> lr{};
  const std::size_t rows = 1 + in.byte() % 9, cols = 1 + in.byte() % 20;
  std::vector<T> x(rows * cols), y(rows), w(cols);
  for (auto* v : {&x, &y, &w})
    for (auto& e : *v) e = in.value<T>();
  lr.x = x.data();
  lr.rows = rows;
  lr.cols = cols;
  lr.y = y.data();
  lr.weights = w.data();
  lr.bias = in.value<T>();
  lr.loss = static_cast<LinregLoss>(flags % 3);
  lr.delta = in.value<T>();

  struct Result {
    Arrays<T> adam, sgd, adagrad, rmsprop, lion, scale, traffic;
    double sum_squares;  // float64 for both dtypes (native/NUMERICS.md)
    T loss;
    std::vector<T> grad_weights, grad_bias, predictions;
  };
  auto run = [&](const Kernels<T>& k, std::size_t split) {
    Result r{start,
             start,
             start,
             start,
             start,
             start,
             start,
             T(0),
             T(0),
             std::vector<T>(cols),
             std::vector<T>(1),
             std::vector<T>(rows)};
    auto& A = r.adam.a;
    AdamTensor<T> at{A[0].data(), A[1].data(), A[2].data(), A[3].data(), adam.amsgrad ? A[4].data() : nullptr, n};
    run_split([&](std::size_t b, std::size_t e) { k.adam(adam, at, b, e); }, n, split);
    auto& S = r.sgd.a;
    SgdTensor<T> st{S[0].data(), S[1].data(), sgd.momentum_mode == Momentum::None ? nullptr : S[2].data(), n};
    run_split([&](std::size_t b, std::size_t e) { k.sgd(sgd, st, b, e); }, n, split);
    auto& G = r.adagrad.a;
    AdagradTensor<T> gt{G[0].data(), G[1].data(), G[2].data(), n};
    run_split([&](std::size_t b, std::size_t e) { k.adagrad(adagrad, gt, b, e); }, n, split);
    auto& R = r.rmsprop.a;
    RmspropTensor<T> rt{R[0].data(),
                        R[1].data(),
                        R[2].data(),
                        rmsprop.centered ? R[3].data() : nullptr,
                        rmsprop.momentum != T(0) ? R[4].data() : nullptr,
                        n};
    run_split([&](std::size_t b, std::size_t e) { k.rmsprop(rmsprop, rt, b, e); }, n, split);
    auto& L = r.lion.a;
    LionTensor<T> lt{L[0].data(), L[1].data(), L[2].data(), n};
    run_split([&](std::size_t b, std::size_t e) { k.lion(lion, lt, b, e); }, n, split);
    auto& F = r.traffic.a;
    AdamTensor<T> ft{F[0].data(), F[1].data(), F[2].data(), F[3].data(), nullptr, n};
    run_split([&](std::size_t b, std::size_t e) { k.adam_traffic(ft, b, e); }, n, split);
    k.scale(r.scale.a[0].data(), n, factor);
    r.sum_squares = k.sum_squares(start.a[1].data(), n);
    LinregProblem<T> p = lr;
    p.grad_weights = r.grad_weights.data();
    p.grad_bias = r.grad_bias.data();
    p.predictions = (flags & 128) ? r.predictions.data() : nullptr;
    r.loss = linreg_loss_grad(k, p, 1);
    return r;
  };

  const Result want = run(*tables[0], 0);
  for (std::size_t t = 1; t < tables.size(); ++t) {
    const Result got = run(*tables[t], mid);
    for (int f = 0; f < 5; ++f) {
      expect_same(got.adam.a[f], want.adam.a[f], names[t], "adam");
      expect_same(got.sgd.a[f], want.sgd.a[f], names[t], "sgd");
      expect_same(got.adagrad.a[f], want.adagrad.a[f], names[t], "adagrad");
      expect_same(got.rmsprop.a[f], want.rmsprop.a[f], names[t], "rmsprop");
      expect_same(got.lion.a[f], want.lion.a[f], names[t], "lion");
      expect_same(got.scale.a[f], want.scale.a[f], names[t], "scale");
      expect_same(got.traffic.a[f], want.traffic.a[f], names[t], "adam_traffic");
    }
    expect_same(got.sum_squares, want.sum_squares, names[t], "sum_squares");
    expect_same(got.loss, want.loss, names[t], "linreg_loss_grad loss");
    expect_same(got.grad_weights, want.grad_weights, names[t], "linreg_loss_grad gradWeights");
    expect_same(got.grad_bias, want.grad_bias, names[t], "linreg_loss_grad gradBias");
    expect_same(got.predictions, want.predictions, names[t], "linreg_loss_grad predictions");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  static const Dispatch dispatch = choose_kernels(nullptr);
  static std::vector<const KernelTable*> tables = [] {
    std::vector<const KernelTable*> t;
    for (const auto& name : dispatch.isas) t.push_back(choose_kernels(name.c_str()).kernels);
    return t;
  }();
  std::vector<const char*> names;
  std::vector<const Kernels<float>*> f32;
  std::vector<const Kernels<double>*> f64;
  for (const KernelTable* t : tables) {
    names.push_back(t->isa);
    f32.push_back(&t->f32);
    f64.push_back(&t->f64);
  }
  Input in{data, size};
  if (in.byte() & 1) fuzz_type<double>(in, f64, names);
  else fuzz_type<float>(in, f32, names);
  return 0;
}
