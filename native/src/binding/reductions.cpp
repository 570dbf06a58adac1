// sumSquares and scale (gradient-norm clipping), and the benchmark's traffic baseline.
#include <algorithm>
#include <cmath>

#include "args.h"
#include "module_state.h"
#include "step_runner.h"

namespace adam_simd {
namespace {

// A plain array of typed arrays of one dtype (set by arrays[0]).
struct ArrayList {
  std::vector<ArrayView> views;
  DType dtype = DType::F32;
  Regions regions;

  ArrayList(Napi::Env env, const char* fn, const Napi::Value& value, bool written) {
    if (!value.IsArray()) {
      throw_type_error(env, std::string(fn) +
                                ": arrays must be an array of Float32Array or "
                                "Float64Array");
    }
    const Napi::Array array = value.As<Napi::Array>();
    for (uint32_t i = 0; i < array.Length(); ++i) {
      const Where where = Where(fn, "arrays").item(i);
      views.push_back(
          read_float_array(env, array.Get(i), where, i == 0 ? &dtype : nullptr, i == 0 ? nullptr : &dtype, "arrays[0]"));
      regions.add(views.back(), dtype, written, where);
    }
  }
};

// Block sums are added in order, in float64 like the blocks (native/NUMERICS.md).
template <class T>
double sum_squares(const Kernels<T>& k, const std::vector<ArrayView>& views) {
  double total = 0;
  for (const ArrayView& v : views) {
    const T* x = static_cast<const T*>(v.data);
    for (std::size_t i = 0; i < v.length; i += kReductionBlock) {
      total = total + k.sum_squares(x + i, std::min(kReductionBlock, v.length - i));
    }
  }
  return total;
}

Napi::Value sum_squares_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const ArrayList list(env, "sumSquares", info[0], false);
  // A getter on arrays[i] may have detached or shrunk an array read before it.
  list.regions.check_disjoint(env);
  const KernelTable& k = kernels(info);
  return Napi::Number::New(env, list.dtype == DType::F32 ? sum_squares(k.f32, list.views) : sum_squares(k.f64, list.views));
}

template <class T>
void scale(const Kernels<T>& k, const std::vector<ArrayView>& views, T factor) {
  for (const ArrayView& v : views) {
    if (v.length != 0) k.scale(static_cast<T*>(v.data), v.length, factor);
  }
}

Napi::Value scale_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const ArrayList list(env, "scale", info[0], true);
  if (!info[1].IsNumber()) throw_type_error(env, "scale: factor must be a number");
  const double factor = info[1].As<Napi::Number>().DoubleValue();
  const double as_type = list.dtype == DType::F32 ? double(float(factor)) : factor;
  if (!std::isfinite(as_type)) throw_range_error(env, "scale: factor must be finite in the arrays' type");
  list.regions.check_disjoint(env);
  const KernelTable& k = kernels(info);
  if (list.dtype == DType::F32) scale(k.f32, list.views, float(factor));
  else scale(k.f64, list.views, factor);
  return env.Undefined();
}

// The traffic kernel, shaped like an optimizer kernel so StepJob can split it across threads.
template <class T>
struct Traffic {
  void (*kernel)(const AdamTensor<T>&, std::size_t, std::size_t);
  static void run(const Traffic& s, const AdamTensor<T>& t, std::size_t begin, std::size_t end) { s.kernel(t, begin, end); }
};

template <class T>
void adam_traffic(const Kernels<T>& k, const std::vector<AdamTensor<void>>& tensors, unsigned threads) {
  StepJob<Traffic<T>, AdamTensor<T>> job;
  job.kernel = &Traffic<T>::run;
  job.scalars = {k.adam_traffic};
  for (const AdamTensor<void>& v : tensors) {
    job.tensors.push_back({static_cast<T*>(v.param), static_cast<const T*>(v.grad), static_cast<T*>(v.exp_avg),
                           static_cast<T*>(v.exp_avg_sq), nullptr, v.length});
  }
  job.run(threads);
}

// Benchmark baseline only: moves the bytes of an Adam step (p <- g, m <- p, v <- max(m, v)),
// split across threads exactly like adamStep.
Napi::Value adam_traffic_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const unsigned threads = read_threads(env, "adamTraffic", info[1]);
  TensorList list(env, "adamTraffic", info[0]);
  std::vector<AdamTensor<void>> tensors;
  for (std::size_t i = 0; i < list.size(); ++i) {
    tensors.push_back({list.param(i).data, list.field(i, "grad", false).data, list.field(i, "expAvg", true).data,
                       list.field(i, "expAvgSq", true).data, nullptr, list.param(i).length});
  }
  list.check_no_overlap();
  const KernelTable& k = kernels(info);
  if (list.dtype() == DType::F32) adam_traffic(k.f32, tensors, threads);
  else adam_traffic(k.f64, tensors, threads);
  return env.Undefined();
}

}  // namespace

void register_reductions(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  define(env, exports, "sumSquares", sum_squares_entry, table);
  define(env, exports, "scale", scale_entry, table);
  define(env, exports, "adamTraffic", adam_traffic_entry, table);
}

}  // namespace adam_simd
