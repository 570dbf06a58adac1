// Reading and validating the arguments of a binding call. Every check runs before any
// kernel touches memory, so a rejected call writes nothing.
//
// JavaScript can run while arguments are read (a getter, a Proxy), and it could detach or
// shrink a buffer that was already checked. So every view is recorded with its handle, and
// `Regions::check_disjoint` — the last step of validation, after which no JavaScript runs —
// re-reads each one and refuses the call if anything moved.
#pragma once

#include <napi.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "../schema_types.h"

namespace adam_simd {

enum class DType { F32, F64 };

struct ArrayView {
  void* data;
  std::size_t length;
  napi_value handle = nullptr;  // the typed array, to re-check it before the kernels run
  bool shared = false;          // over a SharedArrayBuffer (cannot be detached or transferred)
};

std::size_t element_size(DType dtype);

// The memory regions a call touches: refuses aliasing and buffers changed during the call.
class Regions {
 public:
  // `where` names the region in errors.
  void add(const ArrayView& view, DType dtype, bool written, std::string where);
  // A view of another element type (an index array), `element_bytes` per element.
  void add(const ArrayView& view, std::size_t element_bytes, bool written, std::string where);
  // The same, with the name built only if an error needs it: describe(index, key).
  void add(const ArrayView& view, DType dtype, bool written, uint32_t index, const char* key);

  using Describe = std::string (*)(const void* context, uint32_t index, const char* key);
  void set_describe(Describe describe, const void* context) { describe_ = describe; context_ = context; }

  void reserve(std::size_t n) { regions_.reserve(n); }

  // True when every region is over a SharedArrayBuffer (safe to hand to another thread).
  bool all_shared() const;
  // The name of the first region over a plain ArrayBuffer, or "".
  std::string first_unshared() const;
  // Every typed array recorded (to keep them alive during an asynchronous step).
  std::vector<napi_value> handles() const;

  // Throws a TypeError if a view was detached or resized since it was read, and a
  // RangeError if a written region overlaps any other region (read-only regions may
  // overlap each other). Call after reading every argument.
  void check_disjoint(Napi::Env env) const;

 private:
  struct Region {
    const char* begin;
    const char* end;
    napi_value handle;
    std::size_t length;
    bool written;
    bool shared;
    uint32_t index;   // into labels_ when key is null
    const char* key;
  };
  std::string name(const Region& r) const;
  void verify_unchanged(Napi::Env env, const Region& r) const;

  std::vector<Region> regions_;
  std::vector<std::string> labels_;
  Describe describe_ = nullptr;
  const void* context_ = nullptr;
};

// Reads the typed array `value` (described by `where` in errors); its dtype must match
// `expected` when one is given, and is stored in `dtype` when that is non-null.
// `like` names the array that set the expected dtype.
ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const std::string& where,
                           DType* dtype, const DType* expected, const char* like = "the first array of the call");

// A count (rows, columns): a whole number ≥ 1 that a length can hold.
std::size_t read_count(Napi::Env env, const Napi::Value& value, const std::string& where);

// Reads the Uint32Array `value` (described by `where` in errors): row indices.
ArrayView read_index_array(Napi::Env env, const Napi::Value& value, const std::string& where);

// The tensor list of one call: `tensors[i]` objects whose fields are typed arrays of one
// dtype (set by tensors[0].param) and one length per tensor (set by its param).
class TensorList {
 public:
  TensorList(Napi::Env env, const char* fn, const Napi::Value& list);

  std::size_t size() const { return items_.size(); }
  DType dtype() const { return dtype_; }
  ArrayView param(std::size_t i) const { return params_[i]; }

  // A typed-array field of tensors[i]. `written` fields may not overlap any other field of
  // the call; read-only fields may overlap each other.
  ArrayView field(std::size_t i, const char* key, bool written);
  // The same, or an empty view when tensors[i] has no such field (undefined).
  ArrayView field_if_present(std::size_t i, const char* key, bool written);

  // The typed array of tensors[i] named `key` as the last read saw it, and the name a
  // message uses for it.
  std::string name_of(std::size_t i, const char* key) const { return where(i, key); }

  // Throws if any view changed during the call or a written region overlaps another.
  // Call after reading every argument (scalars included).
  void check_no_overlap() const { regions_.check_disjoint(env_); }

  bool all_shared() const { return regions_.all_shared(); }
  std::string first_unshared() const { return regions_.first_unshared(); }
  std::vector<napi_value> handles() const { return regions_.handles(); }

 private:
  ArrayView read(std::size_t i, const char* key, bool written);
  static std::string describe_field(const void* self, uint32_t index, const char* key);
  std::string where(std::size_t i, const char* key) const;
  napi_value key(const char* name);

  Napi::Env env_;
  const char* fn_;
  std::vector<napi_value> items_;
  std::vector<ArrayView> params_;
  std::vector<std::pair<const char*, napi_value>> keys_;  // property names, created once per call
  Regions regions_;
  DType dtype_ = DType::F32;
};

// Numeric hyperparameters of a call: an object with one property per scalar, or (the fast
// form: ten property reads through Node-API cost more than a small step) a Float64Array of
// them in the order of the optimizer's scalar keys, flags as 0 or 1. Each is read (running
// any getter) before the tensors' views are final, checked to be finite and in its range,
// and converted to the tensors' type with `as<T>`, which refuses values that overflow it.
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

  Napi::Env env_;
  // "fn: scalars", built only for an error (every step constructs a Scalars).
  std::string prefix() const { return std::string(fn_) + ": scalars"; }
  const char* fn_;
  Napi::Object obj_;
  const char* const* keys_;
  bool is_packed_ = false;
  std::array<double, kMaxKeys> values_{};
};

[[noreturn]] void throw_type_error(Napi::Env env, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const std::string& message);
// A number as JavaScript would print it (NaN, Infinity, shortest round-trip digits).
std::string number_text(double x);

}  // namespace adam_simd
