// gatherRows: the rows of a mini-batch copied out of a row-major matrix, bit for bit, in the
// order of a list of row indices (the Trainer's shuffled batches; binding.d.ts).
// Copying row by row in JavaScript costs about 200 ns a row once the order is shuffled
// (bench/minibatch.js); here a row is one memcpy, and the copies of many rows overlap.
#include <cstring>
#include <string>
#include <vector>

#include "args.h"
#include "module_state.h"

namespace adam_simd {
namespace {

constexpr const char* kFn = "gatherRows";

// Row k of `to` is row order[k] of `from`, `bytes` bytes a row. A one-element row (y, a
// column of targets) is copied with a known size, so the compiler moves it in place of a call
// to memcpy: about 1 ns a row instead of 10.
template <std::size_t Bytes>
void copy_rows(const char* from, const std::vector<uint32_t>& order, char* to, std::size_t bytes) {
  const std::size_t size = Bytes != 0 ? Bytes : bytes;
  for (std::size_t k = 0; k < order.size(); ++k) std::memcpy(to + k * size, from + order[k] * size, size);
}

Napi::Value gather_rows_entry(const Napi::CallbackInfo& info) {
  const Napi::Env env = info.Env();
  const std::string fn = kFn;
  DType dtype;
  const ArrayView source = read_float_array(env, info[0], Where(kFn, "source"), &dtype, nullptr);
  const std::size_t cols = read_count(env, info[1], Where(kFn, "cols"));
  if (source.length % cols != 0) {
    throw_range_error(env, fn + ": source must hold whole rows of cols = " + std::to_string(cols) +
                               " elements, received " + std::to_string(source.length) + " elements");
  }
  const ArrayView indices = read_index_array(env, info[2], Where(kFn, "indices"));
  const ArrayView target = read_float_array(env, info[3], Where(kFn, "target"), nullptr, &dtype, "source");
  if (target.length / cols != indices.length || target.length % cols != 0) {
    throw_range_error(env, fn + ": target must have indices.length · cols = " + std::to_string(indices.length) +
                               " · " + std::to_string(cols) + " elements, received " + std::to_string(target.length));
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
      throw_range_error(env, fn + ": indices[" + std::to_string(k) + "] must be a row of source (< " +
                                 std::to_string(rows) + "), received " + std::to_string(order[k]));
    }
  }
  const std::size_t row_bytes = cols * element_size(dtype);
  const auto* src = static_cast<const char*>(source.data);
  auto* dst = static_cast<char*>(target.data);
  if (row_bytes == 4) {
    copy_rows<4>(src, order, dst, row_bytes);
  } else if (row_bytes == 8) {
    copy_rows<8>(src, order, dst, row_bytes);
  } else {
    copy_rows<0>(src, order, dst, row_bytes);
  }
  return env.Undefined();
}

}  // namespace

void register_gather(Napi::Env env, Napi::Object exports) {
  define(env, exports, kFn, gather_rows_entry);
}

}  // namespace adam_simd
