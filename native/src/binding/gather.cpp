
// The rows of a mini-batch (binding.d.ts): gatherRows copies them out of a row-major matrix,
// bit for bit, in the order of a list of row indices; seededShuffle makes the Trainer's seeded
// order natively (batch_rows.h), the one trainLinreg's mini-batch epochs use.
// Copying row by row in JavaScript made a shuffled epoch mostly copies (bench/minibatch.js,
// figures in bench/analysis.md); here a row is one memcpy, and the copies of many rows overlap.
#include <cmath>
#include <string>
#include <vector>

#include "args.h"
#include "batch_rows.h"
#include "module_state.h"

namespace adam_simd {
namespace {

constexpr const char* kFn = "gatherRows";

Napi::Value gather_rows_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string fn = kFn;
  DType dtype;
  const ArrayView source = read_float_array(env, info[0], Where(kFn, "source"), &dtype, nullptr);
  const std::size_t cols = read_count(env, info[1], Where(kFn, "cols"));
  if (source.length % cols != 0) {
    throw_range_error(env, fn + ": source must hold whole rows of cols = " + std::to_string(cols) + " elements, received " +
                               std::to_string(source.length) + " elements");
  }
  const ArrayView indices = read_index_array(env, info[2], Where(kFn, "indices"));
  const ArrayView target = read_float_array(env, info[3], Where(kFn, "target"), nullptr, &dtype, "source");
  if (target.length / cols != indices.length || target.length % cols != 0) {
    throw_range_error(env, fn + ": target must have indices.length · cols = " + std::to_string(indices.length) + " · " +
                               std::to_string(cols) + " elements, received " + std::to_string(target.length));
  }
  Regions regions;
  regions.add(source, dtype, false, Where(kFn, "source"));
  regions.add(indices, sizeof(uint32_t), false, Where(kFn, "indices"));
  regions.add(target, dtype, true, Where(kFn, "target"));
  regions.check_disjoint(env);

  // Each index is read once, into this copy, and checked before any row is written: another
  // thread may write `indices` (over a SharedArrayBuffer) while the rows are copied.
  const std::size_t rows = source.length / cols;
  const auto* from = static_cast<const uint32_t*>(indices.data);
  std::vector<uint32_t> order(from, from + indices.length);
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (order[k] >= rows) {
      throw_range_error(env, fn + ": indices[" + std::to_string(k) + "] must be a row of source (< " + std::to_string(rows) +
                                 "), received " + std::to_string(order[k]));
    }
  }
  copy_rows(static_cast<const char*>(source.data), order.data(), order.size(), static_cast<char*>(target.data),
            cols * element_size(dtype));
  return env.Undefined();
}

// seededShuffle(order, state): shuffleInPlace(order, random) of lib/data/random.ts for the
// seededRandom whose state is `state`; returns the state after. Only values of `order` are
// moved, at indices below its length, so another thread writing it cannot make this write
// elsewhere.
Napi::Value seeded_shuffle_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  Mulberry32 random{read_random_state(env, info[1], Where("seededShuffle", "state"))};
  const ArrayView order = read_index_array(env, info[0], Where("seededShuffle", "order"));
  shuffle_in_place(static_cast<uint32_t*>(order.data), order.length, random);
  return Napi::Number::New(env, double(random.state));
}

}  // namespace

uint32_t read_random_state(Napi::Env env, const Napi::Value& value, const Where& where) {
  if (!value.IsNumber()) throw_type_error(env, where.text() + " must be an integer in [0, 2^32 − 1] (a seededRandom state)");
  const double v = value.As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 4294967295.0 && std::floor(v) == v)) {
    throw_range_error(
        env, where.text() + " must be an integer in [0, 2^32 − 1] (a seededRandom state), received " + number_text(v));
  }
  return static_cast<uint32_t>(v);
}

void register_gather(Napi::Env env, Napi::Object exports) {
  define(env, exports, kFn, gather_rows_entry);
  define(env, exports, "seededShuffle", seeded_shuffle_entry);
}

}  // namespace adam_simd
