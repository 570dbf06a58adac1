// ADAM_SIMD_ISA names the namespace, adam_simd::ADAM_SIMD_ISA, that every header under simd/
// and kernels/ opens around its code, as simdjson's SIMDJSON_IMPLEMENTATION and Highway's
// HWY_NAMESPACE do. Each ISA's translation unit (isa/*.cpp) defines it before its first
// include, so every function there is that unit's own copy, compiled with that ISA's flags:
// the linker can never pick an AVX-512 copy of an inline function for the scalar path.
// The headers include what they use (standard headers too) at file scope, outside that
// namespace, so any standard header is safe in them.
//
// The headers are #pragma once, so a translation unit holds one ISA: the simd/ headers stop
// the build if a second one is included (ADAM_SIMD_VEC).
#pragma once

#if !defined(ADAM_SIMD_ISA)
#error "define ADAM_SIMD_ISA (the ISA namespace) before including a simd/ or kernels/ header: see native/src/isa/scalar.cpp"
#endif
