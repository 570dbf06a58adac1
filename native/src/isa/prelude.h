// Standard headers every ISA translation unit needs, included *before* the ISA namespace
// opens (the generic kernels are then included inside it).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>

#if defined(_MSC_VER)
#include <intrin.h>  // _ReadWriteBarrier (kernels/linreg.h)
#endif

#include "../kernel_api.h"
#include "isas.h"
