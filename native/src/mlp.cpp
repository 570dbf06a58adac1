#include "mlp.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "parallel.h"

// mlp_math.h's functions go in this file's anonymous namespace (an empty ISA name), compiled
// with this file's flags, as each ISA's copy goes in its own namespace.
#define ADAM_SIMD_ISA
#include "kernels/mlp_math.h"

namespace adam_simd {
namespace {

// Rows [n·t/parts, n·(t+1)/parts) of one product on thread t.
template <class T>
struct Split {
  const Kernels<T>* kernels;
  MlpProducts<T> products;
  std::size_t n, parts;
  static void run(const void* self, std::size_t t) {
    const Split& s = *static_cast<const Split*>(self);
    s.kernels->mlp_products(s.products, s.n * t / s.parts, s.n * (t + 1) / s.parts);
  }
};

template <class T>
void split(const Kernels<T>& k, const MlpProducts<T>& products, std::size_t n, unsigned threads) {
  const unsigned used = static_cast<unsigned>(n < threads ? n : threads);
  const Split<T> s{&k, products, n, used};
  parallel_for_each_thread(used, &Split<T>::run, &s);
}

// The forward pass of rows [begin, end) through every layer, h[l] holding layer l's outputs;
// `logits`, when set, gets the last layer's z (the fused cross-entropy needs it).
template <class T>
struct Forward {
  const Kernels<T>* kernels;
  const MlpProblem<T>* p;
  std::vector<std::vector<T>>* h;
  T* logits;
  unsigned parts;
  static void run(const void* self, std::size_t t) {
    const Forward& f = *static_cast<const Forward*>(self);
    const std::size_t begin = f.p->rows * t / f.parts, end = f.p->rows * (t + 1) / f.parts;
    const T* a = f.p->x;
    for (std::size_t l = 0; l < f.p->layers.size(); ++l) {
      const MlpLayer<T>& layer = f.p->layers[l];
      T* out = (*f.h)[l].data();
      const MlpProducts<T> products{a,           layer.inputs, 1,          layer.kernel, layer.units, layer.inputs,
                                    layer.units, out,          layer.units};
      f.kernels->mlp_products(products, begin, end);
      T* rows = out + begin * layer.units;
      if (f.logits != nullptr && l + 1 == f.p->layers.size()) {
        T* z = f.logits + begin * layer.units;
        std::memcpy(z, rows, (end - begin) * layer.units * sizeof(T));
        f.kernels->mlp_activate(z, layer.bias, layer.units, end - begin, MlpActivation::Linear);
      }
      f.kernels->mlp_activate(rows, layer.bias, layer.units, end - begin, layer.activation);
      a = out;
    }
  }
};

template <class T>
unsigned useful(const MlpProblem<T>& p, unsigned threads) {
  std::size_t macs = 0;
  for (const MlpLayer<T>& l : p.layers) macs += l.inputs * l.units;
  // A multiply-add costs about an eighth of what useful_threads' elements assume (a streamed element).
  return useful_threads(threads, p.rows * macs / 8);
}

template <class T>
void forward(const Kernels<T>& k, const MlpProblem<T>& p, unsigned threads, std::vector<std::vector<T>>& h, T* logits) {
  h.resize(p.layers.size());
  for (std::size_t l = 0; l < p.layers.size(); ++l) h[l].assign(p.rows * p.layers[l].units, T(0));
  const unsigned parts = static_cast<unsigned>(p.rows < threads ? p.rows : threads);
  const Forward<T> f{&k, &p, &h, logits, parts};
  parallel_for_each_thread(parts, &Forward<T>::run, &f);
}

// The loss terms and the last layer's gradient d (dH, or dZ for the fused cross-entropies).
template <class T>
T loss_and_gradient(const MlpProblem<T>& p, const T* h, const T* z, T* d) {
  const std::size_t units = p.layers.back().units, rows = p.rows;
  T total = T(0);
  if (p.loss == MlpLoss::SparseCategoricalCrossentropy) {
    const T n = T(rows);
    std::vector<double> e(units);
    for (std::size_t i = 0; i < rows; ++i) {
      const T* zi = z + i * units;
      T m = zi[0];
      for (std::size_t j = 1; j < units; ++j) m = zi[j] > m ? zi[j] : m;
      double s = 0;
      for (std::size_t j = 0; j < units; ++j) {
        e[j] = mlp_exp64(double(zi[j]) - double(m));
        s = s + e[j];
      }
      const std::size_t label = static_cast<std::size_t>(p.y[i]);
      total = total + static_cast<T>((double(m) + mlp_log64(s)) - double(zi[label]));
      for (std::size_t j = 0; j < units; ++j) d[i * units + j] = (static_cast<T>(e[j] / s) - T(j == label ? 1 : 0)) / n;
    }
    return total / n;
  }
  const T n = T(rows * units);
  if (p.loss == MlpLoss::BinaryCrossentropy) {
    for (std::size_t q = 0; q < rows * units; ++q) {
      const double zq = z[q], t = p.y[q];
      total = total + static_cast<T>(((zq > 0 ? zq : 0) - zq * t) + mlp_log1p64(mlp_exp64(-std::fabs(zq))));
      d[q] = (h[q] - p.y[q]) / n;
    }
    return total / n;
  }
  const T delta = p.delta, half_delta = T(0.5) * p.delta;
  for (std::size_t q = 0; q < rows * units; ++q) {
    const T err = h[q] - p.y[q];
    T l, g;
    if (p.loss == MlpLoss::Mse) {
      l = err * err;
      g = T(2) * err;
    } else if (p.loss == MlpLoss::Mae) {
      l = std::fabs(err);
      g = err > 0 ? T(1) : err < 0 ? T(-1) : err;
    } else {
      const T a = std::fabs(err);
      l = a < delta ? T(0.5) * (err * err) : delta * (a - half_delta);
      g = err < -delta ? -delta : err > delta ? delta : err;
    }
    total = total + l;
    d[q] = g / n;
  }
  return total / n;
}

}  // namespace

template <class T>
T mlp_loss_grad(const Kernels<T>& k, const MlpProblem<T>& p, unsigned threads) {
  const unsigned used = useful(p, threads);
  const bool fused = p.loss == MlpLoss::BinaryCrossentropy || p.loss == MlpLoss::SparseCategoricalCrossentropy;
  const std::size_t last = p.layers.size() - 1;
  std::vector<std::vector<T>> h;
  std::vector<T> logits(p.loss == MlpLoss::BinaryCrossentropy ? p.rows * p.layers[last].units : 0);
  forward(k, p, used, h, logits.empty() ? nullptr : logits.data());
  std::vector<T> d(p.rows * p.layers[last].units);
  const T mean = loss_and_gradient(p, h[last].data(), logits.empty() ? h[last].data() : logits.data(), d.data());
  if (p.output != nullptr) std::memcpy(p.output, h[last].data(), h[last].size() * sizeof(T));
  std::vector<T> da, transposed;
  const T one = T(1);
  for (std::size_t l = last + 1; l-- > 0;) {
    const MlpLayer<T>& layer = p.layers[l];
    if (!(l == last && fused)) k.mlp_activation_backward(h[l].data(), d.data(), d.size(), layer.activation);
    const T* a = l == 0 ? p.x : h[l - 1].data();
    split(k, MlpProducts<T>{a, 1, layer.inputs, d.data(), layer.units, p.rows, layer.units, layer.grad_kernel, layer.units},
          layer.inputs, used);
    if (layer.grad_bias != nullptr) {
      k.mlp_products(MlpProducts<T>{&one, 0, 0, d.data(), layer.units, p.rows, layer.units, layer.grad_bias, 0}, 0, 1);
    }
    if (l == 0) break;
    transposed.resize(layer.inputs * layer.units);
    for (std::size_t r = 0; r < layer.inputs; ++r) {
      for (std::size_t j = 0; j < layer.units; ++j) transposed[j * layer.inputs + r] = layer.kernel[r * layer.units + j];
    }
    da.assign(p.rows * layer.inputs, T(0));
    split(k,
          MlpProducts<T>{d.data(), layer.units, 1, transposed.data(), layer.inputs, layer.units, layer.inputs, da.data(),
                         layer.inputs},
          p.rows, used);
    d.swap(da);
  }
  return mean;
}

template <class T>
void mlp_forward(const Kernels<T>& k, const MlpProblem<T>& p, unsigned threads) {
  std::vector<std::vector<T>> h;
  forward<T>(k, p, useful(p, threads), h, nullptr);
  std::memcpy(p.output, h.back().data(), h.back().size() * sizeof(T));
}

template float mlp_loss_grad<float>(const Kernels<float>&, const MlpProblem<float>&, unsigned);
template double mlp_loss_grad<double>(const Kernels<double>&, const MlpProblem<double>&, unsigned);
template void mlp_forward<float>(const Kernels<float>&, const MlpProblem<float>&, unsigned);
template void mlp_forward<double>(const Kernels<double>&, const MlpProblem<double>&, unsigned);

}  // namespace adam_simd
