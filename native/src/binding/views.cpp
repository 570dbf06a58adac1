#include "views.h"

#include <algorithm>

namespace adam_simd {

std::size_t element_size(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

const char* dtype_name(DType dtype) { return dtype == DType::F32 ? "Float32Array" : "Float64Array"; }

TypedArrayInfo typed_array_info(Napi::Env env, napi_value value) {
  TypedArrayInfo i{};
  std::size_t offset = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, value, &i.type, &i.length, &i.data, &i.buffer, &offset), i);
  return i;
}

namespace {

bool is_plain_arraybuffer(Napi::Env env, napi_value buffer) {
  bool result = false;
  napi_is_arraybuffer(env, buffer, &result);  // false for a SharedArrayBuffer
  return result;
}

bool is_detached(Napi::Env env, napi_value buffer) {
  bool detached = false;
  if (napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok) return false;
  return detached;
}

}  // namespace

ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const Where& where, DType* dtype, const DType* expected,
                           const char* like) {
  if (!value.IsTypedArray()) {
    throw_type_error(env, where.text() + " must be a Float32Array or Float64Array, received " + describe(value));
  }
  const TypedArrayInfo info = typed_array_info(env, value);
  if (info.type != napi_float32_array && info.type != napi_float64_array) {
    throw_type_error(env, where.text() + " must be a Float32Array or Float64Array, received " + describe(value));
  }
  const DType got = info.type == napi_float32_array ? DType::F32 : DType::F64;
  if (expected != nullptr && got != *expected) {
    throw_type_error(
        env, where.text() + " must be a " + dtype_name(*expected) + " like " + like + ", received " + dtype_name(got));
  }
  const bool plain = is_plain_arraybuffer(env, info.buffer);
  // Only an empty view can be detached, so the extra call is paid only then.
  if (info.length == 0 && plain && is_detached(env, info.buffer)) {
    throw_type_error(env, where.text() + " is backed by a detached ArrayBuffer");
  }
  if (dtype != nullptr) *dtype = got;
  // A view of a shrunk resizable buffer reports length 0 with a non-null pointer: only the
  // length is trusted from here on.
  return {info.length == 0 ? nullptr : info.data, info.length, value, !plain};
}

ArrayView read_index_array(Napi::Env env, const Napi::Value& value, const Where& where) {
  if (!value.IsTypedArray() || typed_array_info(env, value).type != napi_uint32_array) {
    throw_type_error(env, where.text() + " must be a Uint32Array, received " + describe(value));
  }
  const TypedArrayInfo info = typed_array_info(env, value);
  const bool plain = is_plain_arraybuffer(env, info.buffer);
  if (info.length == 0 && plain && is_detached(env, info.buffer)) {
    throw_type_error(env, where.text() + " is backed by a detached ArrayBuffer");
  }
  return {info.length == 0 ? nullptr : info.data, info.length, value, !plain};
}

void Regions::add(const ArrayView& view, DType dtype, bool written, const Where& where) {
  add(view, element_size(dtype), written, where);
}

void Regions::add(const ArrayView& view, std::size_t element_bytes, bool written, const Where& where) {
  const char* begin = static_cast<const char*>(view.data);
  regions_.push_back({begin, begin + view.length * element_bytes, view.handle, view.length, written, view.shared, where});
}

void Regions::verify_unchanged(Napi::Env env, const Region& r) const {
  if (r.handle == nullptr) return;
  const TypedArrayInfo now = typed_array_info(env, r.handle);
  const char* data = now.length == 0 ? nullptr : static_cast<const char*>(now.data);
  if (now.length != r.length || data != r.begin) {
    throw_type_error(env,
                     r.where.text() + " was detached or resized while the call read its arguments (by a getter or Proxy?)");
  }
}

void Regions::check_disjoint(Napi::Env env) const {
  for (const Region& r : regions_) verify_unchanged(env, r);

  std::vector<const Region*> sorted;
  sorted.reserve(regions_.size());
  for (const Region& r : regions_) {
    if (r.begin != r.end) sorted.push_back(&r);
  }
  std::sort(sorted.begin(), sorted.end(), [](const Region* a, const Region* b) { return a->begin < b->begin; });
  // A region overlaps an earlier-starting one iff it starts before the furthest end seen so
  // far; track that separately for written regions, since read-only pairs may overlap.
  const Region* furthest = nullptr;
  const Region* furthest_written = nullptr;
  for (const Region* r : sorted) {
    const Region* clash = r->written ? furthest : furthest_written;
    if (clash != nullptr && r->begin < clash->end) {
      throw_range_error(env, clash->where.text() + " and " + r->where.path() +
                                 " share memory; every buffer a call writes must be its own");
    }
    if (furthest == nullptr || r->end > furthest->end) furthest = r;
    if (r->written && (furthest_written == nullptr || r->end > furthest_written->end)) furthest_written = r;
  }
}

bool Regions::all_shared() const {
  return std::all_of(regions_.begin(), regions_.end(), [](const Region& r) { return r.shared; });
}

std::string Regions::first_unshared() const {
  for (const Region& r : regions_) {
    if (!r.shared) return r.where.text();
  }
  return std::string();
}

std::vector<napi_value> Regions::handles() const {
  std::vector<napi_value> out;
  out.reserve(regions_.size());
  for (const Region& r : regions_) out.push_back(r.handle);
  return out;
}

}  // namespace adam_simd
