// The rows of the Trainer's mini-batches, as lib/trainer/batches.ts makes them: the seeded
// Fisher–Yates order of lib/data/random.ts (mulberry32, integer arithmetic, so C++ reproduces
// it exactly; native/NUMERICS.md, "Mini-batch order") and the gather of rows in that order.
// gatherRows and seededShuffle expose them to JavaScript; trainLinreg runs mini-batch epochs
// with them.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "errors.h"

namespace adam_simd {

// mulberry32: `state` is lib/data/random.ts's `a`. Each draw is a uint32 over 2^32, a double
// in [0, 1) that is exact, as JavaScript's division computes it.
struct Mulberry32 {
  uint32_t state;

  double next() {
    state += 0x6d2b79f5u;
    uint32_t t = state;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return double(t ^ (t >> 14)) / 4294967296.0;
  }
};

// shuffleInPlace of lib/data/random.ts: i from the last index down to 1 swaps with
// j = floor(draw · (i + 1)), the product rounded once in double as in JavaScript.
inline void shuffle_in_place(uint32_t* order, std::size_t n, Mulberry32& random) {
  for (std::size_t i = n; i-- > 1;) {
    const auto j = static_cast<std::size_t>(random.next() * double(i + 1));
    const uint32_t t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
}

// Row k of `to` is row order[k] of `from`, `bytes` bytes a row. A one-element row (y, a
// column of targets) is copied with a known size, so the compiler moves it in place of a call
// to memcpy, whose call costs more than the copy (bench/analysis.md).
template <std::size_t Bytes>
void copy_rows_sized(const char* from, const uint32_t* order, std::size_t n, char* to, std::size_t bytes) {
  const std::size_t size = Bytes != 0 ? Bytes : bytes;
  for (std::size_t k = 0; k < n; ++k) std::memcpy(to + k * size, from + std::size_t(order[k]) * size, size);
}

// Every index must already be a row of `from`.
inline void copy_rows(const char* from, const uint32_t* order, std::size_t n, char* to, std::size_t row_bytes) {
  if (row_bytes == 4) {
    copy_rows_sized<4>(from, order, n, to, row_bytes);
  } else if (row_bytes == 8) {
    copy_rows_sized<8>(from, order, n, to, row_bytes);
  } else {
    copy_rows_sized<0>(from, order, n, to, row_bytes);
  }
}

// A mulberry32 state from JavaScript (seededRandom's): an integer in [0, 2^32 − 1], else a
// TypeError/RangeError naming `where`.
uint32_t read_random_state(Napi::Env env, const Napi::Value& value, const Where& where);

}  // namespace adam_simd
