// Chooses the kernel table once, when the addon loads.
#pragma once

#include <string>
#include <vector>

#include "kernel_api.h"

namespace adam_simd {

struct Dispatch {
  const KernelTable* kernels;     // the chosen ISA
  std::vector<std::string> isas;  // every ISA this CPU can run, best last
};

// The best ISA this CPU supports, or the one named by `forced` (ADAM_SIMD_ISA).
// Throws std::invalid_argument naming the ISA and what this CPU offers when `forced` is
// unknown or not supported here.
Dispatch choose_kernels(const char* forced);

}  // namespace adam_simd
