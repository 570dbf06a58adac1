// Dense-layer kernels of a network (native/NUMERICS.md, "Neural networks"). Over the ISA's Vec<T>
// (its simd/ header first).
//
// Every sum is a running sum over t in order; a vector holds `lanes` different outputs j, so
// the width never changes a bit. Up to 8 vectors of outputs are kept in registers at a time
// (8 independent add chains per t, enough to cover the add latency); outputs past the last
// whole vector are done one at a time in plain T, by the same operations.
#pragma once

#include <cstddef>

#include "../kernel_api.h"
#include "../isa/namespace.h"
#include "mlp_math.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <std::size_t C, class T>
inline void mlp_tile(const T* a, std::size_t a_step, const T* w, std::size_t w_step, std::size_t count, T* out) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  V acc[C];
  for (std::size_t c = 0; c < C; ++c) acc[c] = V::splat(T(0));
  for (std::size_t t = 0; t < count; ++t) {
    const V av = V::splat(a[t * a_step]);
    const T* wt = w + t * w_step;
    for (std::size_t c = 0; c < C; ++c) acc[c] = acc[c] + av * V::load(wt + c * L);
  }
  for (std::size_t c = 0; c < C; ++c) acc[c].store(out + c * L);
}

template <class T>
inline void mlp_tiles(std::size_t vectors, const T* a, std::size_t a_step, const T* w, std::size_t w_step, std::size_t count,
                      T* out) {
  switch (vectors) {
    case 1: return mlp_tile<1>(a, a_step, w, w_step, count, out);
    case 2: return mlp_tile<2>(a, a_step, w, w_step, count, out);
    case 3: return mlp_tile<3>(a, a_step, w, w_step, count, out);
    case 4: return mlp_tile<4>(a, a_step, w, w_step, count, out);
    case 5: return mlp_tile<5>(a, a_step, w, w_step, count, out);
    case 6: return mlp_tile<6>(a, a_step, w, w_step, count, out);
    case 7: return mlp_tile<7>(a, a_step, w, w_step, count, out);
    default: return mlp_tile<8>(a, a_step, w, w_step, count, out);
  }
}

template <class T>
void mlp_products(const MlpProducts<T>& p, std::size_t begin, std::size_t end) {
  constexpr std::size_t L = Vec<T>::lanes;
  const std::size_t whole = p.width / L;
  for (std::size_t r = begin; r < end; ++r) {
    const T* a = p.a + r * p.a_row;
    T* out = p.out + r * p.out_row;
    for (std::size_t v = 0; v < whole; v += 8) {
      mlp_tiles(whole - v < 8 ? whole - v : 8, a, p.a_step, p.w + v * L, p.w_step, p.count, out + v * L);
    }
    for (std::size_t j = whole * L; j < p.width; ++j) {
      T acc = T(0);
      for (std::size_t t = 0; t < p.count; ++t) acc = acc + a[t * p.a_step] * p.w[t * p.w_step + j];
      out[j] = acc;
    }
  }
}

template <class T>
inline T mlp_activate_one(T z, MlpActivation act) {
  switch (act) {
    case MlpActivation::Relu: return z < T(0) ? T(0) : z;
    case MlpActivation::Tanh: return static_cast<T>(mlp_tanh64(double(z)));
    case MlpActivation::Sigmoid: return static_cast<T>(mlp_sigmoid64(double(z)));
    default: return z;
  }
}

template <class T>
void mlp_activate(T* z, const T* bias, std::size_t units, std::size_t rows, MlpActivation act) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  const V zero = V::splat(T(0));
  for (std::size_t r = 0; r < rows; ++r) {
    T* row = z + r * units;
    std::size_t j = 0;
    if (act == MlpActivation::Linear || act == MlpActivation::Relu) {
      for (; j + L <= units; j += L) {
        V v = V::load(row + j);
        if (bias != nullptr) v = v + V::load(bias + j);
        if (act == MlpActivation::Relu) v = select(v < zero, zero, v);
        v.store(row + j);
      }
    }
    for (; j < units; ++j) row[j] = mlp_activate_one(bias != nullptr ? row[j] + bias[j] : row[j], act);
  }
}

template <class T>
void mlp_activation_backward(const T* h, T* d, std::size_t n, MlpActivation act) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  if (act == MlpActivation::Linear) return;
  const V zero = V::splat(T(0)), one = V::splat(T(1));
  std::size_t i = 0;
  for (; i + L <= n; i += L) {
    const V hv = V::load(h + i), dv = V::load(d + i);
    V out;
    if (act == MlpActivation::Relu) out = select(hv > zero, dv, zero);
    else if (act == MlpActivation::Tanh) out = dv * (one - hv * hv);
    else out = dv * (hv * (one - hv));
    out.store(d + i);
  }
  for (; i < n; ++i) {
    if (act == MlpActivation::Relu) d[i] = h[i] > T(0) ? d[i] : T(0);
    else if (act == MlpActivation::Tanh) d[i] = d[i] * (T(1) - h[i] * h[i]);
    else d[i] = d[i] * (h[i] * (T(1) - h[i]));
  }
}

// The no-FMA arithmetic peak of this ISA (bench/mlp.js): 6 multiply and 6 add chains, each
// 4 to 5 cycles of latency deep, so both vector ports stay busy; 12 registers in all.
template <class T>
std::size_t mlp_peak(std::size_t iterations, T* sink) {
  using V = Vec<T>;
  constexpr std::size_t kChains = 6;
  const V scale = V::splat(T(0.999999)), step = V::splat(T(1e-7));
  V m[kChains], a[kChains];
  for (std::size_t c = 0; c < kChains; ++c) m[c] = a[c] = V::splat(T(c + 1));
  for (std::size_t i = 0; i < iterations; ++i) {
    for (std::size_t c = 0; c < kChains; ++c) {
      m[c] = m[c] * scale;
      a[c] = a[c] + step;
    }
  }
  V total = V::splat(T(0));
  for (std::size_t c = 0; c < kChains; ++c) total = total + m[c] + a[c];
  alignas(64) T lanes[V::lanes];
  total.store(lanes);
  *sink = lanes[0];
  return iterations * 2 * kChains * V::lanes;
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
