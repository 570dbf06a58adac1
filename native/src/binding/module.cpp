// The addon's entry point: chooses the ISA once (ADAM_SIMD_ISA may force one) and exports
// the kernels. See binding.d.ts at the repository root for the JavaScript contract.
#include <cstdlib>
#include <stdexcept>

#include "module_state.h"

namespace adam_simd {
namespace {

Napi::Object init(Napi::Env env, Napi::Object exports) {
  Dispatch* dispatch;
  try {
    dispatch = new Dispatch(choose_kernels(std::getenv("ADAM_SIMD_ISA")));
  } catch (const std::invalid_argument& e) {
    throw Napi::Error::New(env, std::string("adam-simd: ") + e.what());
  }
  env.SetInstanceData(dispatch);

  Napi::Array isas = Napi::Array::New(env, dispatch->isas.size());
  for (uint32_t i = 0; i < dispatch->isas.size(); ++i) isas.Set(i, dispatch->isas[i]);
  exports.Set("isa", Napi::String::New(env, dispatch->kernels->isa));
  exports.Set("isas", isas);
  register_optimizers(env, exports);
  register_reductions(env, exports);
  return exports;
}

}  // namespace
}  // namespace adam_simd

static Napi::Object Init(Napi::Env env, Napi::Object exports) { return adam_simd::init(env, exports); }

NODE_API_MODULE(adam_simd, Init)
