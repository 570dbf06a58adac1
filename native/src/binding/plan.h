// Prepared steps: an optimizer validates its tensors once (<family>Plan),
// and each later step (runStep) re-checks only what JavaScript can change between two steps.
//
// What can change: a plain ArrayBuffer can be detached (transfer, postMessage) or, when
// resizable, resized; a SharedArrayBuffer can only grow, which leaves every fixed view as
// it was. So a plan holds a reference to each distinct plain ArrayBuffer its tensors use,
// with the address and byte length it had, and a step runs only if every one is unchanged
// (otherwise runStep answers false and writes nothing: the caller validates from scratch,
// which names what changed). Views of one buffer (createParameters' arenas, an optimizer's
// state) cost one check together. A gradient array swapped for another in one slot is
// validated alone (replaceStepGrad) against the plan's written regions.
#pragma once

#include <napi.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "args.h"
#include "module_state.h"
#include "step_ops.h"
#include "step_runner.h"

namespace adam_simd {

// One kernel call of a plan: one parameter group's tensors of one dtype.
class PlannedCall {
 public:
  virtual ~PlannedCall() = default;
  // Validates this call's packed scalars (throws as the one-call entry points do) and makes
  // them the next run's.
  virtual void set_scalars(Napi::Env env, const char* fn, const double* packed) = 0;
  // For many steps in one call (trainLinreg): validates and keeps the scalars of `steps`
  // steps, `stride` doubles apart, so that use_step(s) only selects them.
  virtual void keep_steps(Napi::Env env, const char* fn, const double* packed, std::size_t stride, std::size_t steps) = 0;
  virtual void use_step(std::size_t step) = 0;
  virtual void run(unsigned threads) = 0;
  virtual DType dtype() const = 0;
  virtual std::size_t length(std::size_t tensor) const = 0;
  virtual void set_grad(std::size_t tensor, const void* data) = 0;
};

struct Plan {
  struct Buffer {
    napi_ref ref;  // null once no tensor uses it
    const void* data;
    std::size_t byte_length;
    std::size_t users;
  };
  struct Slot {
    uint32_t call, tensor;
    std::size_t grad_buffer;  // index into buffers, or kShared
    std::string grad_name;    // for the error of an asynchronous step, when not kShared
  };
  static constexpr std::size_t kShared = SIZE_MAX;

  Plan(napi_env env, std::size_t scalar_count, uint32_t groups, unsigned threads)
      : env(env), scalar_count(scalar_count), groups(groups), threads(threads) {}
  ~Plan();
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  // Records the ArrayBuffer under `typed_array` for the checks of later steps; returns its
  // index in `buffers`, or kShared for a SharedArrayBuffer (nothing to check).
  std::size_t watch(napi_value typed_array);
  void release(std::size_t buffer);
  // True when every watched buffer is as it was.
  bool unchanged() const;
  // True when [begin, end) meets memory a step writes.
  bool meets_written(const char* begin, const char* end) const;
  // Validates and sets every call's scalars (`scalars`: groups × scalar_count); when it
  // returns, nothing can fail, so no call runs unless all can.
  void set_scalars(Napi::Env env, const char* fn, const double* scalars);

  napi_env env;
  std::size_t scalar_count;  // per group
  uint32_t groups;
  unsigned threads;  // most threads a step is split across (options.threads, read once)
  std::vector<std::unique_ptr<PlannedCall>> calls;
  std::vector<uint32_t> call_group;
  std::vector<Slot> slots;  // every tensor of every call, in order
  std::vector<Buffer> buffers;
  std::size_t released = 0;
  std::unordered_map<const void*, std::size_t> buffer_index;
  std::vector<std::pair<const char*, const char*>> written;  // sorted, disjoint
  // The first array other than a gradient over a plain ArrayBuffer (empty when none): with
  // the slots' unshared gradients, what an asynchronous step refuses.
  std::string first_unshared;
  // The name of an array over a plain ArrayBuffer, or empty when every one is shared.
  std::string unshared() const;
  bool busy = false;
};

template <class Op, class T>
class PlannedCallOf final : public PlannedCall {
 public:
  StepJob<OpScalars<Op, T>, OpTensor<Op, T>> job;
  unsigned present = ~0u;              // optional fields every tensor of the call has
  std::vector<OpScalars<Op, T>> kept;  // keep_steps'

  void set_scalars(Napi::Env env, const char* fn, const double* packed) override {
    const Scalars s(env, fn, packed, Op::kScalarKeys.data(), Op::kScalarKeys.size());
    const typename Op::Args a(s);
    const unsigned missing = Op::needs(a) & ~present;
    for (std::size_t f = 0; f < Op::kFields; ++f) {
      if (missing >> f & 1u) {
        throw_type_error(env, std::string(fn) + ": these scalars need every tensor's " + Op::kFieldSpecs[f].key +
                                  ", which the plan's tensors lack; prepare the step again");
      }
    }
    job.scalars = Op::template scalars<T>(s, a);
  }
  void keep_steps(Napi::Env env, const char* fn, const double* packed, std::size_t stride, std::size_t steps) override {
    kept.clear();
    kept.reserve(steps);
    for (std::size_t s = 0; s < steps; ++s) {
      set_scalars(env, fn, packed + s * stride);
      kept.push_back(job.scalars);
    }
  }
  void use_step(std::size_t step) override { job.scalars = kept[step]; }
  void run(unsigned threads) override { job.run(threads); }
  DType dtype() const override { return std::is_same_v<T, float> ? DType::F32 : DType::F64; }
  std::size_t length(std::size_t tensor) const override { return job.tensors[tensor].length; }
  void set_grad(std::size_t tensor, const void* data) override { job.tensors[tensor].grad = static_cast<const T*>(data); }
};

// The plan behind a value from a <family>Plan; a TypeError for anything else,
// an Error while its asynchronous step runs.
Plan& unwrap_plan(Napi::Env env, const char* fn, const Napi::Value& value);

// Wraps a plan in a type-tagged External that frees it when collected.
Napi::Value wrap_plan(Napi::Env env, std::unique_ptr<Plan> plan);

// One region of a plan under construction, for the overlap check across its calls.
struct PlanRegion {
  const char* begin;
  const char* end;
  bool written;
  uint32_t call, tensor;
  const char* key;
};
// Throws a RangeError when a written region meets any other (read-only ones may overlap).
void check_plan_regions(Napi::Env env, std::vector<PlanRegion>& regions,
                        const std::vector<std::unique_ptr<TensorList>>& lists);

// adamPlan(calls: { group, tensors }[], groups, options?): validates every call as adamStep would
// (the optional fields a tensor has are all included) and returns the plan.
template <class Op>
Napi::Value plan_entry(const Napi::CallbackInfo& info) {
  const char* fn = Op::names[2];
  const Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw_type_error(env, std::string(fn) + ": calls must be an array of { group, tensors }");
  const std::size_t groups = read_count(env, info[1], Where(fn, "groups"));
  if (groups > UINT32_MAX) throw_range_error(env, std::string(fn) + ": groups must be below 2³²");
  const unsigned threads = read_threads(env, fn, info[2]);  // may run a getter: before the tensors
  const Napi::Array calls = info[0].As<Napi::Array>();
  const uint32_t n = calls.Length();
  auto plan = std::make_unique<Plan>(env, Op::kScalarKeys.size(), static_cast<uint32_t>(groups), threads);

  std::vector<std::unique_ptr<TensorList>> lists;
  std::vector<std::vector<std::array<ArrayView, Op::kFields>>> views;
  std::vector<std::vector<std::string>> grad_names;
  for (uint32_t c = 0; c < n; ++c) {
    const std::string at = std::string(fn) + ": calls[" + std::to_string(c) + "]";
    const Napi::Value call = calls.Get(c);
    if (!call.IsObject() || call.IsArray()) throw_type_error(env, at + " must be an object { group, tensors }");
    const Napi::Value group = call.As<Napi::Object>().Get("group");
    if (!group.IsNumber()) throw_type_error(env, at + ".group must be a group index");
    const double g = group.As<Napi::Number>().DoubleValue();
    if (!(g >= 0 && g < double(groups) && g == double(uint32_t(g)))) {
      throw_range_error(env,
                        at + ".group must be an integer in [0, " + std::to_string(groups) + "), received " + number_text(g));
    }
    plan->call_group.push_back(static_cast<uint32_t>(g));
    lists.push_back(std::make_unique<TensorList>(env, fn, call.As<Napi::Object>().Get("tensors")));
    TensorList& list = *lists.back();
    views.emplace_back(list.size());
    grad_names.emplace_back(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto& v = views.back()[i] = read_fields<Op>(list, i, nullptr);
      // Named now: reading a name may run a getter, which must happen before the re-check.
      auto name = [&](std::size_t f) { return list.where(i, Op::kFieldSpecs[f].key).path(); };
      for (std::size_t f = 0; f < Op::kFields; ++f) {
        if (v[f].handle == nullptr || v[f].shared) continue;
        if (f == 1) grad_names.back()[i] = name(f);
        else if (plan->first_unshared.empty()) plan->first_unshared = name(f);
      }
    }
  }
  // Getters may have run while later calls were read: every view is re-read here, after
  // which no JavaScript runs until the plan is made.
  std::vector<PlanRegion> regions;
  for (uint32_t c = 0; c < n; ++c) {
    lists[c]->check_no_overlap();
    for (std::size_t i = 0; i < views[c].size(); ++i) {
      for (std::size_t f = 0; f < Op::kFields; ++f) {
        const ArrayView& v = views[c][i][f];
        if (v.data == nullptr) continue;
        const char* begin = static_cast<const char*>(v.data);
        const char* end = begin + v.length * element_size(lists[c]->dtype());
        regions.push_back({begin, end, Op::kFieldSpecs[f].written, c, static_cast<uint32_t>(i), Op::kFieldSpecs[f].key});
      }
    }
  }
  check_plan_regions(env, regions, lists);
  for (const PlanRegion& r : regions) {
    if (r.written) plan->written.emplace_back(r.begin, r.end);
  }

  for (uint32_t c = 0; c < n; ++c) {
    auto fill = [&](auto typed) {
      using T = decltype(typed);
      auto call = std::make_unique<PlannedCallOf<Op, T>>();
      call->job.kernel = Op::kernel(kernels_for<T>(kernels(info)));
      call->job.tensors.reserve(views[c].size());
      for (std::size_t i = 0; i < views[c].size(); ++i) {
        const auto& v = views[c][i];
        call->job.tensors.push_back(Op::template tensor<T>(v));
        unsigned has = 0;
        for (std::size_t f = 0; f < Op::kFields; ++f) {
          if (v[f].handle != nullptr || !Op::kFieldSpecs[f].optional) has |= 1u << f;
          if (v[f].handle == nullptr) continue;
          const std::size_t b = plan->watch(v[f].handle);
          if (f == 1) plan->slots.push_back({c, static_cast<uint32_t>(i), b, std::move(grad_names[c][i])});
        }
        call->present &= has;
      }
      plan->calls.push_back(std::move(call));
    };
    if (lists[c]->dtype() == DType::F32) fill(float{});
    else fill(double{});
  }
  return wrap_plan(env, std::move(plan));
}

}  // namespace adam_simd
