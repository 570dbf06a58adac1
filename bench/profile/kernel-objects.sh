# Sourced by the profile scripts: compiler flags of the native build (no FMA contraction, no
# fast-math), the three x86-64 ISA objects of the kernel table and the linear-regression
# driver that runs them (single-threaded here), built into $out (default
# build-bench-profile/, git-ignored), which it creates.
out=${out:-build-bench-profile}
mkdir -p "$out"
flags=(-std=c++17 -O3 -DNDEBUG -ffp-contract=off -fno-math-errno -fno-fast-math
       -DADAM_SIMD_HAVE_AVX2 -DADAM_SIMD_HAVE_AVX512)
g++ "${flags[@]}" -c -o "$out/scalar.o" native/src/isa/scalar.cpp
g++ "${flags[@]}" -mavx2 -c -o "$out/avx2.o" native/src/isa/avx2.cpp
g++ "${flags[@]}" -mavx512f -Wno-maybe-uninitialized -c -o "$out/avx512.o" native/src/isa/avx512.cpp
g++ "${flags[@]}" -c -o "$out/linreg.o" native/src/linreg.cpp
g++ "${flags[@]}" -c -o "$out/parallel.o" native/src/parallel.cpp
kernel_objects=("$out/scalar.o" "$out/avx2.o" "$out/avx512.o" "$out/linreg.o" "$out/parallel.o" -pthread)
