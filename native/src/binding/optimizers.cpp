// adamStep, sgdStep, adagradStep: one call steps a whole list of tensors.
#include <array>

#include "args.h"
#include "module_state.h"

namespace adam_simd {
namespace {

using Range = Scalars::Range;

template <class T>
T* ptr(const ArrayView& v) { return static_cast<T*>(v.data); }

// ---- Adam / AdamW --------------------------------------------------------------------

template <class T>
void run_adam(const KernelTable& table, const Scalars& s, const std::vector<std::array<ArrayView, 5>>& views) {
  const AdamScalars<T> k{T(s.number("beta1", Range::UnitOpen)),
                         T(s.number("oneMinusBeta1", Range::UnitHalfOpenAbove)),
                         T(s.number("beta2", Range::UnitOpen)),
                         T(s.number("oneMinusBeta2", Range::UnitHalfOpenAbove)),
                         T(s.number("stepSize", Range::NonNegative)),
                         T(s.number("eps", Range::NonNegative)),
                         T(s.number("weightDecay", Range::NonNegative)),
                         T(s.number("decay", Range::UnitClosed)),
                         s.flag("amsgrad"),
                         s.flag("maximize")};
  const auto& kernel = kernels_for<T>(table);
  for (const auto& v : views) {
    const AdamTensor<T> t{ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), ptr<T>(v[3]), ptr<T>(v[4]), v[0].length};
    if (t.length != 0) kernel.adam(k, t, 0, t.length);
  }
}

Napi::Value adam_step(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  TensorList list(env, "adamStep", info[0]);
  const Scalars s(env, "adamStep", info[1], list.dtype());
  const bool amsgrad = s.flag("amsgrad");
  std::vector<std::array<ArrayView, 5>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false), list.field(i, "expAvg", true),
                list.field(i, "expAvgSq", true),
                amsgrad ? list.field(i, "maxExpAvgSq", true) : ArrayView{nullptr, 0}};
  }
  list.check_no_overlap();
  if (list.dtype() == DType::F32) run_adam<float>(kernels(info), s, views);
  else run_adam<double>(kernels(info), s, views);
  return env.Undefined();
}

// ---- SGD ------------------------------------------------------------------------------

template <class T>
void run_sgd(const KernelTable& table, const Scalars& s, const std::vector<std::array<ArrayView, 3>>& views) {
  const double momentum = s.number("momentum", Range::NonNegative);
  const Momentum mode = momentum == 0 ? Momentum::None
                        : s.flag("firstStep") ? Momentum::First
                                              : Momentum::Running;
  const SgdScalars<T> k{T(s.number("lr", Range::NonNegative)), T(momentum),
                        T(s.number("oneMinusDampening", Range::UnitClosed)),
                        T(s.number("weightDecay", Range::NonNegative)), mode, s.flag("nesterov"),
                        s.flag("maximize")};
  const auto& kernel = kernels_for<T>(table);
  for (const auto& v : views) {
    const SgdTensor<T> t{ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length};
    if (t.length != 0) kernel.sgd(k, t, 0, t.length);
  }
}

Napi::Value sgd_step(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  TensorList list(env, "sgdStep", info[0]);
  const Scalars s(env, "sgdStep", info[1], list.dtype());
  const bool momentum = s.number("momentum", Range::NonNegative) != 0;
  std::vector<std::array<ArrayView, 3>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false),
                momentum ? list.field(i, "momentumBuffer", true) : ArrayView{nullptr, 0}};
  }
  list.check_no_overlap();
  if (list.dtype() == DType::F32) run_sgd<float>(kernels(info), s, views);
  else run_sgd<double>(kernels(info), s, views);
  return env.Undefined();
}

// ---- Adagrad --------------------------------------------------------------------------

template <class T>
void run_adagrad(const KernelTable& table, const Scalars& s, const std::vector<std::array<ArrayView, 3>>& views) {
  const AdagradScalars<T> k{T(s.number("clr", Range::NonNegative)), T(s.number("eps", Range::NonNegative)),
                            T(s.number("weightDecay", Range::NonNegative)), s.flag("maximize")};
  const auto& kernel = kernels_for<T>(table);
  for (const auto& v : views) {
    const AdagradTensor<T> t{ptr<T>(v[0]), ptr<T>(v[1]), ptr<T>(v[2]), v[0].length};
    if (t.length != 0) kernel.adagrad(k, t, 0, t.length);
  }
}

Napi::Value adagrad_step(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  TensorList list(env, "adagradStep", info[0]);
  const Scalars s(env, "adagradStep", info[1], list.dtype());
  std::vector<std::array<ArrayView, 3>> views(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    views[i] = {list.param(i), list.field(i, "grad", false), list.field(i, "stateSum", true)};
  }
  list.check_no_overlap();
  if (list.dtype() == DType::F32) run_adagrad<float>(kernels(info), s, views);
  else run_adagrad<double>(kernels(info), s, views);
  return env.Undefined();
}

}  // namespace

void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  exports.Set("adamStep", Napi::Function::New(env, adam_step, "adamStep", const_cast<KernelTable*>(table)));
  exports.Set("sgdStep", Napi::Function::New(env, sgd_step, "sgdStep", const_cast<KernelTable*>(table)));
  exports.Set("adagradStep", Napi::Function::New(env, adagrad_step, "adagradStep", const_cast<KernelTable*>(table)));
}

}  // namespace adam_simd
