#include "args.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace adam_simd {

void throw_type_error(Napi::Env env, const std::string& message) {
  throw Napi::TypeError::New(env, message);
}

void throw_range_error(Napi::Env env, const std::string& message) {
  throw Napi::RangeError::New(env, message);
}

std::string number_text(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  for (int precision = 1; precision <= 17; ++precision) {  // shortest that reads back the same
    std::snprintf(buf, sizeof buf, "%.*g", precision, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

std::size_t element_size(DType dtype) { return dtype == DType::F32 ? 4 : 8; }

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
  if (v.IsNumber()) return number_text(v.As<Napi::Number>().DoubleValue());
  if (v.IsString()) return "a string";
  if (v.IsFunction()) return "a function";
  if (v.IsArrayBuffer()) return "an ArrayBuffer";
  if (v.IsObject()) return "an object";
  return "a value of another type";
}

struct TypedArrayInfo {
  napi_typedarray_type type;
  std::size_t length;
  void* data;
  napi_value buffer;
};

TypedArrayInfo typed_array_info(Napi::Env env, napi_value value) {
  TypedArrayInfo i{};
  std::size_t offset = 0;
  NAPI_THROW_IF_FAILED(env, napi_get_typedarray_info(env, value, &i.type, &i.length, &i.data, &i.buffer, &offset), i);
  return i;
}

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

ArrayView read_float_array(Napi::Env env, const Napi::Value& value, const std::string& where,
                           DType* dtype, const DType* expected, const char* like) {
  if (!value.IsTypedArray()) {
    throw_type_error(env, where + " must be a Float32Array or Float64Array, received " + describe(value));
  }
  const TypedArrayInfo info = typed_array_info(env, value);
  if (info.type != napi_float32_array && info.type != napi_float64_array) {
    throw_type_error(env, where + " must be a Float32Array or Float64Array, received " + describe(value));
  }
  const DType got = info.type == napi_float32_array ? DType::F32 : DType::F64;
  if (expected != nullptr && got != *expected) {
    throw_type_error(env, where + " must be a " + dtype_name(*expected) + " like " + like + ", received " + dtype_name(got));
  }
  const bool plain = is_plain_arraybuffer(env, info.buffer);
  // Only an empty view can be detached, so the extra call is paid only then.
  if (info.length == 0 && plain && is_detached(env, info.buffer)) {
    throw_type_error(env, where + " is backed by a detached ArrayBuffer");
  }
  if (dtype != nullptr) *dtype = got;
  // A view of a shrunk resizable buffer reports length 0 with a non-null pointer: only the
  // length is trusted from here on.
  return {info.length == 0 ? nullptr : info.data, info.length, value, !plain};
}

std::size_t read_count(Napi::Env env, const Napi::Value& value, const std::string& where) {
  if (!value.IsNumber()) throw_type_error(env, where + " must be a number (an integer ≥ 1)");
  const double x = value.As<Napi::Number>().DoubleValue();
  if (!(x >= 1 && x <= 9007199254740991.0 && std::floor(x) == x)) {
    throw_range_error(env, where + " must be an integer ≥ 1, received " + number_text(x));
  }
  return static_cast<std::size_t>(x);
}

ArrayView read_index_array(Napi::Env env, const Napi::Value& value, const std::string& where) {
  if (!value.IsTypedArray() || typed_array_info(env, value).type != napi_uint32_array) {
    throw_type_error(env, where + " must be a Uint32Array, received " + describe(value));
  }
  const TypedArrayInfo info = typed_array_info(env, value);
  const bool plain = is_plain_arraybuffer(env, info.buffer);
  if (info.length == 0 && plain && is_detached(env, info.buffer)) {
    throw_type_error(env, where + " is backed by a detached ArrayBuffer");
  }
  return {info.length == 0 ? nullptr : info.data, info.length, value, !plain};
}

void Regions::add(const ArrayView& view, DType dtype, bool written, std::string where) {
  add(view, element_size(dtype), written, std::move(where));
}

void Regions::add(const ArrayView& view, std::size_t element_bytes, bool written, std::string where) {
  labels_.push_back(std::move(where));
  const char* begin = static_cast<const char*>(view.data);
  regions_.push_back({begin, begin + view.length * element_bytes, view.handle, view.length, written, view.shared,
                      static_cast<uint32_t>(labels_.size() - 1), nullptr});
}

void Regions::add(const ArrayView& view, DType dtype, bool written, uint32_t index, const char* key) {
  const char* begin = static_cast<const char*>(view.data);
  regions_.push_back({begin, begin + view.length * element_size(dtype), view.handle, view.length, written, view.shared,
                      index, key});
}

std::string Regions::name(const Region& r) const {
  return r.key == nullptr ? labels_[r.index] : describe_(context_, r.index, r.key);
}

void Regions::verify_unchanged(Napi::Env env, const Region& r) const {
  if (r.handle == nullptr) return;
  const TypedArrayInfo now = typed_array_info(env, r.handle);
  const char* data = now.length == 0 ? nullptr : static_cast<const char*>(now.data);
  if (now.length != r.length || data != r.begin) {
    throw_type_error(env, name(r) + " was detached or resized while the call read its arguments (by a getter or Proxy?)");
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
      const std::string other = name(*r);
      throw_range_error(env, name(*clash) + " and " + other.substr(other.find(": ") + 2) +
                                 " share memory; every buffer a call writes must be its own");
    }
    if (furthest == nullptr || r->end > furthest->end) furthest = r;
    if (r->written && (furthest_written == nullptr || r->end > furthest_written->end)) furthest_written = r;
  }
}

TensorList::TensorList(Napi::Env env, const char* fn, const Napi::Value& list) : env_(env), fn_(fn) {
  regions_.set_describe(&TensorList::describe_field, this);
  if (!list.IsArray()) {
    throw_type_error(env, std::string(fn) + ": tensors must be an array, received " + describe(list));
  }
  const Napi::Array array = list.As<Napi::Array>();
  const uint32_t n = array.Length();
  // A list's length says nothing of what it holds (new Array(2 ** 28) is one hole): room
  // for more than a bounded number of items is made only as items are found.
  const std::size_t room = std::min<std::size_t>(n, 256);
  items_.reserve(room);
  params_.reserve(room);
  regions_.reserve(room * 5);  // param, grad and up to three state buffers
  for (uint32_t i = 0; i < n; ++i) {
    const Napi::Value item = array.Get(i);
    if (!item.IsObject() || item.IsTypedArray() || item.IsArray()) {
      throw_type_error(env, std::string(fn) + ": tensors[" + std::to_string(i) +
                                "] must be an object with a param field, received " + describe(item));
    }
    items_.push_back(item);
    params_.push_back(read(i, "param", true));
  }
}

napi_value TensorList::key(const char* name) {
  for (const auto& k : keys_) {
    if (k.first == name) return k.second;
  }
  napi_value s;
  NAPI_THROW_IF_FAILED(env_, napi_create_string_utf8(env_, name, NAPI_AUTO_LENGTH, &s), nullptr);
  keys_.emplace_back(name, s);
  return s;
}

std::string TensorList::where(std::size_t i, const char* key) const {
  std::string s = std::string(fn_) + ": tensors[" + std::to_string(i) + "]";
  const Napi::Value name = Napi::Object(env_, items_[i]).Get("name");
  if (name.IsString()) s += " (\"" + name.As<Napi::String>().Utf8Value() + "\")";
  return s + "." + key;
}

std::string TensorList::describe_field(const void* self, uint32_t index, const char* key) {
  return static_cast<const TensorList*>(self)->where(index, key);
}

ArrayView TensorList::read(std::size_t i, const char* key_name, bool written) {
  napi_value value;
  NAPI_THROW_IF_FAILED(env_, napi_get_property(env_, items_[i], key(key_name), &value), ArrayView{});
  const Napi::Value v(env_, value);
  const DType* expected = (i == 0 && params_.empty()) ? nullptr : &dtype_;
  DType got;
  ArrayView view;
  try {
    view = read_float_array(env_, v, std::string(), &got, expected);
  } catch (const Napi::Error&) {
    // The name is built only on this error path: a step reads every field of every tensor.
    read_float_array(env_, v, where(i, key_name), &got, expected, "tensors[0].param");
    throw;
  }
  if (expected == nullptr) dtype_ = got;
  regions_.add(view, dtype_, written, static_cast<uint32_t>(i), key_name);
  return view;
}

ArrayView TensorList::field(std::size_t i, const char* key_name, bool written) {
  const ArrayView view = read(i, key_name, written);
  if (view.length != params_[i].length) {
    throw_range_error(env_, where(i, key_name) + " has " + std::to_string(view.length) + " elements but param has " +
                                std::to_string(params_[i].length));
  }
  return view;
}

ArrayView TensorList::field_if_present(std::size_t i, const char* key_name, bool written) {
  napi_value value;
  NAPI_THROW_IF_FAILED(env_, napi_get_property(env_, items_[i], key(key_name), &value), ArrayView{});
  napi_valuetype type;
  NAPI_THROW_IF_FAILED(env_, napi_typeof(env_, value, &type), ArrayView{});
  if (type == napi_undefined) return ArrayView{nullptr, 0};
  return field(i, key_name, written);
}

bool Regions::all_shared() const {
  return std::all_of(regions_.begin(), regions_.end(), [](const Region& r) { return r.shared; });
}

std::string Regions::first_unshared() const {
  for (const Region& r : regions_) {
    if (!r.shared) return name(r);
  }
  return std::string();
}

std::vector<napi_value> Regions::handles() const {
  std::vector<napi_value> out;
  out.reserve(regions_.size());
  for (const Region& r : regions_) out.push_back(r.handle);
  return out;
}

Scalars::Scalars(Napi::Env env, const char* fn, const Napi::Value& value, const char* const* keys, std::size_t count)
    : env_(env), fn_(fn), keys_(keys) {
  if (value.IsTypedArray()) {
    const TypedArrayInfo info = typed_array_info(env, value);
    if (info.type != napi_float64_array || info.length != count) {
      std::string names;
      for (std::size_t i = 0; i < count; ++i) names += (i == 0 ? "" : ", ") + std::string(keys[i]);
      throw_type_error(env, prefix() + " must be an object or a Float64Array of " + std::to_string(count) + " values (" +
                                names + "), received " + describe(value) + " of length " + std::to_string(info.length));
    }
    // Copied at once: nothing the call runs later can change them.
    std::memcpy(values_.data(), info.data, count * sizeof(double));
    is_packed_ = true;
    return;
  }
  if (!value.IsObject() || value.IsArray()) {
    throw_type_error(env, prefix() + " must be an object or a Float64Array, received " + describe(value));
  }
  obj_ = value.As<Napi::Object>();
}

Scalars::Scalars(Napi::Env env, const char* fn, const double* packed, const char* const* keys, std::size_t count)
    : env_(env), fn_(fn), keys_(keys), is_packed_(true) {
  std::memcpy(values_.data(), packed, count * sizeof(double));
}

double Scalars::number(std::size_t key, ScalarRange range) const {
  // Names are built only on the error paths: this runs for every scalar of every step.
  auto at = [&] { return prefix() + "." + keys_[key]; };
  double x;
  Napi::Value v;
  if (is_packed_) {
    x = values_[key];
  } else {
    v = obj_.Get(keys_[key]);
    if (!v.IsNumber()) throw_type_error(env_, at() + " must be a number, received " + describe(v));
    x = v.As<Napi::Number>().DoubleValue();
  }
  auto received = [&] { return is_packed_ ? number_text(x) : describe(v); };
  if (!std::isfinite(x)) throw_range_error(env_, at() + " must be finite, received " + received());
  const char* expected = nullptr;
  switch (range) {
    case ScalarRange::NonNegative: if (!(x >= 0)) expected = "≥ 0"; break;
    case ScalarRange::UnitOpen: if (!(x >= 0 && x < 1)) expected = "in [0, 1)"; break;
    case ScalarRange::UnitClosed: if (!(x >= 0 && x <= 1)) expected = "in [0, 1]"; break;
    case ScalarRange::UnitHalfOpenAbove: if (!(x > 0 && x <= 1)) expected = "in (0, 1]"; break;
  }
  if (expected != nullptr) throw_range_error(env_, at() + " must be " + expected + ", received " + received());
  return x;
}

template <>
float Scalars::as<float>(std::size_t key, double value) const {
  const float f = static_cast<float>(value);
  if (!std::isfinite(f)) {
    throw_range_error(env_, prefix() + "." + keys_[key] + " must be finite as a float32, received " +
                                number_text(value));
  }
  return f;
}

template <>
double Scalars::as<double>(std::size_t, double value) const {
  return value;
}

bool Scalars::flag(std::size_t key) const {
  if (is_packed_) {
    const double x = values_[key];
    if (x != 0 && x != 1) {
      throw_type_error(env_, prefix() + "." + keys_[key] + " must be 0 or 1 (a flag in packed scalars), received " + number_text(x));
    }
    return x == 1;
  }
  const Napi::Value v = obj_.Get(keys_[key]);
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) throw_type_error(env_, prefix() + "." + keys_[key] + " must be a boolean, received " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

}  // namespace adam_simd
