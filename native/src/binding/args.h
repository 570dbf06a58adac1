// Reading and validating the arguments of a binding call. Every check runs before any
// kernel touches memory, so a rejected call writes nothing. One header per concern:
//   errors.h       messages, and Where (an argument's path, formatted only for a message)
//   views.h        typed arrays, and the memory regions a call touches (aliasing, buffers changed mid-call)
//   tensor_list.h  the tensors of an optimizer call
//   scalars.h      per-step scalars and counts
#pragma once

#include "errors.h"
#include "scalars.h"
#include "tensor_list.h"
#include "views.h"
