#include "args.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace adam_simd {

void throw_type_error(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

void throw_range_error(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

namespace {

const char* dtype_name(DType d) { return d == DType::F32 ? "Float32Array" : "Float64Array"; }

std::string describe(const Napi::Value& v) {
  if (v.IsUndefined()) return "undefined";
  if (v.IsNull()) return "null";
  if (v.IsTypedArray()) {
    switch (v.As<Napi::TypedArray>().TypedArrayType()) {
      case napi_int8_array: return "Int8Array";
      case napi_uint8_array: return "Uint8Array";
      case napi_uint8_clamped_array: return "Uint8ClampedArray";
      case napi_int16_array: return "Int16Array";
      case napi_uint16_array: return "Uint16Array";
      case napi_int32_array: return "Int32Array";
      case napi_uint32_array: return "Uint32Array";
      case napi_float32_array: return "Float32Array";
      case napi_float64_array: return "Float64Array";
      case napi_bigint64_array: return "BigInt64Array";
      case napi_biguint64_array: return "BigUint64Array";
      default: return "a typed array";
    }
  }
  if (v.IsArray()) return "an array";
  if (v.IsBoolean()) return v.As<Napi::Boolean>().Value() ? "true" : "false";
  if (v.IsNumber()) {
    const double x = v.As<Napi::Number>().DoubleValue();
    if (std::isnan(x)) return "NaN";
    if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
    std::ostringstream s;
    s.precision(17);
    s << x;
    return s.str();
  }
  if (v.IsString()) return "a string";
  if (v.IsFunction()) return "a function";
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  if (v.IsObject()) return "an object";
  return "a value of another type";
}

bool is_detached(Napi::Env env, napi_value buffer) {
  bool detached = false;
  // Fails (napi_invalid_arg) for a SharedArrayBuffer, which can never be detached.
  if (napi_is_detached_arraybuffer(env, buffer, &detached) != napi_ok) return false;
  return detached;
}

}  // namespace

ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const std::string& where,
                           DType* dtype, const DType* expected) {
  if (!value.IsTypedArray()) {
    throw_type_error(env, where + " must be a Float32Array or Float64Array, received " +
                              describe(value));
  }
  napi_typedarray_type type;
  std::size_t length = 0;
  void* data = nullptr;
  napi_value buffer;
  std::size_t offset = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, value, &type, &length, &data, &buffer,
                                                     &offset),
                       ArrayView{});
  if (type != napi_float32_array && type != napi_float64_array) {
    throw_type_error(env, where + " must be a Float32Array or Float64Array, received " +
                              describe(value));
  }
  const DType got = type == napi_float32_array ? DType::F32 : DType::F64;
  if (expected != nullptr && got != *expected) {
    throw_type_error(env, where + " must be a " + dtype_name(*expected) +
                              " like tensors[0].param, received " + dtype_name(got));
  }
  if (is_detached(env, buffer)) throw_type_error(env, where + " is backed by a detached ArrayBuffer");
  if (dtype != nullptr) *dtype = got;
  // A view of a shrunk resizable buffer reports length 0 with a non-null pointer: only the
  // length is trusted from here on.
  return {length == 0 ? nullptr : data, length};
}

TensorList::TensorList(Napi::Env env, const char* fn, const Napi::Value& list)
    : env_(env), fn_(fn) {
  if (!list.IsArray()) {
    throw_type_error(env, std::string(fn) + ": tensors must be an array, received " + describe(list));
  }
  const Napi::Array array = list.As<Napi::Array>();
  const uint32_t n = array.Length();
  items_.reserve(n);
  names_.reserve(n);
  params_.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    const Napi::Value item = array.Get(i);
    if (!item.IsObject() || item.IsTypedArray() || item.IsArray()) {
      throw_type_error(env, std::string(fn) + ": tensors[" + std::to_string(i) +
                                "] must be an object with a param field, received " + describe(item));
    }
    const Napi::Object obj = item.As<Napi::Object>();
    const Napi::Value name = obj.Get("name");
    names_.push_back(name.IsString() ? name.As<Napi::String>().Utf8Value() : std::string());
    items_.push_back(obj);
    const std::string at = where(i, "param");
    DType dtype;
    const ArrayView param =
        read_float_array(env, obj.Get("param"), at, &dtype, i == 0 ? nullptr : &dtype_);
    if (i == 0) dtype_ = dtype;
    params_.push_back(param);
    regions_.add(param, dtype_, true, at);
  }
}

std::string TensorList::where(std::size_t i, const char* key) const {
  std::string s = std::string(fn_) + ": tensors[" + std::to_string(i) + "]";
  if (!names_[i].empty()) s += " (\"" + names_[i] + "\")";
  return s + "." + key;
}

ArrayView TensorList::field(std::size_t i, const char* key, bool written, bool optional) {
  const Napi::Value value = items_[i].Get(key);
  const std::string at = where(i, key);
  if (optional && value.IsUndefined()) return {nullptr, 0};
  const ArrayView view = read_float_array(env_, value, at, nullptr, &dtype_);
  if (view.length != params_[i].length) {
    throw_range_error(env_, at + " has " + std::to_string(view.length) + " elements but param has " +
                                std::to_string(params_[i].length));
  }
  regions_.add(view, dtype_, written, at);
  return view;
}

std::size_t element_size(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

void Regions::add(const ArrayView& view, DType dtype, bool written, std::string where) {
  const char* begin = static_cast<const char*>(view.data);
  if (view.length == 0) return;
  regions_.push_back({begin, begin + view.length * element_size(dtype), written, std::move(where)});
}

void Regions::check_disjoint(Napi::Env env) const {
  std::vector<const Region*> sorted;
  sorted.reserve(regions_.size());
  for (const Region& r : regions_) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const Region* a, const Region* b) { return a->begin < b->begin; });
  // A region overlaps an earlier-starting one iff it starts before the furthest end seen so
  // far; track that separately for written regions, since read-only pairs may overlap.
  const Region* furthest = nullptr;
  const Region* furthest_written = nullptr;
  for (const Region* r : sorted) {
    const Region* clash = r->written ? furthest : furthest_written;
    if (clash != nullptr && r->begin < clash->end) {
      throw_range_error(env, clash->where + " and " + r->where.substr(r->where.find(": ") + 2) +
                                  " share memory; every buffer an optimizer writes must be its own");
    }
    if (furthest == nullptr || r->end > furthest->end) furthest = r;
    if (r->written && (furthest_written == nullptr || r->end > furthest_written->end)) {
      furthest_written = r;
    }
  }
}

Scalars::Scalars(Napi::Env env, const char* fn, const Napi::Value& value, DType dtype)
    : env_(env), prefix_(std::string(fn) + ": scalars"), dtype_(dtype) {
  if (!value.IsObject() || value.IsArray() || value.IsTypedArray()) {
    throw_type_error(env, prefix_ + " must be an object, received " + describe(value));
  }
  obj_ = value.As<Napi::Object>();
}

double Scalars::number(const char* key, Range range) const {
  const Napi::Value v = obj_.Get(key);
  const std::string at = prefix_ + "." + key;
  if (!v.IsNumber()) throw_type_error(env_, at + " must be a number, received " + describe(v));
  const double x = v.As<Napi::Number>().DoubleValue();
  const double as_type = dtype_ == DType::F32 ? static_cast<double>(static_cast<float>(x)) : x;
  if (!std::isfinite(as_type)) {
    throw_range_error(env_, at + " must be finite" +
                                std::string(dtype_ == DType::F32 ? " as a float32" : "") +
                                ", received " + describe(v));
  }
  const char* expected = nullptr;
  switch (range) {
    case Range::NonNegative: if (!(x >= 0)) expected = "≥ 0"; break;
    case Range::UnitOpen: if (!(x >= 0 && x < 1)) expected = "in [0, 1)"; break;
    case Range::UnitClosed: if (!(x >= 0 && x <= 1)) expected = "in [0, 1]"; break;
    case Range::UnitHalfOpenAbove: if (!(x > 0 && x <= 1)) expected = "in (0, 1]"; break;
    case Range::Any: break;
  }
  if (expected != nullptr) {
    throw_range_error(env_, at + " must be " + expected + ", received " + describe(v));
  }
  return x;
}

bool Scalars::flag(const char* key) const {
  const Napi::Value v = obj_.Get(key);
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) throw_type_error(env_, prefix_ + "." + key + " must be a boolean, received " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

}  // namespace adam_simd
