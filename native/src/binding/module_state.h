// Per-environment state of the addon (one per main thread or worker).
#pragma once

#include <napi.h>

#include "../dispatch.h"

namespace adam_simd {

template <class T>
const Kernels<T>& kernels_for(const KernelTable& table);
template <>
inline const Kernels<float>& kernels_for<float>(const KernelTable& table) { return table.f32; }
template <>
inline const Kernels<double>& kernels_for<double>(const KernelTable& table) { return table.f64; }

inline const KernelTable& kernels(Napi::Env env) { return *env.GetInstanceData<Dispatch>()->kernels; }

// Registers the optimizer and reduction entry points on `exports`.
void register_optimizers(Napi::Env env, Napi::Object exports);
void register_reductions(Napi::Env env, Napi::Object exports);

}  // namespace adam_simd
