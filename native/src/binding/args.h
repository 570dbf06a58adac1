// Reading and validating the arguments of a binding call. Every check runs before any
// kernel touches memory, so a rejected call writes nothing.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>
#include <vector>

namespace adam_simd {

enum class DType { F32, F64 };

struct ArrayView {
  void* data;
  std::size_t length;
};

// The memory regions a call touches, to refuse aliasing before anything is written.
class Regions {
 public:
  void add(const ArrayView& view, DType dtype, bool written, std::string where);
  // Throws a RangeError if a written region overlaps any other region (read-only regions
  // may overlap each other).
  void check_disjoint(Napi::Env env) const;

 private:
  struct Region {
    const char* begin;
    const char* end;
    bool written;
    std::string where;
  };
  std::vector<Region> regions_;
};

// The tensor list of one call: `tensors[i]` objects whose fields are typed arrays of one
// dtype (set by tensors[0].param) and one length per tensor (set by its param).
class TensorList {
 public:
  TensorList(Napi::Env env, const char* fn, const Napi::Value& list);

  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  DType dtype() const { return dtype_; }

  // A typed-array field of tensors[i]. `written` fields may not overlap any other field of
  // the call; read-only fields may overlap each other. Returns {nullptr, 0} for an absent
  // optional field.
  ArrayView field(std::size_t i, const char* key, bool written, bool optional = false);
  ArrayView param(std::size_t i) const { return params_[i]; }

  // Throws if any written region overlaps another region. Call after reading every field.
  void check_no_overlap() const { regions_.check_disjoint(env_); }

 private:
  std::string where(std::size_t i, const char* key) const;

  Napi::Env env_;
  const char* fn_;
  std::vector<Napi::Object> items_;
  std::vector<std::string> names_;
  std::vector<ArrayView> params_;
  Regions regions_;
  DType dtype_ = DType::F32;
};

std::size_t element_size(DType dtype);

// Reads the typed array `value` (described by `where` in errors); dtype must match when
// `expected` is given.
ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const std::string& where,
                           DType* dtype, const DType* expected);

// Numeric hyperparameters of a call, each checked to be finite in the tensors' type and
// within its range.
class Scalars {
 public:
  Scalars(Napi::Env env, const char* fn, const Napi::Value& value, DType dtype);

  enum class Range { NonNegative, UnitOpen, UnitClosed, UnitHalfOpenAbove, Any };
  // UnitOpen: [0, 1)   UnitClosed: [0, 1]   UnitHalfOpenAbove: (0, 1]
  double number(const char* key, Range range) const;
  bool flag(const char* key) const;  // absent means false

 private:
  Napi::Env env_;
  std::string prefix_;
  Napi::Object obj_;
  DType dtype_;
};

[[noreturn]] void throw_type_error(Napi::Env env, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const std::string& message);

}  // namespace adam_simd
