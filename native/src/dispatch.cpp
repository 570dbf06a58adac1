#include "dispatch.h"

#include <stdexcept>

#include "isa/isas.h"

#if defined(ADAM_SIMD_HAVE_AVX2) || defined(ADAM_SIMD_HAVE_AVX512)
#if defined(_MSC_VER)
#include <intrin.h>
#else
#include <cpuid.h>
#endif
#endif

namespace adam_simd {
namespace {

#if defined(ADAM_SIMD_HAVE_AVX2) || defined(ADAM_SIMD_HAVE_AVX512)
struct X86Features {
  bool avx2 = false;
  bool avx512f = false;
};

void cpuid(unsigned leaf, unsigned subleaf, unsigned regs[4]) {
#if defined(_MSC_VER)
  int r[4];
  __cpuidex(r, static_cast<int>(leaf), static_cast<int>(subleaf));
  for (int i = 0; i < 4; ++i) regs[i] = static_cast<unsigned>(r[i]);
#else
  __cpuid_count(leaf, subleaf, regs[0], regs[1], regs[2], regs[3]);
#endif
}

unsigned long long xgetbv0() {
#if defined(_MSC_VER)
  return _xgetbv(0);
#else
  unsigned eax, edx;
  __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
  return (static_cast<unsigned long long>(edx) << 32) | eax;
#endif
}

// The CPU must have the instructions *and* the OS must save the registers they use
// (XCR0: YMM state for AVX2; opmask and ZMM state too for AVX-512).
X86Features detect_x86() {
  X86Features f;
  unsigned r[4];
  cpuid(0, 0, r);
  const unsigned max_leaf = r[0];
  if (max_leaf < 7) return f;
  cpuid(1, 0, r);
  const bool osxsave = (r[2] >> 27) & 1u, avx = (r[2] >> 28) & 1u;
  if (!osxsave || !avx) return f;
  const unsigned long long xcr0 = xgetbv0();
  const bool ymm_saved = (xcr0 & 0x6) == 0x6;
  const bool zmm_saved = (xcr0 & 0xe6) == 0xe6;
  cpuid(7, 0, r);
  f.avx2 = ymm_saved && ((r[1] >> 5) & 1u);
  f.avx512f = zmm_saved && ((r[1] >> 16) & 1u);
  return f;
}
#endif

struct Candidate {
  std::string name;
  const KernelTable* (*table)();
};

// Worst to best; only ISAs this build has and this CPU runs.
std::vector<Candidate> runnable() {
  std::vector<Candidate> list{{"scalar", &scalar_kernels}};
#if defined(ADAM_SIMD_HAVE_AVX2) || defined(ADAM_SIMD_HAVE_AVX512)
  const X86Features cpu = detect_x86();
#endif
#if defined(ADAM_SIMD_HAVE_AVX2)
  if (cpu.avx2) list.push_back({"avx2", &avx2_kernels});
#endif
#if defined(ADAM_SIMD_HAVE_AVX512)
  if (cpu.avx512f) list.push_back({"avx512", &avx512_kernels});
#endif
#if defined(ADAM_SIMD_HAVE_NEON)
  list.push_back({"neon", &neon_kernels});  // Advanced SIMD is mandatory on AArch64
#endif
  return list;
}

}  // namespace

Dispatch choose_kernels(const char* forced) {
  const std::vector<Candidate> list = runnable();
  Dispatch d{list.back().table(), {}};
  for (const Candidate& c : list) d.isas.push_back(c.name);
  if (forced == nullptr || *forced == '\0') return d;

  for (const Candidate& c : list) {
    if (c.name == forced) {
      d.kernels = c.table();
      return d;
    }
  }
  std::string offered;
  for (const Candidate& c : list) offered += (offered.empty() ? "" : ", ") + c.name;
  const std::string known = "scalar, avx2, avx512, neon";
  const std::string name(forced);
  const bool is_known = name == "scalar" || name == "avx2" || name == "avx512" || name == "neon";
  throw std::invalid_argument(
      "instruction set '" + name + "'" +
      (is_known ? " is not supported by this CPU or build" : " is not an instruction set (expected one of " + known + ")") +
      "; this CPU can run: " + offered);
}

}  // namespace adam_simd
