// operator new and delete for the WebAssembly module (linreg.cpp's scratch vectors), on
// wasi-libc's malloc: linking libc++ for them would pull in its stderr reporting, and with it
// WASI imports a plain WebAssembly.instantiate cannot satisfy. Out of memory traps (the
// module is built without exceptions); lib/wasm/ reports the trap as an error.
#include <cstdlib>
#include <new>

void* operator new(std::size_t bytes) {
  void* p = std::malloc(bytes == 0 ? 1 : bytes);
  if (p == nullptr) __builtin_trap();
  return p;
}
void* operator new[](std::size_t bytes) { return operator new(bytes); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
