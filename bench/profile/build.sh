# Sourced by the profile scripts: `profile_build <name>...` builds those executables of
# bench/profile/targets.cmake (the addon's CMakeLists.txt, so its flags and sources) into
# build-profile/ (git-ignored), and sets $bin to the folder that holds them.
out=${out:-build-profile}
bin=$out/profile
profile_build() {
  # Plain cmake, no cmake-js: the profiles need no Node headers. Configured once, then incremental.
  [[ -f "$out/CMakeCache.txt" ]] || cmake -S . -B "$out" -DCMAKE_BUILD_TYPE=Release >/dev/null
  local targets=()
  for name in "$@"; do targets+=("adam_simd_profile_${name//-/_}"); done
  cmake --build "$out" --parallel "$(nproc)" --target "${targets[@]}" >&2
}
