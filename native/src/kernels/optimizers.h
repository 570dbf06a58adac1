// The optimizer kernels, written once over Vec<T>. Over the ISA's Vec<T>.
// Each line is one step of native/NUMERICS.md; keep them in the same order.
#pragma once

#include <array>
#include <cstddef>

#include "../kernel_api.h"
#include "../isa/namespace.h"
#include "elementwise.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T, bool Amsgrad, bool Maximize, bool L2, bool Decoupled>
void adam_loop(const AdamScalars<T>& s, const AdamTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  const V beta1 = V::splat(s.beta1), one_minus_beta1 = V::splat(s.one_minus_beta1);
  const V beta2 = V::splat(s.beta2), one_minus_beta2 = V::splat(s.one_minus_beta2);
  const V step_size = V::splat(s.step_size), eps = V::splat(s.eps);
  const V weight_decay = V::splat(s.weight_decay), decay = V::splat(s.decay);
  enum { P, G, M, S, MAX };
  const std::array<T*, 5> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin, t.exp_avg + begin, t.exp_avg_sq + begin,
                                 Amsgrad ? t.max_exp_avg_sq + begin : nullptr};
  const unsigned written = 1u << P | 1u << M | 1u << S | 1u << MAX;

  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 5>& q, std::size_t i) {
    V g = V::load(q[G] + i);
    V p = V::load(q[P] + i);
    if constexpr (Maximize) g = neg(g);
    if constexpr (L2) g = g + weight_decay * p;
    if constexpr (Decoupled) p = p * decay;
    const V m = beta1 * V::load(q[M] + i) + one_minus_beta1 * g;
    const V v = beta2 * V::load(q[S] + i) + one_minus_beta2 * (g * g);
    V second = v;
    if constexpr (Amsgrad) {
      second = max(V::load(q[MAX] + i), v);
      second.store(q[MAX] + i);
    }
    p = p - step_size * (m / (sqrt(second) + eps));
    p.store(q[P] + i);
    m.store(q[M] + i);
    v.store(q[S] + i);
  });
}

template <class T>
void adam(const AdamScalars<T>& s, const AdamTensor<T>& t, std::size_t begin, std::size_t end) {
  with_flags(
      [&](auto amsgrad, auto maximize, auto l2, auto decoupled) {
        adam_loop<T, decltype(amsgrad)::value, decltype(maximize)::value, decltype(l2)::value, decltype(decoupled)::value>(
            s, t, begin, end);
      },
      s.amsgrad, s.maximize, s.weight_decay != T(0), s.decay != T(1));
}

template <class T, bool Maximize, bool L2, bool HasMomentum, bool FirstStep, bool Nesterov>
void sgd_loop(const SgdScalars<T>& s, const SgdTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  const V lr = V::splat(s.lr), momentum = V::splat(s.momentum);
  const V one_minus_dampening = V::splat(s.one_minus_dampening);
  const V weight_decay = V::splat(s.weight_decay);
  enum { P, G, B };
  const std::array<T*, 3> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin,
                                 HasMomentum ? t.momentum_buffer + begin : nullptr};
  const unsigned written = 1u << P | 1u << B;

  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 3>& q, std::size_t i) {
    V g = V::load(q[G] + i);
    V p = V::load(q[P] + i);
    if constexpr (Maximize) g = neg(g);
    if constexpr (L2) g = g + weight_decay * p;
    if constexpr (HasMomentum) {
      V buf = g;
      if constexpr (!FirstStep) buf = momentum * V::load(q[B] + i) + one_minus_dampening * g;
      buf.store(q[B] + i);
      g = Nesterov ? g + momentum * buf : buf;
    }
    p = p - lr * g;
    p.store(q[P] + i);
  });
}

template <class T>
void sgd(const SgdScalars<T>& s, const SgdTensor<T>& t, std::size_t begin, std::size_t end) {
  with_flags(
      [&](auto maximize, auto l2, auto has_momentum, auto first_step, auto nesterov) {
        sgd_loop<T, decltype(maximize)::value, decltype(l2)::value, decltype(has_momentum)::value,
                 decltype(first_step)::value, decltype(nesterov)::value>(s, t, begin, end);
      },
      s.maximize, s.weight_decay != T(0), s.momentum_mode != Momentum::None, s.momentum_mode == Momentum::First, s.nesterov);
}

template <class T, bool Maximize, bool L2>
void adagrad_loop(const AdagradScalars<T>& s, const AdagradTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  const V clr = V::splat(s.clr), eps = V::splat(s.eps), weight_decay = V::splat(s.weight_decay);
  enum { P, G, SUM };
  const std::array<T*, 3> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin, t.state_sum + begin};
  const unsigned written = 1u << P | 1u << SUM;

  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 3>& q, std::size_t i) {
    V g = V::load(q[G] + i);
    V p = V::load(q[P] + i);
    if constexpr (Maximize) g = neg(g);
    if constexpr (L2) g = g + weight_decay * p;
    const V sum = V::load(q[SUM] + i) + g * g;
    p = p - clr * (g / (sqrt(sum) + eps));
    p.store(q[P] + i);
    sum.store(q[SUM] + i);
  });
}

template <class T>
void adagrad(const AdagradScalars<T>& s, const AdagradTensor<T>& t, std::size_t begin, std::size_t end) {
  with_flags(
      [&](auto maximize, auto l2) { adagrad_loop<T, decltype(maximize)::value, decltype(l2)::value>(s, t, begin, end); },
      s.maximize, s.weight_decay != T(0));
}

template <class T, bool Maximize, bool L2, bool Centered, bool HasMomentum>
void rmsprop_loop(const RmspropScalars<T>& s, const RmspropTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  const V lr = V::splat(s.lr), alpha = V::splat(s.alpha), one_minus_alpha = V::splat(s.one_minus_alpha);
  const V eps = V::splat(s.eps), weight_decay = V::splat(s.weight_decay), momentum = V::splat(s.momentum);
  enum { P, G, SQ, GA, B };
  const std::array<T*, 5> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin, t.square_avg + begin,
                                 Centered ? t.grad_avg + begin : nullptr, HasMomentum ? t.momentum_buffer + begin : nullptr};
  const unsigned written = 1u << P | 1u << SQ | 1u << GA | 1u << B;

  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 5>& q, std::size_t i) {
    V g = V::load(q[G] + i);
    V p = V::load(q[P] + i);
    if constexpr (Maximize) g = neg(g);
    if constexpr (L2) g = g + weight_decay * p;
    const V sq = alpha * V::load(q[SQ] + i) + one_minus_alpha * (g * g);
    sq.store(q[SQ] + i);
    V avg;
    if constexpr (Centered) {
      const V ga = alpha * V::load(q[GA] + i) + one_minus_alpha * g;
      ga.store(q[GA] + i);
      avg = sqrt(sq - ga * ga) + eps;
    } else {
      avg = sqrt(sq) + eps;
    }
    if constexpr (HasMomentum) {
      const V buf = momentum * V::load(q[B] + i) + g / avg;
      buf.store(q[B] + i);
      p = p - lr * buf;
    } else {
      p = p - lr * (g / avg);
    }
    p.store(q[P] + i);
  });
}

template <class T>
void rmsprop(const RmspropScalars<T>& s, const RmspropTensor<T>& t, std::size_t begin, std::size_t end) {
  with_flags(
      [&](auto maximize, auto l2, auto centered, auto has_momentum) {
        rmsprop_loop<T, decltype(maximize)::value, decltype(l2)::value, decltype(centered)::value,
                     decltype(has_momentum)::value>(s, t, begin, end);
      },
      s.maximize, s.weight_decay != T(0), s.centered, s.momentum != T(0));
}

// sign(c) as torch.sign: +1, −1, or +0 for ±0 and NaN (both comparisons false).
template <class T>
Vec<T> torch_sign(Vec<T> c) {
  using V = Vec<T>;
  const V zero = V::splat(T(0));
  return select(c > zero, V::splat(T(1)), select(c < zero, V::splat(T(-1)), zero));
}

template <class T, bool Decoupled>
void lion_loop(const LionScalars<T>& s, const LionTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  const V lr = V::splat(s.lr), decay = V::splat(s.decay);
  const V beta1 = V::splat(s.beta1), one_minus_beta1 = V::splat(s.one_minus_beta1);
  const V beta2 = V::splat(s.beta2), one_minus_beta2 = V::splat(s.one_minus_beta2);
  enum { P, G, M };
  const std::array<T*, 3> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin, t.exp_avg + begin};
  const unsigned written = 1u << P | 1u << M;

  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 3>& q, std::size_t i) {
    const V g = V::load(q[G] + i);
    const V m = V::load(q[M] + i);
    V p = V::load(q[P] + i);
    if constexpr (Decoupled) p = p * decay;
    const V c = beta1 * m + one_minus_beta1 * g;
    p = p - lr * torch_sign(c);
    p.store(q[P] + i);
    (beta2 * m + one_minus_beta2 * g).store(q[M] + i);
  });
}

template <class T>
void lion(const LionScalars<T>& s, const LionTensor<T>& t, std::size_t begin, std::size_t end) {
  with_flags([&](auto decoupled) { lion_loop<T, decltype(decoupled)::value>(s, t, begin, end); }, s.decay != T(1));
}

template <class T>
void scale(T* x, std::size_t n, T factor) {
  using V = Vec<T>;
  const V f = V::splat(factor);
  for_each_vector<T>(n, std::array<T*, 1>{x}, 1u,
                     [&](const std::array<T*, 1>& q, std::size_t i) { (V::load(q[0] + i) * f).store(q[0] + i); });
}

template <class T>
void adam_traffic(const AdamTensor<T>& t, std::size_t begin, std::size_t end) {
  using V = Vec<T>;
  enum { P, G, M, S };
  const std::array<T*, 4> ptr = {t.param + begin, const_cast<T*>(t.grad) + begin, t.exp_avg + begin, t.exp_avg_sq + begin};
  const unsigned written = 1u << P | 1u << M | 1u << S;
  for_each_vector<T>(end - begin, ptr, written, [&](const std::array<T*, 4>& q, std::size_t i) {
    const V p = V::load(q[P] + i), g = V::load(q[G] + i);
    const V m = V::load(q[M] + i), v = V::load(q[S] + i);
    g.store(q[P] + i);
    p.store(q[M] + i);
    max(m, v).store(q[S] + i);
  });
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
