// How a binding call reports bad arguments: a TypeError or RangeError whose message names the
// argument (Where), what was expected and what was received.
#pragma once

#include <napi.h>

#include <cstdint>
#include <string>

namespace adam_simd {

[[noreturn]] void throw_type_error(Napi::Env env, const std::string& message);
[[noreturn]] void throw_range_error(Napi::Env env, const std::string& message);
// A number as JavaScript would print it (NaN, Infinity, shortest round-trip digits).
std::string number_text(double x);
// What a message says was received: "undefined", "Float32Array", "0.5", "a string", …
std::string describe(const Napi::Value& v);

// Where an argument sits in a call: "fn: path", the path being [calls[c].]base[[i] ("name")][.key].
// Kept as its parts, which cost nothing to copy, and formatted only when a message needs it:
// a step describes every field of every tensor it reads, and almost never fails. A tensor's
// ("name") is read from its object at formatting time.
class Where {
 public:
  Where(const char* fn, const char* base) : fn_(fn), base_(base) {}

  // Item i of the list `base`, named by the `name` property of `object` when that is a string.
  Where item(uint32_t i, napi_env env = nullptr, napi_value object = nullptr) const;
  // Its property `key`.
  Where key(const char* key) const;
  // The same inside calls[c] of a plan.
  Where in_call(uint32_t c) const;

  // "fn: path".
  std::string text() const;
  // The path alone: the second of two names in one message ("fn: a and b share memory").
  std::string path() const;

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  const char* fn_;
  const char* base_;
  uint32_t call_ = kNone;
  uint32_t index_ = kNone;
  napi_env env_ = nullptr;
  napi_value object_ = nullptr;
  const char* key_ = nullptr;
};

}  // namespace adam_simd
