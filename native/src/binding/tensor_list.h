// The tensor list of an optimizer call: `tensors[i]` objects whose fields are typed arrays of
// one dtype (set by tensors[0].param) and one length per tensor (set by its param).
#pragma once

#include <napi.h>

#include <cstddef>
#include <utility>
#include <vector>

#include "errors.h"
#include "views.h"

namespace adam_simd {

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

  // Where messages say field `key` of tensors[i] is: "fn: tensors[i] ("name").key".
  Where where(std::size_t i, const char* key) const {
    return Where(fn_, "tensors").item(static_cast<uint32_t>(i), env_, items_[i]).key(key);
  }

  // Throws if any view changed during the call or a written region overlaps another.
  // Call after reading every argument (scalars included).
  void check_no_overlap() const { regions_.check_disjoint(env_); }

  bool all_shared() const { return regions_.all_shared(); }
  std::string first_unshared() const { return regions_.first_unshared(); }
  std::vector<napi_value> handles() const { return regions_.handles(); }

 private:
  ArrayView read(std::size_t i, const char* key, bool written);
  napi_value key(const char* name);

  Napi::Env env_;
  const char* fn_;
  std::vector<napi_value> items_;
  std::vector<ArrayView> params_;
  std::vector<std::pair<const char*, napi_value>> keys_;  // property names, created once per call
  Regions regions_;
  DType dtype_ = DType::F32;
};

}  // namespace adam_simd
