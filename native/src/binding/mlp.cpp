// mlpLossGrad and mlpForward: a batch through a stack of dense layers (binding.d.ts, MlpArgs;
// native/NUMERICS.md, "Neural networks"). The whole call is validated first — the layer spec,
// every length it implies, the labels the softmax loss indexes with — and the views are
// re-checked after the last argument is read, so a rejected call writes nothing.
#include <cmath>
#include <cstdint>
#include <string>

#include "../mlp.h"
#include "args.h"
#include "module_state.h"
#include "step_runner.h"

namespace adam_simd {
namespace {

struct LayerSpec {
  std::size_t inputs, units, kernel, bias;  // offsets into params; bias == SIZE_MAX when unused
  MlpActivation activation;
};

struct Call {
  DType dtype = DType::F32;
  // Views a call does not take stay null (grads, y: mlpForward; output: optional for mlpLossGrad).
  ArrayView x{nullptr, 0}, params{nullptr, 0}, grads{nullptr, 0}, y{nullptr, 0}, output{nullptr, 0};
  std::size_t rows = 0;
  std::vector<LayerSpec> layers;
  MlpLoss loss = MlpLoss::Mse;
  double delta = 1;
};

MlpLoss read_loss(Napi::Env env, const std::string& fn, const Napi::Object& args) {
  const Napi::Value v = args.Get("loss");
  if (v.IsUndefined()) return MlpLoss::Mse;
  const std::string expected = " must be 'mse', 'mae', 'huber', 'binaryCrossentropy' or 'sparseCategoricalCrossentropy'";
  if (!v.IsString()) throw_type_error(env, fn + ": args.loss" + expected);
  const std::string name = v.As<Napi::String>().Utf8Value();
  if (name == "mse") return MlpLoss::Mse;
  if (name == "mae") return MlpLoss::Mae;
  if (name == "huber") return MlpLoss::Huber;
  if (name == "binaryCrossentropy") return MlpLoss::BinaryCrossentropy;
  if (name == "sparseCategoricalCrossentropy") return MlpLoss::SparseCategoricalCrossentropy;
  throw_range_error(env, fn + ": args.loss" + expected + ", received '" + name + "'");
}

std::vector<LayerSpec> read_layers(Napi::Env env, const std::string& fn, const ArrayView& spec) {
  const std::string at = fn + ": args.layers";
  if (spec.length == 0 || spec.length % 4 != 0) {
    throw_range_error(env, at + " must hold 4 integers per layer (inputs, units, activation, useBias), received " +
                               std::to_string(spec.length));
  }
  const auto* s = static_cast<const uint32_t*>(spec.data);
  std::vector<LayerSpec> layers;
  std::size_t offset = 0;
  for (std::size_t l = 0; l < spec.length / 4; ++l) {
    const std::string layer = at + " layer " + std::to_string(l);
    const std::size_t inputs = s[4 * l], units = s[4 * l + 1];
    if (inputs == 0 || units == 0) throw_range_error(env, layer + ": inputs and units must be ≥ 1");
    if (l > 0 && inputs != layers.back().units) {
      throw_range_error(env, layer + " has " + std::to_string(inputs) + " inputs but layer " + std::to_string(l - 1) +
                                 " has " + std::to_string(layers.back().units) + " units");
    }
    if (s[4 * l + 2] > 3)
      throw_range_error(env, layer + ": activation must be 0 (linear), 1 (relu), 2 (tanh) or 3 (sigmoid)");
    if (s[4 * l + 3] > 1) throw_range_error(env, layer + ": useBias must be 0 or 1");
    LayerSpec ls{inputs, units, offset, SIZE_MAX, static_cast<MlpActivation>(s[4 * l + 2])};
    offset += inputs * units;
    if (s[4 * l + 3] == 1) {
      ls.bias = offset;
      offset += units;
    }
    layers.push_back(ls);
  }
  return layers;
}

std::size_t param_count(const std::vector<LayerSpec>& layers) {
  const LayerSpec& l = layers.back();
  return l.bias == SIZE_MAX ? l.kernel + l.inputs * l.units : l.bias + l.units;
}

Call read_call(Napi::Env env, const std::string& fn, const Napi::Value& value, bool with_loss) {
  if (!value.IsObject() || value.IsArray() || value.IsTypedArray()) {
    throw_type_error(
        env, fn + ": args must be an object { x, rows, layers, params" + (with_loss ? ", grads, y }" : ", output }"));
  }
  const Napi::Object args = value.As<Napi::Object>();
  Call c;
  Regions regions;
  auto array = [&](const char* key, std::size_t expected, const std::string& length_name, bool written) -> ArrayView {
    const Where at = Where(fn.c_str(), "args").key(key);
    DType got;
    const ArrayView view = read_float_array(env, args.Get(key), at, &got, nullptr);
    if (got != c.dtype)
      throw_type_error(env, at.text() + " must be a " + dtype_name(c.dtype) + " like args.x, received " + dtype_name(got));
    if (view.length != expected) {
      throw_range_error(env, at.text() + " must have " + length_name + " = " + std::to_string(expected) +
                                 " elements, received " + std::to_string(view.length));
    }
    regions.add(view, c.dtype, written, at);
    return view;
  };
  const Where at_args(fn.c_str(), "args");
  c.rows = read_count(env, args.Get("rows"), at_args.key("rows"));
  const ArrayView spec = read_index_array(env, args.Get("layers"), at_args.key("layers"));
  regions.add(spec, sizeof(uint32_t), false, at_args.key("layers"));
  c.layers = read_layers(env, fn, spec);
  c.x = read_float_array(env, args.Get("x"), at_args.key("x"), &c.dtype, nullptr);
  const std::size_t inputs = c.layers.front().inputs, units = c.layers.back().units;
  if (c.x.length / inputs != c.rows || c.x.length % inputs != 0) {
    throw_range_error(env, fn + ": args.x must have rows · inputs = " + std::to_string(c.rows) + " · " +
                               std::to_string(inputs) + " elements, received " + std::to_string(c.x.length));
  }
  regions.add(c.x, c.dtype, false, at_args.key("x"));
  const std::size_t count = param_count(c.layers);
  c.params = array("params", count, "the layers' weights", false);
  if (with_loss) {
    c.grads = array("grads", count, "the layers' weights", true);
    c.loss = read_loss(env, fn, args);
    const bool labels = c.loss == MlpLoss::SparseCategoricalCrossentropy;
    c.y = array("y", labels ? c.rows : c.rows * units, labels ? "rows" : "rows · units", false);
    if (c.loss == MlpLoss::Huber) {
      const Napi::Value v = args.Get("delta");
      const std::string at = fn + ": args.delta";
      if (!v.IsNumber()) throw_type_error(env, at + " must be a number > 0 (the Huber threshold)");
      c.delta = v.As<Napi::Number>().DoubleValue();
      const double as_type = c.dtype == DType::F32 ? double(float(c.delta)) : c.delta;
      if (!(std::isfinite(as_type) && as_type > 0)) {
        throw_range_error(env, at + " must be finite and > 0 in the arrays' type, received " + number_text(c.delta));
      }
    }
    const MlpActivation last = c.layers.back().activation;
    if (c.loss == MlpLoss::BinaryCrossentropy && last != MlpActivation::Sigmoid) {
      throw_range_error(env, fn + ": loss 'binaryCrossentropy' needs a sigmoid last layer (activation 3)");
    }
    if (labels && last != MlpActivation::Linear) {
      throw_range_error(env, fn + ": loss 'sparseCategoricalCrossentropy' needs a linear last layer (its logits)");
    }
  }
  const Napi::Value output = args.Get("output");
  if (!with_loss || !output.IsUndefined()) c.output = array("output", c.rows * units, "rows · units", true);
  regions.check_disjoint(env);
  // After the last JavaScript ran: the labels index the logits, so every one is checked.
  if (c.loss == MlpLoss::SparseCategoricalCrossentropy) {
    for (std::size_t i = 0; i < c.rows; ++i) {
      const double label =
          c.dtype == DType::F32 ? double(static_cast<const float*>(c.y.data)[i]) : static_cast<const double*>(c.y.data)[i];
      if (!(label >= 0 && label < double(units) && std::floor(label) == label)) {
        throw_range_error(env, fn + ": args.y[" + std::to_string(i) + "] must be a class label, an integer in [0, " +
                                   std::to_string(units - 1) + "], received " + number_text(label));
      }
    }
  }
  return c;
}

template <class T>
MlpProblem<T> problem(const Call& c) {
  MlpProblem<T> p{static_cast<const T*>(c.x.data), c.rows, {}, static_cast<const T*>(c.y.data), c.loss, T(c.delta),
                  static_cast<T*>(c.output.data)};
  const T* params = static_cast<const T*>(c.params.data);
  T* grads = static_cast<T*>(c.grads.data);
  for (const LayerSpec& l : c.layers) {
    const bool bias = l.bias != SIZE_MAX;
    p.layers.push_back({l.inputs, l.units, l.activation, params + l.kernel, bias ? params + l.bias : nullptr,
                        grads == nullptr ? nullptr : grads + l.kernel, grads != nullptr && bias ? grads + l.bias : nullptr});
  }
  return p;
}

Napi::Value mlp_loss_grad_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const unsigned threads = read_threads(env, "mlpLossGrad", info[1]);
  const Call c = read_call(env, "mlpLossGrad", info[0], true);
  const KernelTable& k = kernels(info);
  return Napi::Number::New(env, c.dtype == DType::F32 ? double(mlp_loss_grad(k.f32, problem<float>(c), threads))
                                                      : mlp_loss_grad(k.f64, problem<double>(c), threads));
}

Napi::Value mlp_forward_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const unsigned threads = read_threads(env, "mlpForward", info[1]);
  const Call c = read_call(env, "mlpForward", info[0], false);
  const KernelTable& k = kernels(info);
  if (c.dtype == DType::F32) mlp_forward(k.f32, problem<float>(c), threads);
  else mlp_forward(k.f64, problem<double>(c), threads);
  return env.Undefined();
}

// mlpPeak(iterations, dtype): the flops of mlp_peak, for bench/mlp.js to time.
Napi::Value mlp_peak_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::size_t iterations = read_count(env, info[0], Where("mlpPeak", "iterations"));
  const bool f64 = info[1].IsString() && info[1].As<Napi::String>().Utf8Value() == "f64";
  const KernelTable& k = kernels(info);
  float f;
  double d;
  const std::size_t flops = f64 ? k.f64.mlp_peak(iterations, &d) : k.f32.mlp_peak(iterations, &f);
  return Napi::Number::New(env, double(flops));
}

}  // namespace

void register_mlp(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  exports.Set("mlpLossGrad", Napi::Function::New(env, mlp_loss_grad_entry, "mlpLossGrad", const_cast<KernelTable*>(table)));
  exports.Set("mlpPeak", Napi::Function::New(env, mlp_peak_entry, "mlpPeak", const_cast<KernelTable*>(table)));
  exports.Set("mlpForward", Napi::Function::New(env, mlp_forward_entry, "mlpForward", const_cast<KernelTable*>(table)));
}

}  // namespace adam_simd
