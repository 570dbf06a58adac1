// <family>Step (and its <family>StepAsync twin) for every optimizer of the schema
// (native/schema/optimizers.json): one call steps a whole list of tensors; <family>Plan
// prepares repeated steps (plan.h). The optimizers themselves are described in step_ops.h. Order matters for safety: scalars
// first, then the tensors, then a final check that nothing moved (views.h); only then does a kernel touch memory.
#include <array>
#include <cmath>
#include <memory>

#include "args.h"
#include "module_state.h"
#include "plan.h"
#include "step_ops.h"
#include "step_runner.h"

namespace adam_simd {

unsigned read_threads(Napi::Env env, const char* fn, const Napi::Value& options) {
  if (options.IsUndefined()) return hardware_threads();
  const Where at(fn, "options");
  if (!options.IsObject() || options.IsArray()) throw_type_error(env, at.text() + " must be an object { threads }");
  const Napi::Value v = options.As<Napi::Object>().Get("threads");
  if (v.IsUndefined()) return hardware_threads();
  if (!v.IsNumber()) throw_type_error(env, at.key("threads").text() + " must be an integer ≥ 1");
  const double n = v.As<Napi::Number>().DoubleValue();
  if (!(n >= 1 && n <= 1024 && std::floor(n) == n)) {
    throw_range_error(env, at.key("threads").text() + " must be an integer in [1, 1024], received " + number_text(n));
  }
  return static_cast<unsigned>(n);
}

namespace {

template <class Op, class T>
Napi::Value run(const Napi::CallbackInfo& info, const char* fn, const Scalars& s, const typename Op::Args& a,
                const TensorList& list, const std::vector<std::array<ArrayView, Op::kFields>>& views, unsigned threads,
                bool async) {
  using Job = StepJob<OpScalars<Op, T>, OpTensor<Op, T>>;
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
  for (std::size_t i = 0; i < list.size(); ++i) views[i] = read_fields<Op>(list, i, &a);
  list.check_no_overlap();
  return list.dtype() == DType::F32 ? run<Op, float>(info, fn, s, a, list, views, threads, Async)
                                    : run<Op, double>(info, fn, s, a, list, views, threads, Async);
}

template <class Op>
void register_op(Napi::Env env, Napi::Object exports, Napi::Object scalar_keys, const KernelTable* table) {
  define(env, exports, Op::names[0], step_entry<Op, false>, table);
  define(env, exports, Op::names[1], step_entry<Op, true>, table);
  define(env, exports, Op::names[2], plan_entry<Op>, table);
  Napi::Array keys = Napi::Array::New(env, Op::kScalarKeys.size());
  for (uint32_t i = 0; i < Op::kScalarKeys.size(); ++i) keys.Set(i, Op::kScalarKeys[i]);
  keys.Freeze();
  scalar_keys.Set(Op::family, keys);
}

}  // namespace

void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  // The order of each optimizer's packed (Float64Array) scalars.
  Napi::Object scalar_keys = Napi::Object::New(env);
#define ADAM_SIMD_REGISTER(Op) register_op<Op>(env, exports, scalar_keys, table);
  ADAM_SIMD_FOR_EACH_OPTIMIZER(ADAM_SIMD_REGISTER)
#undef ADAM_SIMD_REGISTER
  scalar_keys.Freeze();
  exports.Set("scalarKeys", scalar_keys);
}

}  // namespace adam_simd
