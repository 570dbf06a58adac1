// trainLinreg: many epochs of a linear regression — per batch the fused loss/gradient pass,
// then one prepared optimizer step — in one call, so an epoch of a small model costs what its
// arithmetic does. A full-batch epoch is exactly linregLossGrad followed by runStep (same
// kernels, same order); a mini-batch epoch is exactly lib/trainer/batches.ts's (the seeded
// order and row gather of batch_rows.h, then that pass and step per batch, the epoch's loss
// summed in double as there), so the bits are those of stepping batch by batch. See binding.d.ts.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "../linreg.h"
#include "args.h"
#include "batch_rows.h"
#include "linreg_args.h"
#include "module_state.h"
#include "plan.h"
#include "step_runner.h"

namespace adam_simd {
namespace {

constexpr const char* kFn = "trainLinreg";

// The memory the pass reads as data or writes as gradients must not be memory a step
// writes: the step would change the data, or the pass would overwrite parameters or state.
void check_apart(Napi::Env env, const Plan& plan, const LinregCall& c) {
  const std::size_t size = element_size(c.dtype);
  const std::pair<const char*, const ArrayView*> views[] = {
      {"x", &c.x}, {"y", &c.y}, {"gradWeights", &c.grad_weights}, {"gradBias", &c.grad_bias}};
  for (const auto& [key, view] : views) {
    const char* begin = static_cast<const char*>(view->data);
    if (view->length != 0 && plan.meets_written(begin, begin + view->length * size)) {
      throw_range_error(env, std::string(kFn) + ": args." + key +
                                 " shares memory with the plan's parameters or state, which each step writes");
    }
  }
  if (c.predictions.data != nullptr) throw_type_error(env, std::string(kFn) + ": args.predictions must be absent");
}

Napi::Float64Array to_float64(Napi::Env env, const double* values, std::size_t n) {
  Napi::Float64Array out = Napi::Float64Array::New(env, n);
  for (std::size_t i = 0; i < n; ++i) out[i] = values[i];
  return out;
}

// How an epoch's rows are split: one full batch (size ≥ rows: no shuffle, as in the Trainer),
// or batches of `size` rows, the last one partial, in seeded-shuffled order when `shuffle`.
struct Batching {
  std::size_t size = 0;  // 0: full batch
  bool shuffle = false;
  uint32_t state = 0;  // the seededRandom state when shuffle

  std::size_t per_epoch(std::size_t rows) const { return size == 0 || size >= rows ? 1 : (rows + size - 1) / size; }
};

// options.batchSize and options.randomState (options.threads is read_threads').
Batching read_batching(Napi::Env env, const Napi::Value& options) {
  Batching b;
  if (!options.IsObject()) return b;  // undefined; read_threads refused anything else
  const Napi::Object o = options.As<Napi::Object>();
  const Napi::Value size = o.Get("batchSize");
  if (!size.IsUndefined()) b.size = read_count(env, size, Where(kFn, "options.batchSize"));
  const Napi::Value state = o.Get("randomState");
  if (!state.IsUndefined()) {
    b.shuffle = true;
    b.state = read_random_state(env, state, Where(kFn, "options.randomState"));
  }
  return b;
}

// The loop's progress: every epoch's loss, the steps taken, the parameters before the last.
struct Progress {
  std::vector<double> losses;
  std::vector<double> previous;
  std::size_t steps = 0;
};

// One batch: the pass, then (when its loss is finite) the parameters saved and the next
// step. Returns the loss; a non-finite one ends the run.
template <class T>
T batch_step(const KernelTable& table, Plan& plan, const LinregProblem<T>& problem, const LinregCall& c, unsigned threads,
             Progress& p) {
  const T loss = linreg_loss_grad(kernels_for<T>(table), problem, threads);
  if (!std::isfinite(loss)) return loss;
  const T* weights = static_cast<const T*>(c.weights.data);
  for (std::size_t j = 0; j < c.cols; ++j) p.previous[j] = double(weights[j]);
  p.previous[c.cols] = double(*static_cast<const T*>(c.bias.data));
  for (const auto& call : plan.calls) {
    call->use_step(p.steps);
    call->run(plan.threads);
  }
  ++p.steps;
  return loss;
}

// Mini-batch epochs: each one orders the rows (shuffled when asked, b.state following the
// draws), gathers each batch into buffers made once, and steps on it. A batch loss that is not
// finite ends the run as the last of p.losses.
template <class T>
void mini_batch_epochs(const KernelTable& table, Plan& plan, const LinregCall& c, Batching& b, std::size_t epochs,
                       unsigned threads, Progress& p) {
  std::vector<uint32_t> order(c.rows);
  std::vector<T> x(b.size * c.cols), y(b.size);
  Mulberry32 random{b.state};
  const auto* from_x = static_cast<const char*>(c.x.data);
  const auto* from_y = static_cast<const char*>(c.y.data);
  for (std::size_t e = 0; e < epochs; ++e) {
    std::iota(order.begin(), order.end(), 0u);
    if (b.shuffle) shuffle_in_place(order.data(), order.size(), random);
    b.state = random.state;
    double total = 0;
    for (std::size_t start = 0; start < c.rows; start += b.size) {
      const std::size_t rows = std::min(b.size, c.rows - start);
      copy_rows(from_x, order.data() + start, rows, reinterpret_cast<char*>(x.data()), c.cols * sizeof(T));
      copy_rows(from_y, order.data() + start, rows, reinterpret_cast<char*>(y.data()), sizeof(T));
      LinregProblem<T> problem = linreg_problem<T>(c);
      problem.x = x.data();
      problem.y = y.data();
      problem.rows = rows;
      const T loss = batch_step(table, plan, problem, c, threads, p);
      if (!std::isfinite(loss)) {
        p.losses.push_back(double(loss));
        return;
      }
      total += double(loss) * double(rows);
    }
    p.losses.push_back(total / double(c.rows));
  }
}

template <class T>
Napi::Value train(Napi::Env env, const KernelTable& table, Plan& plan, const LinregCall& c, const double* scalars,
                  std::size_t epochs, Batching b, unsigned threads) {
  const std::size_t stride = plan.groups * plan.scalar_count;
  const std::size_t steps = epochs * b.per_epoch(c.rows);
  // Every step's scalars are checked (and converted) before the first epoch runs.
  for (std::size_t c = 0; c < plan.calls.size(); ++c) {
    plan.calls[c]->keep_steps(env, kFn, scalars + plan.call_group[c] * plan.scalar_count, stride, steps);
  }
  Progress p;
  p.losses.reserve(epochs);
  p.previous.resize(c.cols + 1);
  if (b.per_epoch(c.rows) > 1) {
    mini_batch_epochs<T>(table, plan, c, b, epochs, threads, p);
  } else {
    for (std::size_t e = 0; e < epochs; ++e) {
      const T loss = batch_step(table, plan, linreg_problem<T>(c), c, threads, p);
      p.losses.push_back(double(loss));
      if (!std::isfinite(loss)) break;
    }
  }
  Napi::Object result = Napi::Object::New(env);
  result.Set("losses", to_float64(env, p.losses.data(), p.losses.size()));
  result.Set("previous", p.steps > 0 ? Napi::Value(to_float64(env, p.previous.data(), p.previous.size())) : env.Null());
  result.Set("steps", Napi::Number::New(env, double(p.steps)));
  if (b.shuffle) result.Set("randomState", Napi::Number::New(env, double(b.state)));
  return result;
}

// trainLinreg(plan, args, scalars, options?): as many epochs as `scalars` holds (epochs ×
// batches per epoch × groups × the optimizer's keys), stopping after the first non-finite
// loss (whose batch takes no step). Returns { losses, previous, steps, randomState? } —
// previous: the parameters (weights, then bias) before the last step taken, or null when none
// was; randomState: the seededRandom state after the epochs' shuffles, when one was given —
// or false, writing nothing, when a buffer of the plan changed since it was made (plan again).
Napi::Value train_linreg(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  Plan& plan = unwrap_plan(env, kFn, info[0]);
  // May run getters: before the views.
  const unsigned threads = read_threads(env, kFn, info[3]);
  const Batching batching = read_batching(env, info[3]);
  const LinregCall c = read_linreg_call(env, info[1], kFn);
  // From here no JavaScript runs.
  const std::size_t batches = batching.per_epoch(c.rows);
  const std::size_t stride = plan.groups * plan.scalar_count;
  const Napi::Value s = info[2];
  if (!s.IsTypedArray() || s.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array ||
      s.As<Napi::TypedArray>().ElementLength() == 0 || s.As<Napi::TypedArray>().ElementLength() % (stride * batches) != 0) {
    throw_type_error(env, std::string(kFn) + ": scalars must be a Float64Array of epochs × " +
                              (batches > 1 ? std::to_string(batches) + " batches × " : std::string()) +
                              std::to_string(stride) + " values (" + std::to_string(plan.scalar_count) +
                              " per group, epochs ≥ 1)");
  }
  const double* scalars = s.As<Napi::Float64Array>().Data();
  const std::size_t epochs = s.As<Napi::TypedArray>().ElementLength() / (stride * batches);
  check_apart(env, plan, c);
  if (!plan.unchanged()) return Napi::Boolean::New(env, false);
  const KernelTable& table = kernels(info);
  return c.dtype == DType::F32 ? train<float>(env, table, plan, c, scalars, epochs, batching, threads)
                               : train<double>(env, table, plan, c, scalars, epochs, batching, threads);
}

}  // namespace

void register_train_loop(Napi::Env env, Napi::Object exports, const KernelTable* table) {
  define(env, exports, kFn, train_linreg, table);
}

}  // namespace adam_simd
