// The entry points shared by every optimizer's plan: runStep, runStepAsync, replaceStepGrad.
#include "plan.h"

#include <algorithm>
#include <cmath>

namespace adam_simd {
namespace {

// Marks plan Externals, so no other External can be passed off as one.
constexpr napi_type_tag kPlanTag = {0x6164616d2d73696dULL, 0x642d706c616e2d31ULL};

}  // namespace

Plan& unwrap_plan(Napi::Env env, const char* fn, const Napi::Value& value) {
  bool tagged = false;
  if (value.IsExternal()) napi_check_object_type_tag(env, value, &kPlanTag, &tagged);
  if (!tagged) throw_type_error(env, std::string(fn) + ": plan must be a step plan (from " + kPlanEntryNames + ")");
  Plan* plan = value.As<Napi::External<Plan>>().Data();
  if (plan->busy) {
    throw Napi::Error::New(env, std::string(fn) + ": this plan's asynchronous step is still running; await it first");
  }
  return *plan;
}

void Plan::set_scalars(Napi::Env env, const char* fn, const double* scalars) {
  for (std::size_t c = 0; c < calls.size(); ++c) calls[c]->set_scalars(env, fn, scalars + call_group[c] * scalar_count);
}

namespace {

// The packed scalars of every group (groups × the optimizer's keys). Read in place: no
// JavaScript runs between this and set_scalars, which converts them all. One Node-API call
// (it fails for anything but a typed array): node-addon-api's IsTypedArray, TypedArrayType,
// ElementLength and Data made four, ~1,400 instructions of every step.
const double* read_scalars(Napi::Env env, const char* fn, const Plan& plan, const Napi::Value& value) {
  const std::size_t expected = plan.groups * plan.scalar_count;
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, value, &type, &length, &data, nullptr, nullptr) == napi_ok &&
      type == napi_float64_array && length == expected) {
    return static_cast<const double*>(data);
  }
  throw_type_error(env, std::string(fn) + ": scalars must be a Float64Array of " + std::to_string(expected) + " values (" +
                            std::to_string(plan.scalar_count) + " per group)");
}

Napi::Value run_step(const Napi::CallbackInfo& info) {
  const char* fn = "runStep";
  const Napi::Env env = info.Env();
  Plan& plan = unwrap_plan(env, fn, info[0]);
  const double* scalars = read_scalars(env, fn, plan, info[1]);
  if (!plan.unchanged()) return Napi::Boolean::New(env, false);
  plan.set_scalars(env, fn, scalars);
  for (const auto& call : plan.calls) call->run(plan.threads);
  return Napi::Boolean::New(env, true);
}

// Runs every call of a plan on a libuv worker; the plan is busy (refused) until then.
class PlanWorker : public Napi::AsyncWorker {
 public:
  PlanWorker(Napi::Env env, const Napi::Value& handle, Plan& plan, unsigned threads)
      : Napi::AsyncWorker(env, "adam-simd:step"),
        plan_(plan),
        threads_(threads),
        deferred_(env),
        handle_(Napi::Persistent(handle)) {
    plan_.busy = true;
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      for (const auto& call : plan_.calls) call->run(threads_);
    } catch (const std::bad_alloc&) {
      SetError("runStepAsync: not enough memory for this call");
    }
  }
  void OnOK() override {
    plan_.busy = false;
    deferred_.Resolve(Env().Undefined());
  }
  void OnError(const Napi::Error& e) override {
    plan_.busy = false;
    deferred_.Reject(Napi::RangeError::New(Env(), e.Message()).Value());
  }

 private:
  Plan& plan_;
  unsigned threads_;
  Napi::Promise::Deferred deferred_;
  Napi::Reference<Napi::Value> handle_;  // keeps the plan (and its buffers) alive
};

Napi::Value run_step_async(const Napi::CallbackInfo& info) {
  const char* fn = "runStepAsync";
  const Napi::Env env = info.Env();
  Plan& plan = unwrap_plan(env, fn, info[0]);
  const double* scalars = read_scalars(env, fn, plan, info[1]);
  const std::string unshared = plan.unshared();
  if (!unshared.empty()) {
    throw_type_error(env, std::string(fn) + ": " + unshared +
                              " is over a plain ArrayBuffer, which could be transferred to another thread while "
                              "the step runs; asynchronous steps need SharedArrayBuffer-backed arrays");
  }
  if (!plan.unchanged()) return Napi::Boolean::New(env, false);
  plan.set_scalars(env, fn, scalars);
  auto* worker = new PlanWorker(env, info[0], plan, plan.threads);
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

// replaceStepGrad(plan, slot, grad): true when `grad` now stands in slot `slot` (the plan's
// tensors in order); false, changing nothing, when it cannot (another dtype or length,
// memory a step writes, too many replaced buffers): the caller then plans again, which
// names the problem.
Napi::Value replace_step_grad(const Napi::CallbackInfo& info) {
  const char* fn = "replaceStepGrad";
  const Napi::Env env = info.Env();
  Plan& plan = unwrap_plan(env, fn, info[0]);
  if (!info[1].IsNumber()) throw_type_error(env, std::string(fn) + ": slot must be a tensor index");
  const double s = info[1].As<Napi::Number>().DoubleValue();
  if (!(s >= 0 && s < double(plan.slots.size()) && std::floor(s) == s)) {
    throw_range_error(env, std::string(fn) + ": slot must be an integer in [0, " + std::to_string(plan.slots.size()) +
                               "), received " + number_text(s));
  }
  Plan::Slot& slot = plan.slots[static_cast<std::size_t>(s)];
  PlannedCall& call = *plan.calls[slot.call];
  const DType dtype = call.dtype();
  DType got;
  const ArrayView view = read_float_array(env, info[2], Where(fn, "grad"), &got, nullptr);
  const bool fits = got == dtype && view.length == call.length(slot.tensor);
  const char* begin = static_cast<const char*>(view.data);
  if (!fits || (view.length != 0 && plan.meets_written(begin, begin + view.length * element_size(dtype))) ||
      plan.released > plan.buffers.size() / 2 + 16) {
    return Napi::Boolean::New(env, false);
  }
  const std::size_t buffer = plan.watch(view.handle);
  plan.release(slot.grad_buffer);
  slot.grad_buffer = buffer;
  slot.grad_name = view.shared ? "" : "tensors[" + std::to_string(static_cast<std::size_t>(s)) + "].grad";
  call.set_grad(slot.tensor, view.data);
  return Napi::Boolean::New(env, true);
}

void finalize(napi_env, void* data, void*) { delete static_cast<Plan*>(data); }

}  // namespace

Plan::~Plan() {
  for (const Buffer& b : buffers) {
    if (b.ref != nullptr) napi_delete_reference(env, b.ref);
  }
}

std::size_t Plan::watch(napi_value typed_array) {
  napi_value buffer;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, typed_array, nullptr, nullptr, nullptr, &buffer, nullptr),
                       kShared);
  bool plain = false;
  napi_is_arraybuffer(env, buffer, &plain);  // false for a SharedArrayBuffer
  if (!plain) return kShared;
  void* data = nullptr;
  std::size_t byte_length = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_arraybuffer_info(env, buffer, &data, &byte_length), kShared);
  const auto found = buffer_index.find(data);
  if (found != buffer_index.end() && buffers[found->second].ref != nullptr) {
    ++buffers[found->second].users;
    return found->second;
  }
  napi_ref ref;
  NAPI_THROW_IF_FAILED(env, napi_create_reference(env, buffer, 1, &ref), kShared);
  buffers.push_back({ref, data, byte_length, 1});
  buffer_index[data] = buffers.size() - 1;
  return buffers.size() - 1;
}

void Plan::release(std::size_t buffer) {
  if (buffer == kShared || --buffers[buffer].users != 0) return;
  napi_delete_reference(env, buffers[buffer].ref);
  buffers[buffer].ref = nullptr;
  ++released;
}

std::string Plan::unshared() const {
  if (!first_unshared.empty()) return first_unshared;
  for (const Slot& slot : slots) {
    if (slot.grad_buffer != kShared) return slot.grad_name;
  }
  return "";
}

bool Plan::unchanged() const {
  for (const Buffer& b : buffers) {
    if (b.ref == nullptr) continue;
    napi_value buffer;
    void* data = nullptr;
    std::size_t byte_length = 0;
    if (napi_get_reference_value(env, b.ref, &buffer) != napi_ok || buffer == nullptr ||
        napi_get_arraybuffer_info(env, buffer, &data, &byte_length) != napi_ok) {
      return false;
    }
    if (data != b.data || byte_length != b.byte_length) return false;
  }
  return true;
}

bool Plan::meets_written(const char* begin, const char* end) const {
  // The first written region ending after `begin` is the only one that can start before `end`.
  const auto it = std::upper_bound(written.begin(), written.end(), begin,
                                   [](const char* p, const std::pair<const char*, const char*>& r) { return p < r.second; });
  return it != written.end() && it->first < end;
}

Napi::Value wrap_plan(Napi::Env env, std::unique_ptr<Plan> plan) {
  std::sort(plan->written.begin(), plan->written.end());
  napi_value external;
  NAPI_THROW_IF_FAILED(env, napi_create_external(env, plan.get(), finalize, nullptr, &external), Napi::Value());
  plan.release();
  NAPI_THROW_IF_FAILED(env, napi_type_tag_object(env, external, &kPlanTag), Napi::Value());
  return Napi::Value(env, external);
}

void check_plan_regions(Napi::Env env, std::vector<PlanRegion>& regions,
                        const std::vector<std::unique_ptr<TensorList>>& lists) {
  std::sort(regions.begin(), regions.end(), [](const PlanRegion& a, const PlanRegion& b) { return a.begin < b.begin; });
  const PlanRegion* furthest = nullptr;
  const PlanRegion* furthest_written = nullptr;
  for (const PlanRegion& r : regions) {
    if (r.begin == r.end) continue;
    const PlanRegion* clash = r.written ? furthest : furthest_written;
    if (clash != nullptr && r.begin < clash->end) {
      auto name = [&](const PlanRegion& x) { return lists[x.call]->where(x.tensor, x.key).in_call(x.call).path(); };
      throw_range_error(env, std::string("plan: ") + name(*clash) + " and " + name(r) +
                                 " share memory (the same memory, perhaps through two SharedArrayBuffer objects); "
                                 "every buffer a step writes must be its own");
    }
    if (furthest == nullptr || r.end > furthest->end) furthest = &r;
    if (r.written && (furthest_written == nullptr || r.end > furthest_written->end)) furthest_written = &r;
  }
}

void register_plan(Napi::Env env, Napi::Object exports) {
  define(env, exports, "runStep", run_step);
  define(env, exports, "runStepAsync", run_step_async);
  define(env, exports, "replaceStepGrad", replace_step_grad);
}

}  // namespace adam_simd
