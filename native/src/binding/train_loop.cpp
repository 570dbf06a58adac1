// trainLinreg: many full-batch epochs of a linear regression — the fused loss/gradient pass,
// then one prepared optimizer step — in one call, so an epoch of a small model costs what its
// arithmetic does. Each epoch is exactly linregLossGrad followed by runStep (same kernels,
// same order), so the bits are those of stepping epoch by epoch. See binding.d.ts.
#include <cmath>
#include <string>
#include <vector>

#include "../linreg.h"
#include "args.h"
#include "linreg_args.h"
#include "module_state.h"
#include "plan.h"
#include "step_runner.h"

namespace adam_simd {
namespace {

constexpr const char* kFn = "trainLinreg";

// The memory the pass reads as data or writes as gradients must not be memory a step
// writes: the step would change the data, or the pass would overwrite parameters or state.
void check_apart(Napi::Env env, const Plan& plan, const LinregCall& c) {
  const std::size_t size = element_size(c.dtype);
  const std::pair<const char*, const ArrayView*> views[] = {
      {"x", &c.x}, {"y", &c.y}, {"gradWeights", &c.grad_weights}, {"gradBias", &c.grad_bias}};
  for (const auto& [key, view] : views) {
    const char* begin = static_cast<const char*>(view->data);
    if (view->length != 0 && plan.meets_written(begin, begin + view->length * size)) {
      throw_range_error(env, std::string(kFn) + ": args." + key +
                                 " shares memory with the plan's parameters or state, which each step writes");
    }
  }
  if (c.predictions.data != nullptr) throw_type_error(env, std::string(kFn) + ": args.predictions must be absent");
}

Napi::Float64Array to_float64(Napi::Env env, const double* values, std::size_t n) {
  Napi::Float64Array out = Napi::Float64Array::New(env, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = values[i];
  return out;
}

template <class T>
Napi::Value train(Napi::Env env, const KernelTable& table, Plan& plan, const LinregCall& c, const double* scalars,
                  std::size_t epochs, unsigned threads) {
  const std::size_t stride = plan.groups * plan.scalar_count;
  // Every epoch's scalars are checked (and converted) before the first epoch runs.
  for (std::size_t c = 0; c < plan.calls.size(); ++c) {
    plan.calls[c]->keep_steps(env, kFn, scalars + plan.call_group[c] * plan.scalar_count, stride, epochs);
  }
  std::vector<double> losses;
  losses.reserve(epochs);
  std::vector<double> previous(c.cols + 1);
  bool stepped = false;
  const T* weights = static_cast<const T*>(c.weights.data);
  const T* bias = static_cast<const T*>(c.bias.data);
  for (std::size_t e = 0; e < epochs; ++e) {
    const T loss = linreg_loss_grad(kernels_for<T>(table), linreg_problem<T>(c), threads);
    losses.push_back(double(loss));
    if (!std::isfinite(loss)) break;
    for (std::size_t j = 0; j < c.cols; ++j) previous[j] = double(weights[j]);
    previous[c.cols] = double(*bias);
    stepped = true;
    for (const auto& call : plan.calls) {
      call->use_step(e);
      call->run(plan.threads);
    }
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("losses", to_float64(env, losses.data(), losses.size()));
  result.Set("previous", stepped ? Napi::Value(to_float64(env, previous.data(), previous.size())) : env.Null());
  return result;
}

// trainLinreg(plan, args, scalars, options?): as many epochs as `scalars` holds steps
// (epochs × groups × the optimizer's keys), stopping after the first non-finite loss (whose
// epoch takes no step). Returns { losses, previous } — previous: the parameters (weights,
// then bias) before the last step taken, or null when none was — or false, writing nothing,
// when a buffer of the plan changed since it was made (plan again).
Napi::Value train_linreg(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  Plan& plan = unwrap_plan(env, kFn, info[0]);
  const unsigned threads = read_threads(env, kFn, info[3]);  // may run a getter: before the views
  const LinregCall c = read_linreg_call(env, info[1], kFn);
  // From here no JavaScript runs.
  const std::size_t stride = plan.groups * plan.scalar_count;
  const Napi::Value s = info[2];
  if (!s.IsTypedArray() || s.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      s.As<Napi::TypedArray>().ElementLength() == 0 || s.As<Napi::TypedArray>().ElementLength() % stride != 0) {
    throw_type_error(env, std::string(kFn) + ": scalars must be a Float64Array of epochs × " + std::to_string(stride) +
                              " values (" + std::to_string(plan.scalar_count) + " per group, epochs ≥ 1)");
  }
  const double* scalars = s.As<Napi::Float64Array>().Data();
  const std::size_t epochs = s.As<Napi::TypedArray>().ElementLength() / stride;
  check_apart(env, plan, c);
  if (!plan.unchanged()) return Napi::Boolean::New(env, false);
  const KernelTable& table = kernels(info);
  return c.dtype == DType::F32 ? train<float>(env, table, plan, c, scalars, epochs, threads)
                               : train<double>(env, table, plan, c, scalars, epochs, threads);
}

}  // namespace

void register_train_loop(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  define(env, exports, kFn, train_linreg, table);
}

}  // namespace adam_simd
