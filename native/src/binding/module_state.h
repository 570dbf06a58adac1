// Per-environment state of the addon (one per main thread or worker).
#pragma once

#include <napi.h>

#include "../kernel_api.h"

namespace adam_simd {

template <class T>
const Kernels<T>& kernels_for(const KernelTable& table);
template <>
inline const Kernels<float>& kernels_for<float>(const KernelTable& table) { return table.f32; }
template <>
inline const Kernels<double>& kernels_for<double>(const KernelTable& table) { return table.f64; }

// Entry points carry their ISA's kernel table as function data, so one process can hold
// bindings for several ISAs at once (binding.forIsa) for tests and benchmarks.
inline const KernelTable& kernels(const Napi::CallbackInfo& info) {
  return *static_cast<const KernelTable*>(info.Data());
}

// Registers the optimizer and reduction entry points of `table` on `exports`.
void register_optimizers(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_reductions(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_linreg(Napi::Env env, Napi::Object exports, const KernelTable* table);
void register_mlp(Napi::Env env, Napi::Object exports, const KernelTable* table);
// Entry points that need no kernel table (plain data movement).
void register_gather(Napi::Env env, Napi::Object exports);

}  // namespace adam_simd
