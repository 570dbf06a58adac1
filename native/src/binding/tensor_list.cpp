#include "tensor_list.h"

#include <algorithm>
#include <string>

namespace adam_simd {

TensorList::TensorList(Napi::Env env, const char* fn, const Napi::Value& list) : env_(env), fn_(fn) {
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
      throw_type_error(
          env, Where(fn, "tensors").item(i).text() + " must be an object with a param field, received " + describe(item));
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

ArrayView TensorList::read(std::size_t i, const char* key_name, bool written) {
  napi_value value;
  NAPI_THROW_IF_FAILED(env_, napi_get_property(env_, items_[i], key(key_name), &value), ArrayView{});
  const DType* expected = (i == 0 && params_.empty()) ? nullptr : &dtype_;
  DType got;
  const ArrayView view =
      read_float_array(env_, Napi::Value(env_, value), where(i, key_name), &got, expected, "tensors[0].param");
  if (expected == nullptr) dtype_ = got;
  regions_.add(view, dtype_, written, where(i, key_name));
  return view;
}

ArrayView TensorList::field(std::size_t i, const char* key_name, bool written) {
  const ArrayView view = read(i, key_name, written);
  if (view.length != params_[i].length) {
    throw_range_error(env_, where(i, key_name).text() + " has " + std::to_string(view.length) + " elements but param has " +
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

}  // namespace adam_simd
