// adamStep, sgdStep, adagradStep (and their *Async twins): one call steps a whole list of
// tensors. Order matters for safety: scalars first, then the tensors, then a final check
// that nothing moved (args.h); only then does a kernel touch memory.
#include <array>
#include <cmath>
#include <memory>

#include "args.h"
#include "module_state.h"
#include "step_runner.h"

namespace adam_simd {

unsigned read_threads(Napi::Env env, const char* fn, const Napi::Value& options) {
  if (options.IsUndefined()) return hardware_threads();
  auto at = [&] { return std::string(fn) + ": options"; };  // built only on the error paths
  if (!options.IsObject() || options.IsArray()) throw_type_error(env, at() + " must be an object { threads }");
  const Napi::Value v = options.As<Napi::Object>().Get("threads");
  if (v.IsUndefined()) return hardware_threads();
  if (!v.IsNumber()) throw_type_error(env, at() + ".threads must be an integer ≥ 1");
  const double n = v.As<Napi::Number>().DoubleValue();
  if (!(n >= 1 && n <= 1024 && std::floor(n) == n)) {
    throw_range_error(env, at() + ".threads must be an integer in [1, 1024], received " + number_text(n));
  }
  return static_cast<unsigned>(n);
}

namespace {

using Range = Scalars::Range;

// Each optimizer is described once: its scalars (read before the tensors, then converted to
// the tensors' type), the fields of a tensor, and how they become the kernel's arguments.
// step_entry below is the one pipeline they all go through.

template <class T>
T* ptr(const ArrayView& v) {
  return static_cast<T*>(v.data);
}

struct AdamOp {
  static constexpr const char* names[2] = {"adamStep", "adamStepAsync"};
  static constexpr const char* family = "adam";
  static constexpr std::size_t kFields = 5;
  // The scalars' names, in their packed order (binding.scalarKeys.adam); Key indexes them.
  enum Key { kBeta1, kOneMinusBeta1, kBeta2, kOneMinusBeta2, kStepSize, kEps, kWeightDecay, kDecay, kAmsgrad, kMaximize };
  static constexpr std::array<const char*, 10> kScalarKeys = {
      "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "stepSize", "eps", "weightDecay", "decay", "amsgrad", "maximize"};

  struct Args {
    double beta1, one_minus_beta1, beta2, one_minus_beta2, step_size, eps, weight_decay, decay;
    bool amsgrad, maximize;
    explicit Args(const Scalars& s)
        : beta1(s.number(kBeta1, Range::UnitOpen)),
          one_minus_beta1(s.number(kOneMinusBeta1, Range::UnitHalfOpenAbove)),
          beta2(s.number(kBeta2, Range::UnitOpen)),
          one_minus_beta2(s.number(kOneMinusBeta2, Range::UnitHalfOpenAbove)),
          step_size(s.number(kStepSize, Range::NonNegative)),
          eps(s.number(kEps, Range::NonNegative)),
          weight_decay(s.number(kWeightDecay, Range::NonNegative)),
          decay(s.number(kDecay, Range::UnitClosed)),
          amsgrad(s.flag(kAmsgrad)),
          maximize(s.flag(kMaximize)) {}
  };

  static std::array<ArrayView, kFields> fields(TensorList& list, std::size_t i, const Args& a) {
    return {list.param(i), list.field(i, "grad", false), list.field(i, "expAvg", true),
            list.field(i, "expAvgSq", true), a.amsgrad ? list.field(i, "maxExpAvgSq", true) : ArrayView{nullptr, 0}};
  }

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
    return {ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), ptr<T>(v[3]), ptr<T>(v[4]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.adam; }
};

struct SgdOp {
  static constexpr const char* names[2] = {"sgdStep", "sgdStepAsync"};
  static constexpr const char* family = "sgd";
  static constexpr std::size_t kFields = 3;
  enum Key { kLr, kMomentum, kOneMinusDampening, kWeightDecay, kFirstStep, kNesterov, kMaximize };
  static constexpr std::array<const char*, 7> kScalarKeys = {
      "lr", "momentum", "oneMinusDampening", "weightDecay", "firstStep", "nesterov", "maximize"};

  struct Args {
    double lr, momentum, one_minus_dampening, weight_decay;
    bool first_step, nesterov, maximize;
    explicit Args(const Scalars& s)
        : lr(s.number(kLr, Range::NonNegative)),
          momentum(s.number(kMomentum, Range::NonNegative)),
          one_minus_dampening(s.number(kOneMinusDampening, Range::UnitClosed)),
          weight_decay(s.number(kWeightDecay, Range::NonNegative)),
          first_step(s.flag(kFirstStep)),
          nesterov(s.flag(kNesterov)),
          maximize(s.flag(kMaximize)) {}
  };

  static std::array<ArrayView, kFields> fields(TensorList& list, std::size_t i, const Args& a) {
    return {list.param(i), list.field(i, "grad", false),
            a.momentum != 0 ? list.field(i, "momentumBuffer", true) : ArrayView{nullptr, 0}};
  }

  template <class T>
  static SgdScalars<T> scalars(const Scalars& s, const Args& a) {
    const Momentum mode = a.momentum == 0 ? Momentum::None : a.first_step ? Momentum::First : Momentum::Running;
    return {s.as<T>(kLr, a.lr), s.as<T>(kMomentum, a.momentum),
            s.as<T>(kOneMinusDampening, a.one_minus_dampening), s.as<T>(kWeightDecay, a.weight_decay), mode,
            a.nesterov, a.maximize};
  }

  template <class T>
  static SgdTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.sgd; }
};

struct AdagradOp {
  static constexpr const char* names[2] = {"adagradStep", "adagradStepAsync"};
  static constexpr const char* family = "adagrad";
  static constexpr std::size_t kFields = 3;
  enum Key { kClr, kEps, kWeightDecay, kMaximize };
  static constexpr std::array<const char*, 4> kScalarKeys = {"clr", "eps", "weightDecay", "maximize"};

  struct Args {
    double clr, eps, weight_decay;
    bool maximize;
    explicit Args(const Scalars& s)
        : clr(s.number(kClr, Range::NonNegative)),
          eps(s.number(kEps, Range::NonNegative)),
          weight_decay(s.number(kWeightDecay, Range::NonNegative)),
          maximize(s.flag(kMaximize)) {}
  };

  static std::array<ArrayView, kFields> fields(TensorList& list, std::size_t i, const Args&) {
    return {list.param(i), list.field(i, "grad", false), list.field(i, "stateSum", true)};
  }

  template <class T>
  static AdagradScalars<T> scalars(const Scalars& s, const Args& a) {
    return {s.as<T>(kClr, a.clr), s.as<T>(kEps, a.eps), s.as<T>(kWeightDecay, a.weight_decay), a.maximize};
  }

  template <class T>
  static AdagradTensor<T> tensor(const std::array<ArrayView, kFields>& v) {
    return {ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length};
  }

  template <class T>
  static auto kernel(const Kernels<T>& k) { return k.adagrad; }
};

template <class Op, class T>
Napi::Value run(const Napi::CallbackInfo& info, const char* fn, const Scalars& s, const typename Op::Args& a,
                const TensorList& list, const std::vector<std::array<ArrayView, Op::kFields>>& views, unsigned threads,
                bool async) {
  using Job = StepJob<decltype(Op::template scalars<T>(s, a)), decltype(Op::template tensor<T>(views[0]))>;
  auto job = std::make_unique<Job>();
  job->kernel = Op::kernel(kernels_for<T>(kernels(info)));
  job->scalars = Op::template scalars<T>(s, a);
  job->tensors.reserve(views.size());
  for (const auto& v : views) job->tensors.push_back(Op::template tensor<T>(v));
  return finish(info.Env(), fn, list, std::move(job), threads, async);
}

template <class Op, bool Async>
Napi::Value step_entry(const Napi::CallbackInfo& info) {
  const char* fn = Op::names[Async];
  const Napi::Env env = info.Env();
  static_assert(Op::kScalarKeys.size() <= Scalars::kMaxKeys, "raise Scalars::kMaxKeys");
  const Scalars s(env, fn, info[1], Op::kScalarKeys.data(), Op::kScalarKeys.size());
  const typename Op::Args a(s);
  const unsigned threads = read_threads(env, fn, info[2]);
  TensorList list(env, fn, info[0]);
  std::vector<std::array<ArrayView, Op::kFields>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) views[i] = Op::fields(list, i, a);
  list.check_no_overlap();
  return list.dtype() == DType::F32 ? run<Op, float>(info, fn, s, a, list, views, threads, Async)
                                    : run<Op, double>(info, fn, s, a, list, views, threads, Async);
}

template <class Op>
void register_op(Napi::Env env, Napi::Object exports, Napi::Object scalar_keys, const KernelTable* table) {
  define(env, exports, Op::names[0], step_entry<Op, false>, table);
  define(env, exports, Op::names[1], step_entry<Op, true>, table);
  Napi::Array keys = Napi::Array::New(env, Op::kScalarKeys.size());
  for (uint32_t i = 0; i < Op::kScalarKeys.size(); ++i) keys.Set(i, Op::kScalarKeys[i]);
  keys.Freeze();
  scalar_keys.Set(Op::family, keys);
}

}  // namespace

void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  // The order of each optimizer's packed (Float64Array) scalars.
  Napi::Object scalar_keys = Napi::Object::New(env);
  register_op<AdamOp>(env, exports, scalar_keys, table);
  register_op<SgdOp>(env, exports, scalar_keys, table);
  register_op<AdagradOp>(env, exports, scalar_keys, table);
  scalar_keys.Freeze();
  exports.Set("scalarKeys", scalar_keys);
}

}  // namespace adam_simd
