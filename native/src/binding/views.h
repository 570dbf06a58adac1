// Typed-array arguments: their views, and the memory regions a call touches.
//
// JavaScript can run while arguments are read (a getter, a Proxy), and it could detach or
// shrink a buffer that was already checked. So every view is recorded with its handle, and
// `Regions::check_disjoint` — the last step of validation, after which no JavaScript runs —
// re-reads each one and refuses the call if anything moved.
#pragma once

#include <napi.h>

#include <cstddef>
#include <string>
#include <vector>

#include "errors.h"

namespace adam_simd {

enum class DType { F32, F64 };

std::size_t element_size(DType dtype);
const char* dtype_name(DType dtype);  // "Float32Array", "Float64Array"

struct ArrayView {
  void* data;
  std::size_t length;
  napi_value handle = nullptr;  // the typed array, to re-check it before the kernels run
  bool shared = false;          // over a SharedArrayBuffer (cannot be detached or transferred)
};

struct TypedArrayInfo {
  napi_typedarray_type type;
  std::size_t length;
  void* data;
  napi_value buffer;
};
TypedArrayInfo typed_array_info(Napi::Env env, napi_value value);

// Reads the typed array `value`; its dtype must match `expected` when one is given, and is
// stored in `dtype` when that is non-null. `like` names the array that set the expected dtype.
ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const Where& where, DType* dtype, const DType* expected,
                           const char* like = "the first array of the call");

// Reads the Uint32Array `value`: row indices.
ArrayView read_index_array(Napi::Env env, const Napi::Value& value, const Where& where);

// The memory regions a call touches: refuses aliasing and buffers changed during the call.
class Regions {
 public:
  void add(const ArrayView& view, DType dtype, bool written, const Where& where);
  // A view of another element type (an index array), `element_bytes` per element.
  void add(const ArrayView& view, std::size_t element_bytes, bool written, const Where& where);

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
    Where where;
  };
  void verify_unchanged(Napi::Env env, const Region& r) const;

  std::vector<Region> regions_;
};

}  // namespace adam_simd
