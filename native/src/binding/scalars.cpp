#include "scalars.h"

#include <cmath>
#include <cstring>
#include <string>

#include "views.h"

namespace adam_simd {

std::size_t read_count(Napi::Env env, const Napi::Value& value, const Where& where) {
  if (!value.IsNumber()) throw_type_error(env, where.text() + " must be a number (an integer ≥ 1)");
  const double x = value.As<Napi::Number>().DoubleValue();
  if (!(x >= 1 && x <= 9007199254740991.0 && std::floor(x) == x)) {
    throw_range_error(env, where.text() + " must be an integer ≥ 1, received " + number_text(x));
  }
  return static_cast<std::size_t>(x);
}

Scalars::Scalars(Napi::Env env, const char* fn, const Napi::Value& value, const char* const* keys, std::size_t count)
    : env_(env), fn_(fn), keys_(keys) {
  if (value.IsTypedArray()) {
    const TypedArrayInfo info = typed_array_info(env, value);
    if (info.type != napi_float64_array || info.length != count) {
      std::string names;
      for (std::size_t i = 0; i < count; ++i) names += (i == 0 ? "" : ", ") + std::string(keys[i]);
      throw_type_error(env, where().text() + " must be an object or a Float64Array of " + std::to_string(count) +
                                " values (" + names + "), received " + describe(value) + " of length " +
                                std::to_string(info.length));
    }
    // Copied at once: nothing the call runs later can change them.
    std::memcpy(values_.data(), info.data, count * sizeof(double));
    is_packed_ = true;
    return;
  }
  if (!value.IsObject() || value.IsArray()) {
    throw_type_error(env, where().text() + " must be an object or a Float64Array, received " + describe(value));
  }
  obj_ = value.As<Napi::Object>();
}

Scalars::Scalars(Napi::Env env, const char* fn, const double* packed, const char* const* keys, std::size_t count)
    : env_(env), fn_(fn), keys_(keys), is_packed_(true) {
  std::memcpy(values_.data(), packed, count * sizeof(double));
}

double Scalars::number(std::size_t key, ScalarRange range) const {
  double x;
  Napi::Value v;
  if (is_packed_) {
    x = values_[key];
  } else {
    v = obj_.Get(keys_[key]);
    if (!v.IsNumber()) throw_type_error(env_, where(key).text() + " must be a number, received " + describe(v));
    x = v.As<Napi::Number>().DoubleValue();
  }
  auto received = [&] { return is_packed_ ? number_text(x) : describe(v); };
  if (!std::isfinite(x)) throw_range_error(env_, where(key).text() + " must be finite, received " + received());
  const char* expected = nullptr;
  switch (range) {
    case ScalarRange::NonNegative:
      if (!(x >= 0)) expected = "≥ 0";
      break;
    case ScalarRange::UnitOpen:
      if (!(x >= 0 && x < 1)) expected = "in [0, 1)";
      break;
    case ScalarRange::UnitClosed:
      if (!(x >= 0 && x <= 1)) expected = "in [0, 1]";
      break;
    case ScalarRange::UnitHalfOpenAbove:
      if (!(x > 0 && x <= 1)) expected = "in (0, 1]";
      break;
  }
  if (expected != nullptr) throw_range_error(env_, where(key).text() + " must be " + expected + ", received " + received());
  return x;
}

template <>
float Scalars::as<float>(std::size_t key, double value) const {
  const float f = static_cast<float>(value);
  if (!std::isfinite(f)) {
    throw_range_error(env_, where(key).text() + " must be finite as a float32, received " + number_text(value));
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
      throw_type_error(env_, where(key).text() + " must be 0 or 1 (a flag in packed scalars), received " + number_text(x));
    }
    return x == 1;
  }
  const Napi::Value v = obj_.Get(keys_[key]);
  if (v.IsUndefined()) return false;
  if (!v.IsBoolean()) throw_type_error(env_, where(key).text() + " must be a boolean, received " + describe(v));
  return v.As<Napi::Boolean>().Value();
}

}  // namespace adam_simd
