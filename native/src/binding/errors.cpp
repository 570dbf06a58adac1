#include "errors.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace adam_simd {

void throw_type_error(Napi::Env env, const std::string& message) { throw Napi::TypeError::New(env, message); }

void throw_range_error(Napi::Env env, const std::string& message) { throw Napi::RangeError::New(env, message); }

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

Where Where::item(uint32_t i, napi_env env, napi_value object) const {
  Where w = *this;
  w.index_ = i;
  w.env_ = env;
  w.object_ = object;
  return w;
}

Where Where::key(const char* key) const {
  Where w = *this;
  w.key_ = key;
  return w;
}

Where Where::in_call(uint32_t c) const {
  Where w = *this;
  w.call_ = c;
  return w;
}

std::string Where::text() const { return std::string(fn_) + ": " + path(); }

std::string Where::path() const {
  std::string s = call_ == kNone ? std::string() : "calls[" + std::to_string(call_) + "].";
  s += base_;
  if (index_ != kNone) s += "[" + std::to_string(index_) + "]";
  if (object_ != nullptr) {
    const Napi::Value name = Napi::Object(env_, object_).Get("name");
    if (name.IsString()) s += " (\"" + name.As<Napi::String>().Utf8Value() + "\")";
  }
  if (key_ != nullptr) s += std::string(".") + key_;
  return s;
}

}  // namespace adam_simd
