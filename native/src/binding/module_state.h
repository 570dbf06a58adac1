// Per-environment state of the addon (one per main thread or worker).
#pragma once

#include <napi.h>

#include <new>
#include <stdexcept>
#include <string>

#include "../kernel_api.h"

namespace adam_simd {

template <class T>
const Kernels<T>& kernels_for(const KernelTable& table);
template <>
inline const Kernels<float>& kernels_for<float>(const KernelTable& table) {
  return table.f32;
}
template <>
inline const Kernels<double>& kernels_for<double>(const KernelTable& table) {
  return table.f64;
}

// Entry points carry their ISA's kernel table as function data, so one process can hold
// bindings for several ISAs at once (binding.forIsa) for tests and benchmarks.
inline const KernelTable& kernels(const Napi::CallbackInfo& info) { return *static_cast<const KernelTable*>(info.Data()); }

using Entry = Napi::Value (*)(const Napi::CallbackInfo&);

// Sets exports[name] to `entry` (with `table` as its data). An allocation failure inside it
// (a huge list, a machine out of memory) becomes a RangeError: node-addon-api forwards only
// Napi::Error to JavaScript, and any other exception leaving a call aborts the process.
// `name` must outlive the function (a string literal).
inline void define(Napi::Env env, Napi::Object exports, const char* name, Entry entry, const KernelTable* table = nullptr) {
  const auto guarded = [entry, name](const Napi::CallbackInfo& info) -> Napi::Value {
    try {
      return entry(info);
    } catch (const std::bad_alloc&) {
    } catch (const std::length_error&) {  // a container asked for more than it can hold
    }
    throw Napi::RangeError::New(info.Env(), std::string(name) + ": not enough memory for this call");
  };
  exports.Set(name, Napi::Function::New(env, guarded, name, const_cast<KernelTable*>(table)));
}

// Registers the optimizer and reduction entry points of `table` on `exports`.
void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_reductions(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_linreg(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_mlp(Napi::Env env, Napi::Object exports, const KernelTable* table);
// Entry points that need no kernel table (plain data movement).
void register_gather(Napi::Env env, Napi::Object exports);
// runStep, runStepAsync and replaceStepGrad: the prepared steps of plan.h.
void register_plan(Napi::Env env, Napi::Object exports);
void register_train_loop(Napi::Env env, Napi::Object exports, const KernelTable* table);

}  // namespace adam_simd
