// linregLossGrad (fused predictions, loss and gradients of a linear model) and readOnce
// (its benchmark baseline). See binding.d.ts and native/NUMERICS.md, "Linear regression".
#include <cmath>
#include <string>

#include "../linreg.h"
#include "args.h"
#include "linreg_args.h"
#include "module_state.h"
#include "step_runner.h"

namespace adam_simd {
namespace {

constexpr const char* kFn = "linregLossGrad";

std::size_t read_arg_count(Napi::Env env, const Napi::Object& args, const char* key, const char* fn) {
  return read_count(env, args.Get(key), Where(fn, "args").key(key));
}

LinregLoss read_loss(Napi::Env env, const Napi::Object& args, const char* fn) {
  const Napi::Value v = args.Get("loss");
  if (v.IsUndefined()) return LinregLoss::Mse;
  const std::string at = std::string(fn) + ": args.loss";
  if (!v.IsString()) throw_type_error(env, at + " must be 'mse', 'mae' or 'huber'");
  const std::string name = v.As<Napi::String>().Utf8Value();
  if (name == "mse") return LinregLoss::Mse;
  if (name == "mae") return LinregLoss::Mae;
  if (name == "huber") return LinregLoss::Huber;
  throw_range_error(env, at + " must be 'mse', 'mae' or 'huber', received '" + name + "'");
}

}  // namespace

LinregCall read_linreg_call(Napi::Env env, const Napi::Value& value, const char* fn) {
  if (!value.IsObject() || value.IsArray() || value.IsTypedArray()) {
    throw_type_error(env, std::string(fn) +
                              ": args must be an object { x, rows, cols, y, weights, bias, "
                              "gradWeights, gradBias }");
  }
  const Napi::Object args = value.As<Napi::Object>();
  LinregCall c;
  Regions regions;
  auto array = [&](const char* key, std::size_t expected_length, const char* length_name, bool written,
                   bool optional) -> ArrayView {
    const Napi::Value v = args.Get(key);
    if (optional && v.IsUndefined()) return {nullptr, 0};
    const Where at = Where(fn, "args").key(key);
    DType got;
    const ArrayView view = read_float_array(env, v, at, &got, nullptr);
    if (got != c.dtype) {
      throw_type_error(env, at.text() + " must be a " + dtype_name(c.dtype) + " like args.x, received " + dtype_name(got));
    }
    if (view.length != expected_length) {
      throw_range_error(env, at.text() + " must have " + length_name + " = " + std::to_string(expected_length) +
                                 " elements, received " + std::to_string(view.length));
    }
    regions.add(view, c.dtype, written, at);
    return view;
  };
  c.rows = read_arg_count(env, args, "rows", fn);
  c.cols = read_arg_count(env, args, "cols", fn);
  c.x = read_float_array(env, args.Get("x"), Where(fn, "args").key("x"), &c.dtype, nullptr);
  if (c.x.length / c.cols != c.rows || c.x.length % c.cols != 0) {
    throw_range_error(env, std::string(fn) + ": args.x must have rows · cols = " + std::to_string(c.rows) + " · " +
                               std::to_string(c.cols) + " elements, received " + std::to_string(c.x.length));
  }
  regions.add(c.x, c.dtype, false, Where(fn, "args").key("x"));
  c.y = array("y", c.rows, "rows", false, false);
  c.weights = array("weights", c.cols, "cols", false, false);
  c.bias = array("bias", 1, "1", false, false);
  c.grad_weights = array("gradWeights", c.cols, "cols", true, false);
  c.grad_bias = array("gradBias", 1, "1", true, false);
  c.predictions = array("predictions", c.rows, "rows", true, true);
  c.loss = read_loss(env, args, fn);
  if (c.loss == LinregLoss::Huber) {
    const Napi::Value v = args.Get("delta");
    const std::string at = std::string(fn) + ": args.delta";
    if (!v.IsNumber()) throw_type_error(env, at + " must be a number > 0 (the Huber threshold)");
    c.delta = v.As<Napi::Number>().DoubleValue();
    const double as_type = c.dtype == DType::F32 ? double(float(c.delta)) : c.delta;
    if (!(std::isfinite(as_type) && as_type > 0)) {
      throw_range_error(env, at + " must be finite and > 0 in the arrays' type, received " + number_text(c.delta));
    }
  }
  regions.check_disjoint(env);
  return c;
}

namespace {

template <class T>
double run(const KernelTable& table, const LinregCall& c, unsigned threads) {
  return linreg_loss_grad(kernels_for<T>(table), linreg_problem<T>(c), threads);
}

Napi::Value linreg_loss_grad_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  // Options first: a getter there runs before any view is taken.
  const unsigned threads = read_threads(env, kFn, info[1]);
  const LinregCall c = read_linreg_call(env, info[0], kFn);
  const KernelTable& k = kernels(info);
  return Napi::Number::New(env, c.dtype == DType::F32 ? run<float>(k, c, threads) : run<double>(k, c, threads));
}

Napi::Value read_once_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const unsigned threads = read_threads(env, "readOnce", info[1]);
  DType dtype;
  const ArrayView x = read_float_array(env, info[0], Where("readOnce", "x"), &dtype, nullptr);
  const KernelTable& k = kernels(info);
  if (x.length == 0) return Napi::Number::New(env, 0);
  return Napi::Number::New(env, dtype == DType::F32
                                    ? double(read_once(k.f32, static_cast<const float*>(x.data), x.length, threads))
                                    : read_once(k.f64, static_cast<const double*>(x.data), x.length, threads));
}

}  // namespace

void register_linreg(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  define(env, exports, kFn, linreg_loss_grad_entry, table);
  define(env, exports, "readOnce", read_once_entry, table);
}

}  // namespace adam_simd
