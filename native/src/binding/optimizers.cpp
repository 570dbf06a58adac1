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
  const std::string at = std::string(fn) + ": options";
  if (!options.IsObject() || options.IsArray()) throw_type_error(env, at + " must be an object { threads }");
  const Napi::Value v = options.As<Napi::Object>().Get("threads");
  if (v.IsUndefined()) return hardware_threads();
  if (!v.IsNumber()) throw_type_error(env, at + ".threads must be an integer ≥ 1");
  const double n = v.As<Napi::Number>().DoubleValue();
  if (!(n >= 1 && n <= 1024 && std::floor(n) == n)) {
    throw_range_error(env, at + ".threads must be an integer in [1, 1024], received " + number_text(n));
  }
  return static_cast<unsigned>(n);
}

namespace {

using Range = Scalars::Range;

template <class T>
T* ptr(const ArrayView& v) {
  return static_cast<T*>(v.data);
}

// ---- Adam / AdamW --------------------------------------------------------------------

struct AdamArgs {
  double beta1, one_minus_beta1, beta2, one_minus_beta2, step_size, eps, weight_decay, decay;
  bool amsgrad, maximize;

  AdamArgs(const Scalars& s)
      : beta1(s.number("beta1", Range::UnitOpen)),
        one_minus_beta1(s.number("oneMinusBeta1", Range::UnitHalfOpenAbove)),
        beta2(s.number("beta2", Range::UnitOpen)),
        one_minus_beta2(s.number("oneMinusBeta2", Range::UnitHalfOpenAbove)),
        step_size(s.number("stepSize", Range::NonNegative)),
        eps(s.number("eps", Range::NonNegative)),
        weight_decay(s.number("weightDecay", Range::NonNegative)),
        decay(s.number("decay", Range::UnitClosed)),
        amsgrad(s.flag("amsgrad")),
        maximize(s.flag("maximize")) {}

  template <class T>
  AdamScalars<T> as(const Scalars& s) const {
    return {s.as<T>("beta1", beta1),       s.as<T>("oneMinusBeta1", one_minus_beta1),
            s.as<T>("beta2", beta2),       s.as<T>("oneMinusBeta2", one_minus_beta2),
            s.as<T>("stepSize", step_size), s.as<T>("eps", eps),
            s.as<T>("weightDecay", weight_decay), s.as<T>("decay", decay),
            amsgrad,                        maximize};
  }
};

template <class T>
Napi::Value run_adam(const Napi::CallbackInfo& info, const Scalars& s, const AdamArgs& a, TensorList& list,
                     const std::vector<std::array<ArrayView, 5>>& views, unsigned threads, bool async) {
  auto job = std::make_unique<StepJob<AdamScalars<T>, AdamTensor<T>>>();
  job->kernel = kernels_for<T>(kernels(info)).adam;
  job->scalars = a.as<T>(s);
  for (const auto& v : views) {
    job->tensors.push_back({ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), ptr<T>(v[3]), ptr<T>(v[4]), v[0].length});
  }
  return finish(info.Env(), async ? "adamStepAsync" : "adamStep", list, std::move(job), threads, async);
}

template <bool Async>
Napi::Value adam_step(const Napi::CallbackInfo& info) {
  const char* fn = Async ? "adamStepAsync" : "adamStep";
  const Napi::Env env = info.Env();
  const Scalars s(env, fn, info[1]);
  const AdamArgs a(s);
  const unsigned threads = read_threads(env, fn, info[2]);
  TensorList list(env, fn, info[0]);
  std::vector<std::array<ArrayView, 5>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false), list.field(i, "expAvg", true),
                list.field(i, "expAvgSq", true),
                a.amsgrad ? list.field(i, "maxExpAvgSq", true) : ArrayView{nullptr, 0}};
  }
  list.check_no_overlap();
  return list.dtype() == DType::F32 ? run_adam<float>(info, s, a, list, views, threads, Async)
                                    : run_adam<double>(info, s, a, list, views, threads, Async);
}

// ---- SGD ------------------------------------------------------------------------------

struct SgdArgs {
  double lr, momentum, one_minus_dampening, weight_decay;
  bool first_step, nesterov, maximize;

  SgdArgs(const Scalars& s)
      : lr(s.number("lr", Range::NonNegative)),
        momentum(s.number("momentum", Range::NonNegative)),
        one_minus_dampening(s.number("oneMinusDampening", Range::UnitClosed)),
        weight_decay(s.number("weightDecay", Range::NonNegative)),
        first_step(s.flag("firstStep")),
        nesterov(s.flag("nesterov")),
        maximize(s.flag("maximize")) {}

  template <class T>
  SgdScalars<T> as(const Scalars& s) const {
    const Momentum mode = momentum == 0 ? Momentum::None : first_step ? Momentum::First : Momentum::Running;
    return {s.as<T>("lr", lr), s.as<T>("momentum", momentum), s.as<T>("oneMinusDampening", one_minus_dampening),
            s.as<T>("weightDecay", weight_decay), mode, nesterov, maximize};
  }
};

template <class T>
Napi::Value run_sgd(const Napi::CallbackInfo& info, const Scalars& s, const SgdArgs& a, TensorList& list,
                    const std::vector<std::array<ArrayView, 3>>& views, unsigned threads, bool async) {
  auto job = std::make_unique<StepJob<SgdScalars<T>, SgdTensor<T>>>();
  job->kernel = kernels_for<T>(kernels(info)).sgd;
  job->scalars = a.as<T>(s);
  for (const auto& v : views) job->tensors.push_back({ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length});
  return finish(info.Env(), async ? "sgdStepAsync" : "sgdStep", list, std::move(job), threads, async);
}

template <bool Async>
Napi::Value sgd_step(const Napi::CallbackInfo& info) {
  const char* fn = Async ? "sgdStepAsync" : "sgdStep";
  const Napi::Env env = info.Env();
  const Scalars s(env, fn, info[1]);
  const SgdArgs a(s);
  const unsigned threads = read_threads(env, fn, info[2]);
  TensorList list(env, fn, info[0]);
  std::vector<std::array<ArrayView, 3>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false),
                a.momentum != 0 ? list.field(i, "momentumBuffer", true) : ArrayView{nullptr, 0}};
  }
  list.check_no_overlap();
  return list.dtype() == DType::F32 ? run_sgd<float>(info, s, a, list, views, threads, Async)
                                    : run_sgd<double>(info, s, a, list, views, threads, Async);
}

// ---- Adagrad --------------------------------------------------------------------------

struct AdagradArgs {
  double clr, eps, weight_decay;
  bool maximize;

  AdagradArgs(const Scalars& s)
      : clr(s.number("clr", Range::NonNegative)),
        eps(s.number("eps", Range::NonNegative)),
        weight_decay(s.number("weightDecay", Range::NonNegative)),
        maximize(s.flag("maximize")) {}

  template <class T>
  AdagradScalars<T> as(const Scalars& s) const {
    return {s.as<T>("clr", clr), s.as<T>("eps", eps), s.as<T>("weightDecay", weight_decay), maximize};
  }
};

template <class T>
Napi::Value run_adagrad(const Napi::CallbackInfo& info, const Scalars& s, const AdagradArgs& a, TensorList& list,
                        const std::vector<std::array<ArrayView, 3>>& views, unsigned threads, bool async) {
  auto job = std::make_unique<StepJob<AdagradScalars<T>, AdagradTensor<T>>>();
  job->kernel = kernels_for<T>(kernels(info)).adagrad;
  job->scalars = a.as<T>(s);
  for (const auto& v : views) job->tensors.push_back({ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length});
  return finish(info.Env(), async ? "adagradStepAsync" : "adagradStep", list, std::move(job), threads, async);
}

template <bool Async>
Napi::Value adagrad_step(const Napi::CallbackInfo& info) {
  const char* fn = Async ? "adagradStepAsync" : "adagradStep";
  const Napi::Env env = info.Env();
  const Scalars s(env, fn, info[1]);
  const AdagradArgs a(s);
  const unsigned threads = read_threads(env, fn, info[2]);
  TensorList list(env, fn, info[0]);
  std::vector<std::array<ArrayView, 3>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false), list.field(i, "stateSum", true)};
  }
  list.check_no_overlap();
  return list.dtype() == DType::F32 ? run_adagrad<float>(info, s, a, list, views, threads, Async)
                                    : run_adagrad<double>(info, s, a, list, views, threads, Async);
}

}  // namespace

void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  void* data = const_cast<KernelTable*>(table);
  exports.Set("adamStep", Napi::Function::New(env, adam_step<false>, "adamStep", data));
  exports.Set("sgdStep", Napi::Function::New(env, sgd_step<false>, "sgdStep", data));
  exports.Set("adagradStep", Napi::Function::New(env, adagrad_step<false>, "adagradStep", data));
  exports.Set("adamStepAsync", Napi::Function::New(env, adam_step<true>, "adamStepAsync", data));
  exports.Set("sgdStepAsync", Napi::Function::New(env, sgd_step<true>, "sgdStepAsync", data));
  exports.Set("adagradStepAsync", Napi::Function::New(env, adagrad_step<true>, "adagradStepAsync", data));
}

}  // namespace adam_simd
