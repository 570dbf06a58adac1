// Numbers of a call: an optimizer's per-step scalars, and counts (rows, columns).
#pragma once

#include <napi.h>

#include <array>
#include <cstddef>

#include "../schema_types.h"
#include "errors.h"

namespace adam_simd {

// A count (rows, columns): a whole number ≥ 1 that a length can hold.
std::size_t read_count(Napi::Env env, const Napi::Value& value, const Where& where);

// Numeric hyperparameters of a call: an object with one property per scalar, or (the fast
// form: ten property reads through Node-API cost more than a small step) a Float64Array of
// them in the order of the optimizer's scalar keys, flags as 0 or 1. Each is read (running
// any getter) before the tensors' views are final, checked to be finite and in its range,
// and converted to the tensors' type with `as<T>`, which refuses values that overflow it.
// The generated ops (generated/optimizers.h) read their Args through number and flag.
class Scalars {
 public:
  static constexpr std::size_t kMaxKeys = 16;

  Scalars(Napi::Env env, const char* fn, const Napi::Value& value, const char* const* keys, std::size_t count);
  // Packed values already copied out of JavaScript (a prepared step's scalars).
  Scalars(Napi::Env env, const char* fn, const double* packed, const char* const* keys, std::size_t count);

  // `key` indexes the `keys` the object was built with (its name, and its packed position).
  double number(std::size_t key, ScalarRange range) const;
  bool flag(std::size_t key) const;  // absent (object form) means false

  template <class T>
  T as(std::size_t key, double value) const;

 private:
  // "fn: scalars" and "fn: scalars.<key>".
  Where where() const { return Where(fn_, "scalars"); }
  Where where(std::size_t key) const { return where().key(keys_[key]); }

  Napi::Env env_;
  const char* fn_;
  Napi::Object obj_;
  const char* const* keys_;
  bool is_packed_ = false;
  std::array<double, kMaxKeys> values_{};
};

}  // namespace adam_simd
