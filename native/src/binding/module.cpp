// The addon's entry point: chooses the ISA once (ADAM_SIMD_ISA may force one) and exports
// the kernels. See binding.d.ts at the repository root for the JavaScript contract.
#include <cstdint>
#include <cstdlib>
#include <stdexcept>

#include "../dispatch.h"
#include "../parallel.h"
#include "args.h"
#include "module_state.h"

namespace adam_simd {
namespace {

Napi::Value for_isa(const Napi::CallbackInfo& info);

// byteMisalignment(array): how many bytes past a 64-byte boundary its first element lies.
// JavaScript cannot see addresses; lib/data/aligned.ts uses this to start arrays on a cache
// line, so no 64-byte vector load straddles two lines.
Napi::Value byte_misalignment(const Napi::CallbackInfo& info) {
  DType dtype;
  const ArrayView view = read_float_array(info.Env(), info[0], Where("byteMisalignment", "array"), &dtype, nullptr);
  return Napi::Number::New(info.Env(), double(reinterpret_cast<std::uintptr_t>(view.data) % 64));
}

void populate(Napi::Env env, Napi::Object exports, const Dispatch& dispatch, const KernelTable* table) {
  Napi::Array isas = Napi::Array::New(env, dispatch.isas.size());
  for (uint32_t i = 0; i < dispatch.isas.size(); ++i) isas.Set(i, dispatch.isas[i]);
  exports.Set("isa", Napi::String::New(env, table->isa));
  exports.Set("isas", isas);
  register_optimizers(env, exports, table);
  register_reductions(env, exports, table);
  define(env, exports, "forIsa", for_isa);
  define(env, exports, "byteMisalignment", byte_misalignment);
  register_linreg(env, exports, table);
  register_mlp(env, exports, table);
  register_gather(env, exports);
  register_plan(env, exports);
  register_train_loop(env, exports, table);
}

// forIsa(name): the same entry points bound to another ISA this CPU can run.
Napi::Value for_isa(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const char* expected = "one of 'scalar', 'avx2', 'avx512', 'neon'";
  if (!info[0].IsString()) {
    throw Napi::TypeError::New(env, std::string("forIsa: isa must be ") + expected + ", received a " +
                                        (info[0].IsUndefined() ? "undefined value" : "non-string"));
  }
  const std::string name = info[0].As<Napi::String>().Utf8Value();
  // An empty name means "not forced" to choose_kernels; here it is simply not an ISA.
  if (name.empty()) throw Napi::RangeError::New(env, std::string("forIsa: isa must be ") + expected + ", received ''");
  Dispatch chosen;
  try {
    chosen = choose_kernels(name.c_str());
  } catch (const std::invalid_argument& e) {
    throw Napi::RangeError::New(env, std::string("forIsa: ") + e.what());
  }
  Napi::Object exports = Napi::Object::New(env);
  populate(env, exports, chosen, chosen.kernels);
  return exports;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  Dispatch* dispatch;
  try {
    dispatch = new Dispatch(choose_kernels(std::getenv("ADAM_SIMD_ISA")));
  } catch (const std::invalid_argument& e) {
    throw Napi::Error::New(env, std::string("adam-simd: ADAM_SIMD_ISA: ") + e.what());
  }
  env.SetInstanceData(dispatch);
  // The thread pool is the process's, shared by every environment; it stops its threads when
  // the last environment using the addon is torn down (parallel.h).
  pool_attach();
  const napi_status hooked = napi_add_env_cleanup_hook(
      env, [](void*) { pool_detach(); }, nullptr);
  if (hooked != napi_ok) {
    pool_detach();
    NAPI_THROW_IF_FAILED(env, hooked, exports);
  }
  populate(env, exports, *dispatch, dispatch->kernels);
  return exports;
}

}  // namespace
}  // namespace adam_simd

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return adam_simd::init(env, exports); }

NODE_API_MODULE(adam_simd, Init)
