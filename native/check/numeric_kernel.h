// A kernel header as a new kernel is written (native/src/isa/namespace.h): it includes a
// standard header that no kernel header includes, <numeric>, and uses it. When the kernel
// headers were included inside the ISA namespace, such an include declared the standard
// library inside adam_simd::<isa> and broke the build; numeric.cpp proves it now builds.
#pragma once

#include <numeric>

#include "../src/isa/namespace.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

template <class T>
T lane_sum(Vec<T> v) {
  alignas(64) T lanes[Vec<T>::lanes];
  v.store(lanes);
  return std::accumulate(lanes, lanes + Vec<T>::lanes, T(0));
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
