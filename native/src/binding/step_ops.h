// Each optimizer described once for the binding: its scalars (read before the tensors, then
// converted to the tensors' type), the fields of a tensor, and how they become the kernel's
// arguments. optimizers.cpp (one call per step) and plan.h (prepared steps) both go
// through these descriptions, so the two paths cannot disagree on what a step reads.
#pragma once

#include <array>
#include <cstddef>

#include "../kernel_api.h"
#include "args.h"
#include "module_state.h"

namespace adam_simd {

// One typed-array field of a tensor. Field 0 is always the parameter and field 1 the
// gradient (plans replace gradients by that position). An optional field is read only
// when the scalars need it (Op::needs), or, in a plan, whenever the tensor has it.
struct FieldSpec {
  const char* key;
  bool written;
  bool optional;
};

template <class T>
T* field_ptr(const ArrayView& v) {
  return static_cast<T*>(v.data);
}

struct AdamOp {
  static constexpr const char* names[3] = {"adamStep", "adamStepAsync", "adamPlan"};
  static constexpr const char* family = "adam";
  static constexpr std::array<FieldSpec, 5> kFieldSpecs = {{{"param", true, false},
                                                            {"grad", false, false},
                                                            {"expAvg", true, false},
                                                            {"expAvgSq", true, false},
                                                            {"maxExpAvgSq", true, true}}};
  static constexpr std::size_t kFields = kFieldSpecs.size();
  // The scalars' names, in their packed order (binding.scalarKeys.adam); Key indexes them.
  enum Key { kBeta1, kOneMinusBeta1, kBeta2, kOneMinusBeta2, kStepSize, kEps, kWeightDecay, kDecay, kAmsgrad, kMaximize };
  static constexpr std::array<const char*, 10> kScalarKeys = {
      "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "stepSize", "eps", "weightDecay", "decay", "amsgrad", "maximize"};

  struct Args {
    double beta1, one_minus_beta1, beta2, one_minus_beta2, step_size, eps, weight_decay, decay;
    bool amsgrad, maximize;
    explicit Args(const Scalars& s)
        : beta1(s.number(kBeta1, Scalars::Range::UnitOpen)),
          one_minus_beta1(s.number(kOneMinusBeta1, Scalars::Range::UnitHalfOpenAbove)),
          beta2(s.number(kBeta2, Scalars::Range::UnitOpen)),
          one_minus_beta2(s.number(kOneMinusBeta2, Scalars::Range::UnitHalfOpenAbove)),
          step_size(s.number(kStepSize, Scalars::Range::NonNegative)),
          eps(s.number(kEps, Scalars::Range::NonNegative)),
          weight_decay(s.number(kWeightDecay, Scalars::Range::NonNegative)),
          decay(s.number(kDecay, Scalars::Range::UnitClosed)),
          amsgrad(s.flag(kAmsgrad)),
          maximize(s.flag(kMaximize)) {}
  };

  // Bit f set: optional field f is needed under these scalars.
  static unsigned needs(const Args& a) { return a.amsgrad ? 1u << 4 : 0u; }

  template <class T>
  static AdamScalars<T> scalars(const Scalars& s, const Args& a) {
    return {s.as<T>(kBeta1, a.beta1),         s.as<T>(kOneMinusBeta1, a.one_minus_beta1),
            s.as<T>(kBeta2, a.beta2),         s.as<T>(kOneMinusBeta2, a.one_minus_beta2),
            s.as<T>(kStepSize, a.step_size),  s.as<T>(kEps, a.eps),
            s.as<T>(kWeightDecay, a.weight_decay), s.as<T>(kDecay, a.decay),
            a.amsgrad,                        a.maximize};
  }

  template <class T>
  static AdamTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {field_ptr<T>(v[0]), field_ptr<T>(v[1]), field_ptr<T>(v[2]), field_ptr<T>(v[3]), field_ptr<T>(v[4]),
            v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.adam; }
};

struct SgdOp {
  static constexpr const char* names[3] = {"sgdStep", "sgdStepAsync", "sgdPlan"};
  static constexpr const char* family = "sgd";
  static constexpr std::array<FieldSpec, 3> kFieldSpecs = {
      {{"param", true, false}, {"grad", false, false}, {"momentumBuffer", true, true}}};
  static constexpr std::size_t kFields = kFieldSpecs.size();
  enum Key { kLr, kMomentum, kOneMinusDampening, kWeightDecay, kFirstStep, kNesterov, kMaximize };
  static constexpr std::array<const char*, 7> kScalarKeys = {
      "lr", "momentum", "oneMinusDampening", "weightDecay", "firstStep", "nesterov", "maximize"};

  struct Args {
    double lr, momentum, one_minus_dampening, weight_decay;
    bool first_step, nesterov, maximize;
    explicit Args(const Scalars& s)
        : lr(s.number(kLr, Scalars::Range::NonNegative)),
          momentum(s.number(kMomentum, Scalars::Range::NonNegative)),
          one_minus_dampening(s.number(kOneMinusDampening, Scalars::Range::UnitClosed)),
          weight_decay(s.number(kWeightDecay, Scalars::Range::NonNegative)),
          first_step(s.flag(kFirstStep)),
          nesterov(s.flag(kNesterov)),
          maximize(s.flag(kMaximize)) {}
  };

  static unsigned needs(const Args& a) { return a.momentum != 0 ? 1u << 2 : 0u; }

  template <class T>
  static SgdScalars<T> scalars(const Scalars& s, const Args& a) {
    const Momentum mode = a.momentum == 0 ? Momentum::None : a.first_step ? Momentum::First : Momentum::Running;
    return {s.as<T>(kLr, a.lr), s.as<T>(kMomentum, a.momentum),
            s.as<T>(kOneMinusDampening, a.one_minus_dampening), s.as<T>(kWeightDecay, a.weight_decay), mode,
            a.nesterov, a.maximize};
  }

  template <class T>
  static SgdTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {field_ptr<T>(v[0]), field_ptr<T>(v[1]), field_ptr<T>(v[2]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.sgd; }
};

struct AdagradOp {
  static constexpr const char* names[3] = {"adagradStep", "adagradStepAsync", "adagradPlan"};
  static constexpr const char* family = "adagrad";
  static constexpr std::array<FieldSpec, 3> kFieldSpecs = {
      {{"param", true, false}, {"grad", false, false}, {"stateSum", true, false}}};
  static constexpr std::size_t kFields = kFieldSpecs.size();
  enum Key { kClr, kEps, kWeightDecay, kMaximize };
  static constexpr std::array<const char*, 4> kScalarKeys = {"clr", "eps", "weightDecay", "maximize"};

  struct Args {
    double clr, eps, weight_decay;
    bool maximize;
    explicit Args(const Scalars& s)
        : clr(s.number(kClr, Scalars::Range::NonNegative)),
          eps(s.number(kEps, Scalars::Range::NonNegative)),
          weight_decay(s.number(kWeightDecay, Scalars::Range::NonNegative)),
          maximize(s.flag(kMaximize)) {}
  };

  static unsigned needs(const Args&) { return 0; }

  template <class T>
  static AdagradScalars<T> scalars(const Scalars& s, const Args& a) {
    return {s.as<T>(kClr, a.clr), s.as<T>(kEps, a.eps), s.as<T>(kWeightDecay, a.weight_decay), a.maximize};
  }

  template <class T>
  static AdagradTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {field_ptr<T>(v[0]), field_ptr<T>(v[1]), field_ptr<T>(v[2]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.adagrad; }
};

struct RmspropOp {
  static constexpr const char* names[3] = {"rmspropStep", "rmspropStepAsync", "rmspropPlan"};
  static constexpr const char* family = "rmsprop";
  static constexpr std::array<FieldSpec, 5> kFieldSpecs = {{{"param", true, false},
                                                            {"grad", false, false},
                                                            {"squareAvg", true, false},
                                                            {"gradAvg", true, true},
                                                            {"momentumBuffer", true, true}}};
  static constexpr std::size_t kFields = kFieldSpecs.size();
  enum Key { kLr, kAlpha, kOneMinusAlpha, kEps, kWeightDecay, kMomentum, kCentered, kMaximize };
  static constexpr std::array<const char*, 8> kScalarKeys = {
      "lr", "alpha", "oneMinusAlpha", "eps", "weightDecay", "momentum", "centered", "maximize"};

  struct Args {
    double lr, alpha, one_minus_alpha, eps, weight_decay, momentum;
    bool centered, maximize;
    explicit Args(const Scalars& s)
        : lr(s.number(kLr, Scalars::Range::NonNegative)),
          alpha(s.number(kAlpha, Scalars::Range::UnitClosed)),
          one_minus_alpha(s.number(kOneMinusAlpha, Scalars::Range::UnitClosed)),
          eps(s.number(kEps, Scalars::Range::NonNegative)),
          weight_decay(s.number(kWeightDecay, Scalars::Range::NonNegative)),
          momentum(s.number(kMomentum, Scalars::Range::NonNegative)),
          centered(s.flag(kCentered)),
          maximize(s.flag(kMaximize)) {}
  };

  static unsigned needs(const Args& a) { return (a.centered ? 1u << 3 : 0u) | (a.momentum != 0 ? 1u << 4 : 0u); }

  template <class T>
  static RmspropScalars<T> scalars(const Scalars& s, const Args& a) {
    return {s.as<T>(kLr, a.lr),          s.as<T>(kAlpha, a.alpha),
            s.as<T>(kOneMinusAlpha, a.one_minus_alpha), s.as<T>(kEps, a.eps),
            s.as<T>(kWeightDecay, a.weight_decay), s.as<T>(kMomentum, a.momentum),
            a.centered,                  a.maximize};
  }

  template <class T>
  static RmspropTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {field_ptr<T>(v[0]), field_ptr<T>(v[1]), field_ptr<T>(v[2]), field_ptr<T>(v[3]), field_ptr<T>(v[4]),
            v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.rmsprop; }
};

struct LionOp {
  static constexpr const char* names[3] = {"lionStep", "lionStepAsync", "lionPlan"};
  static constexpr const char* family = "lion";
  static constexpr std::array<FieldSpec, 3> kFieldSpecs = {
      {{"param", true, false}, {"grad", false, false}, {"expAvg", true, false}}};
  static constexpr std::size_t kFields = kFieldSpecs.size();
  enum Key { kLr, kBeta1, kOneMinusBeta1, kBeta2, kOneMinusBeta2, kDecay };
  static constexpr std::array<const char*, 6> kScalarKeys = {"lr", "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "decay"};

  struct Args {
    double lr, beta1, one_minus_beta1, beta2, one_minus_beta2, decay;
    explicit Args(const Scalars& s)
        : lr(s.number(kLr, Scalars::Range::NonNegative)),
          beta1(s.number(kBeta1, Scalars::Range::UnitOpen)),
          one_minus_beta1(s.number(kOneMinusBeta1, Scalars::Range::UnitHalfOpenAbove)),
          beta2(s.number(kBeta2, Scalars::Range::UnitOpen)),
          one_minus_beta2(s.number(kOneMinusBeta2, Scalars::Range::UnitHalfOpenAbove)),
          decay(s.number(kDecay, Scalars::Range::UnitClosed)) {}
  };

  static unsigned needs(const Args&) { return 0; }

  template <class T>
  static LionScalars<T> scalars(const Scalars& s, const Args& a) {
    return {s.as<T>(kLr, a.lr),       s.as<T>(kBeta1, a.beta1), s.as<T>(kOneMinusBeta1, a.one_minus_beta1),
            s.as<T>(kBeta2, a.beta2), s.as<T>(kOneMinusBeta2, a.one_minus_beta2), s.as<T>(kDecay, a.decay)};
  }

  template <class T>
  static LionTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {field_ptr<T>(v[0]), field_ptr<T>(v[1]), field_ptr<T>(v[2]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.lion; }
};

template <class Op, class T>
using OpScalars = decltype(Op::template scalars<T>(std::declval<const Scalars&>(), std::declval<const typename Op::Args&>()));
template <class Op, class T>
using OpTensor = decltype(Op::template tensor<T>(std::declval<const std::array<ArrayView, Op::kFields>&>()));

// Reads tensors[i]'s fields. With `args`, an optional field is read when the scalars need
// it; without (a plan, whose scalars come later), whenever the tensor has it.
template <class Op>
std::array<ArrayView, Op::kFields> read_fields(TensorList& list, std::size_t i, const typename Op::Args* args) {
  std::array<ArrayView, Op::kFields> views{};
  const unsigned needed = args != nullptr ? Op::needs(*args) : 0;
  for (std::size_t f = 0; f < Op::kFields; ++f) {
    const FieldSpec& spec = Op::kFieldSpecs[f];
    if (f == 0) {
      views[f] = list.param(i);
    } else if (!spec.optional) {
      views[f] = list.field(i, spec.key, spec.written);
    } else if (args != nullptr) {
      views[f] = (needed >> f & 1u) ? list.field(i, spec.key, spec.written) : ArrayView{nullptr, 0};
    } else {
      views[f] = list.field_if_present(i, spec.key, spec.written);
    }
  }
  return views;
}

}  // namespace adam_simd
