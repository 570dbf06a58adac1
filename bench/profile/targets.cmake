# The profile executables of bench/profile/ (README.md there), included by CMakeLists.txt so
# they take the addon's own compile options, ISA sources and ISA flags: one definition of how
# the kernels are built. x86-64 only (they time AVX2/AVX-512 against each other), never part
# of a default build (EXCLUDE_FROM_ALL). Their scripts build them into build-profile/.
# include(), not add_subdirectory(): the per-file ISA flags of CMakeLists.txt are source
# properties of its directory, which a subdirectory's targets would not see.

find_package(Threads REQUIRED)
set(PROFILE_DIR ${CMAKE_CURRENT_LIST_DIR})

# The kernel table of every ISA and the linear-regression driver, as the addon compiles them.
add_library(adam_simd_profile_kernels OBJECT EXCLUDE_FROM_ALL
            ${SRC}/isa/scalar.cpp ${ISA_SOURCES} ${SRC}/linreg.cpp ${SRC}/parallel.cpp)
target_compile_definitions(adam_simd_profile_kernels PUBLIC ${ISA_DEFINITIONS})
target_compile_options(adam_simd_profile_kernels PUBLIC $<TARGET_PROPERTY:adam_simd,COMPILE_OPTIONS>)
target_link_libraries(adam_simd_profile_kernels PUBLIC Threads::Threads)

# profile_target(<name> <source> [compile options...]): bench/profile/<source> linked with the
# kernels, written as build-profile/profile/<name> (the name the scripts run).
function(profile_target name source)
  set(target adam_simd_profile_${name})
  string(REPLACE "-" "_" target ${target})
  add_executable(${target} EXCLUDE_FROM_ALL ${PROFILE_DIR}/${source})
  target_link_libraries(${target} PRIVATE adam_simd_profile_kernels)
  target_compile_options(${target} PRIVATE ${ARGN})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${name}
                        RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/profile)
  add_dependencies(adam_simd_profile ${target})
endfunction()

# Every profile executable: cmake --build build-profile --target adam_simd_profile
add_custom_target(adam_simd_profile)
# GCC 12 warns inside its own _mm512_sqrt_ps (an uninitialised pass-through operand it declares).
profile_target(sqrt-div-throughput sqrt-div-throughput.cpp -mavx512f -Wno-uninitialized)
profile_target(adam-kernel-driver adam-kernel-driver.cpp)
# The floor loop is written once over the ISA chosen by FLOOR_IS_AVX512 and its flags.
profile_target(linreg-floor-avx2 linreg-floor.cpp -mavx2 -DFLOOR_IS_AVX512=0)
profile_target(linreg-floor-avx512 linreg-floor.cpp -mavx512f -DFLOOR_IS_AVX512=1 -Wno-maybe-uninitialized)
profile_target(linreg-structure linreg-structure.cpp -mavx512f -Wno-maybe-uninitialized)
