// Linear regression: predictions, loss and gradients in one pass over X, in the order of
// native/NUMERICS.md ("Linear regression"). Over the ISA's Vec<T> (its simd/ header first).
//
// Per row, the dot product X_i·w is a reduction over columns: column j goes to partial
// j mod kPartials, partials fold in the fixed tree of sum_squares, so the vector width
// never changes a bit. Rows go kPartials at a time so that the fold across lanes, the
// costly part when done one row at a time, is a transpose-and-add network over `lanes` rows
// (Vec::fold_rows) in which every lane performs exactly its own row's additions.
// The gradient S_j += g_i·X_ij runs down the rows in row order for every column
// independently: element-wise across columns, so it vectorizes as it is.
// The per-row loss terms and g_i are summed over rows in the canonical block order.
// Everything here works on one block of rows (kLinregRowBlock); native/src/linreg.cpp
// hands blocks to threads and adds their sums in order.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstring>

#if defined(_MSC_VER)
#include <intrin.h>  // _ReadWriteBarrier
#endif

#include "../kernel_api.h"
#include "../isa/namespace.h"
#include "reductions.h"

namespace adam_simd {
namespace ADAM_SIMD_ISA {

// A block's row sums (NUMERICS.md, Lp and Gp): the 16 partials of its loss terms and of its
// g, kPartials / lanes vectors each; row i of the block goes to partial i mod 16.
template <class T>
struct RowSums {
  static constexpr std::size_t A = kPartials / Vec<T>::lanes;
  Vec<T> loss[A], g[A];

  static RowSums zero() {
    RowSums sums;
    for (std::size_t q = 0; q < A; ++q) sums.loss[q] = sums.g[q] = Vec<T>::splat(T(0));
    return sums;
  }
};

// kPartials consecutive rows of X, padded to `padded` columns: whole chunks of kPartials
// columns are read in place; the last, partial chunk is read from a zero-padded copy.
template <class T>
struct RowGroup {
  const T* row[kPartials];
  std::size_t whole;  // columns in whole chunks
  alignas(64) T tail[kPartials][kPartials] = {};

  // Columns [j, j + kPartials) of row r, j a multiple of kPartials.
  const T* at(std::size_t r, std::size_t j) const { return j < whole ? row[r] + j : tail[r]; }
};

// Rows whose partials are accumulated together: enough independent chains to hide the add
// latency, few enough that the accumulators stay in registers.
template <class T>
constexpr std::size_t kDotRows = kPartials / Vec<T>::lanes >= 8 ? 1 : 8 / (kPartials / Vec<T>::lanes);

// The 16 partials of the dot products of rows [r0, r0 + B) over columns [c, c + n) (n a
// multiple of kPartials), each already folded by the fixed tree down to one vector in
// out[b]: what remains is the fold across lanes, which Vec::fold_rows does for `lanes` rows.
template <std::size_t B, class Group, class T>
inline void rows_partials(const Group& g, std::size_t r0, const T* w, std::size_t c, std::size_t n, Vec<T>* out) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, A = kPartials / L;
  static_assert(kPartials % L == 0, "vector width must divide the number of partials");
  // Each partial starts at its first product rather than at +0 + that product: the two differ
  // only in the sign of a zero, and the caller's dot = +0 + blockSum erases it (NUMERICS.md).
  V acc[B][A];
  for (std::size_t a = 0; a < A; ++a) {
    const V wv = V::load(w + c + a * L);
    for (std::size_t b = 0; b < B; ++b) acc[b][a] = V::load(g.at(r0 + b, c) + a * L) * wv;
  }
  for (std::size_t i = c + kPartials; i < c + n; i += kPartials) {
    for (std::size_t a = 0; a < A; ++a) {
      const V wv = V::load(w + i + a * L);
      for (std::size_t b = 0; b < B; ++b) acc[b][a] = acc[b][a] + V::load(g.at(r0 + b, i) + a * L) * wv;
    }
  }
  for (std::size_t b = 0; b < B; ++b) {
    for (std::size_t width = kPartials / 2; width >= L; width /= 2) {
      const std::size_t vw = width / L;
      for (std::size_t a = 0; a < vw; ++a) acc[b][a] = acc[b][a] + acc[b][a + vw];
    }
    out[b] = acc[b][0];
  }
}

// dots[r] = X_r·w for the kPartials rows of the group, in the canonical order: per block of
// columns, the 16 partials of every row fold by the fixed tree, and block sums add in order.
template <class T>
inline void group_dots(const RowGroup<T>& g, const T* w, std::size_t padded, T* dots) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, B = kDotRows<T>;
  static_assert(L % B == 0 || B == 1, "a fold takes whole batches of rows");
  for (std::size_t q = 0; q < kPartials; q += L) {
    V dot = V::splat(T(0));
    for (std::size_t c = 0; c < padded; c += kReductionBlock) {
      const std::size_t n = padded - c < kReductionBlock ? padded - c : kReductionBlock;
      V rows[L];
      for (std::size_t r = 0; r < L; r += B) rows_partials<B>(g, q + r, w, c, n, rows + r);
      dot = dot + V::fold_rows(rows);
    }
    dot.store(dots + q);
  }
}

// S_j += g_r·X_rj down the group's rows, in row order, for the C chunks of columns from j
// (all in place, or C = 1 and the chunk is the tail).
// S stays in registers across the rows: each column's dependency chain is one add per row,
// and the tile's columns are that many independent chains for the core to overlap.
template <std::size_t C, class T>
inline void add_gradient_tile(const RowGroup<T>& group, std::size_t count, const T* g, T* sum, std::size_t j) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, A = kPartials / L;
  V s[C * A];
  for (std::size_t k = 0; k < C * A; ++k) s[k] = V::load(sum + j + k * L);
  for (std::size_t r = 0; r < count; ++r) {
    const V gr = V::splat(g[r]);
    const T* x = group.at(r, j);
    for (std::size_t k = 0; k < C * A; ++k) s[k] = s[k] + gr * V::load(x + k * L);
  }
  for (std::size_t k = 0; k < C * A; ++k) s[k].store(sum + j + k * L);
}

// Points `group` at rows [first, first + count) (rows past the end read the weights, any
// readable padded row: their lanes are dropped) and copies their partial last chunks.
template <class T>
inline void point_group(RowGroup<T>& group, const LinregProblem<T>& p, const T* w, std::size_t first, std::size_t count) {
  for (std::size_t r = 0; r < kPartials; ++r) group.row[r] = r < count ? p.x + (first + r) * p.cols : w;
  if (group.whole != p.cols) {
    for (std::size_t r = 0; r < count; ++r) {
      std::memcpy(group.tail[r], group.row[r] + group.whole, (p.cols - group.whole) * sizeof(T));
    }
  }
}

// Per lane, the loss term and g of native/NUMERICS.md for errors e (±0 and NaN errors pass
// through to g; an error of +0, as padding rows hold, gives +0 for both).
template <class T>
inline void loss_terms(const LinregProblem<T>& p, Vec<T> e, Vec<T>& loss, Vec<T>& g) {
  using V = Vec<T>;
  if (p.loss == LinregLoss::Mse) {
    loss = e * e;
    g = e;
  } else if (p.loss == LinregLoss::Mae) {
    const V zero = V::splat(T(0));
    loss = abs(e);
    g = select(e > zero, V::splat(T(1)), select(e < zero, V::splat(T(-1)), e));
  } else {
    const V delta = V::splat(p.delta), minus_delta = V::splat(-p.delta), a = abs(e);
    loss = select(a < delta, V::splat(T(0.5)) * (e * e), delta * (a - V::splat(T(0.5) * p.delta)));
    g = select(e < minus_delta, minus_delta, select(e > delta, delta, e));
  }
}

// Called once g is stored, before the gradient pass splats each g_i. Left to itself GCC keeps
// g in a register and rebuilds every g_i with a cross-lane permute (three instructions); past
// this fence it reloads g_i with one broadcast load, leaving the shuffle units to the dots.
inline void reload_after_store() {
#if defined(_MSC_VER)
  _ReadWriteBarrier();
#else
  asm volatile("" ::: "memory");
#endif
}

// The y of a group of `count` rows: in place, or for the partial last group of a block copied
// into `stage` (zero-initialised by the caller; those lanes are masked anyway).
template <class T>
inline const T* group_y(const LinregProblem<T>& p, std::size_t first, std::size_t count, T* stage) {
  if (count == kPartials) return p.y + first;
  std::memcpy(stage, p.y + first, count * sizeof(T));
  return stage;
}

// Rows [q·lanes, (q + 1)·lanes) of a group of `count` rows, whose dot products are `dot`:
// predictions (into pred), errors (+0 for the padding rows past `count`, so their loss and g
// are +0 as the row sums require), loss terms added to the row sums, g stored into `g`.
template <class T>
inline void add_losses(const LinregProblem<T>& p, Vec<T> dot, const T* y, std::size_t q, std::size_t count, T* pred, T* g,
                       RowSums<T>& sums) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  const V pv = dot + V::splat(p.bias);
  pv.store(pred + q * L);
  V e = pv - V::load(y + q * L);
  if (count != kPartials) {
    alignas(64) T row_index[L];
    for (std::size_t k = 0; k < L; ++k) row_index[k] = T(q * L + k);
    e = select(V::load(row_index) < V::splat(T(count)), e, V::splat(T(0)));
  }
  V l, gv;
  loss_terms(p, e, l, gv);
  sums.loss[q] = sums.loss[q] + l;
  sums.g[q] = sums.g[q] + gv;
  gv.store(g + q * L);
}

// After a group's add_losses: its predictions written out when asked, and the fence before
// its g_i are splatted.
template <class T>
inline void finish_losses(const LinregProblem<T>& p, std::size_t first, std::size_t count, const T* pred) {
  if (p.predictions != nullptr) std::memcpy(p.predictions + first, pred, count * sizeof(T));
  reload_after_store();
}

// Any width: rows [begin, end) kPartials at a time, S in memory between groups.
template <class T>
RowSums<T> linreg_rows(const LinregProblem<T>& p, const T* w, std::size_t begin, std::size_t end, T* sum) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  const std::size_t padded = linreg_padded_cols(p.cols);
  RowGroup<T> group;
  group.whole = p.cols / kPartials * kPartials;
  RowSums<T> sums = RowSums<T>::zero();
  alignas(64) T y_stage[kPartials] = {};
  for (std::size_t first = begin; first < end; first += kPartials) {
    const std::size_t count = end - first < kPartials ? end - first : kPartials;
    point_group(group, p, w, first, count);
    alignas(64) T dots[kPartials];
    alignas(64) T pred[kPartials];
    alignas(64) T g[kPartials];
    group_dots(group, w, padded, dots);
    const T* y = group_y(p, first, count, y_stage);
    for (std::size_t q = 0; q < kPartials / L; ++q) add_losses(p, V::load(dots + q * L), y, q, count, pred, g, sums);
    finish_losses(p, first, count, pred);
    std::size_t j = 0;
    for (; j + 4 * kPartials <= group.whole; j += 4 * kPartials) add_gradient_tile<4>(group, count, g, sum, j);
    for (; j + kPartials <= group.whole; j += kPartials) add_gradient_tile<1>(group, count, g, sum, j);
    if (j < padded) add_gradient_tile<1>(group, count, g, sum, j);
  }
  return sums;
}

// One row's 16 dot-product partials over `Chunks` chunks of columns, folded by the fixed tree
// down to one vector, as rows_partials<1> computes them; returned by value from a loop of
// known length, so that GCC unrolls the skewed loop and keeps the group's dot vectors in
// registers (through rows_partials' output pointer it did neither, and was slower: figures in
// bench/analysis.md). The plain schedule keeps rows_partials<1>, whose
// loop form spares the 16 AVX2 registers (the unrolled form spilled there at 48-64 columns).
template <std::size_t Chunks, class T>
inline Vec<T> row_partials(const T* x, const T* w) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, A = kPartials / L;
  V acc[A];
  for (std::size_t a = 0; a < A; ++a) acc[a] = V::load(x + a * L) * V::load(w + a * L);
  for (std::size_t c = 1; c < Chunks; ++c) {
    for (std::size_t a = 0; a < A; ++a)
      acc[a] = acc[a] + V::load(x + c * kPartials + a * L) * V::load(w + c * kPartials + a * L);
  }
  for (std::size_t width = kPartials / 2; width >= L; width /= 2) {
    const std::size_t vw = width / L;
    for (std::size_t a = 0; a < vw; ++a) acc[a] = acc[a] + acc[a + vw];
  }
  return acc[0];
}

// Rows of `Chunks` chunks of kPartials columns (at most 4: one column block), a group of
// kPartials rows at a time: the dot products (X read from memory), then the loss terms and g
// of the group in registers, then the gradient updates S_j += g_i·X_ij (those rows again, now
// in L1). A group whose rows are not whole chunks, or the last, partial one, is staged
// zero-padded and its padding rows get error +0.
//
// Where the vector registers can hold a group's dot products, S and a few temporaries
// (AVX-512, NEON), each group's gradient updates are interleaved with the next group's dot
// products, row by row ("skewed"): the chain of S additions then overlaps independent work
// instead of waiting behind the loss of its own group. Same operations, same order per sum.
template <std::size_t Chunks, class T>
RowSums<T> linreg_rows_narrow(const LinregProblem<T>& p, const T* w, std::size_t begin, std::size_t end, T* sum) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, A = kPartials / L, NV = Chunks * A, padded = Chunks * kPartials;
  constexpr bool kSkewed = L + NV + 8 <= V::registers;
  struct Rows {  // kPartials rows, `padded` elements apart
    const T* base;
    const T* at(std::size_t r, std::size_t j) const { return base + r * padded + j; }
  };
  V s[NV];
  for (std::size_t k = 0; k < NV; ++k) s[k] = V::load(sum + k * L);
  const auto add_gradient = [&s](const T* x, T g) {
    const V gr = V::splat(g);
    for (std::size_t k = 0; k < NV; ++k) s[k] = s[k] + gr * V::load(x + k * L);
  };
  // Two staging buffers, so a skewed group's rows outlive the next staging. Each is zeroed
  // once, when first used: later groups overwrite only their rows' first `cols` elements, so
  // padding columns stay +0, and stale rows past `count` only feed lanes whose error is +0.
  alignas(64) T stage[2][kPartials * padded];
  bool stage_zeroed[2] = {false, false};
  alignas(64) T y_stage[kPartials] = {};
  alignas(64) T g[kPartials];  // g of the group whose gradient updates are pending
  alignas(64) T pred[kPartials];
  const T* pending_x = nullptr;
  std::size_t pending = 0;
  int slot = 0;
  RowSums<T> sums = RowSums<T>::zero();
  for (std::size_t first = begin; first < end; first += kPartials) {
    const std::size_t count = end - first < kPartials ? end - first : kPartials;
    const T* x = p.x + first * p.cols;
    if (count != kPartials || p.cols != padded) {
      slot ^= 1;
      T* staged = stage[slot];
      if (!stage_zeroed[slot]) std::memset(staged, 0, sizeof stage[slot]);
      stage_zeroed[slot] = true;
      for (std::size_t r = 0; r < count; ++r) std::memcpy(staged + r * padded, x + r * p.cols, p.cols * sizeof(T));
      x = staged;
    }
    const T* y = group_y(p, first, count, y_stage);
    for (std::size_t q = 0; q < A; ++q) {
      V dots[L];
      for (std::size_t r = 0; r < L; ++r) {
        const std::size_t row = q * L + r;
        if constexpr (kSkewed) {
          dots[r] = row_partials<Chunks>(x + row * padded, w);
        } else {
          rows_partials<1>(Rows{x}, row, w, 0, padded, dots + r);
        }
        // The previous group's g for this row is read before this group's overwrites it below.
        if (kSkewed && row < pending) add_gradient(pending_x + row * padded, g[row]);
      }
      add_losses(p, V::splat(T(0)) + V::fold_rows(dots), y, q, count, pred, g, sums);
    }
    finish_losses(p, first, count, pred);
    if (!kSkewed) {
      for (std::size_t r = 0; r < count; ++r) add_gradient(x + r * padded, g[r]);
    }
    pending_x = x;
    pending = count;
  }
  if (kSkewed) {
    for (std::size_t r = 0; r < pending; ++r) add_gradient(pending_x + r * padded, g[r]);
  }
  for (std::size_t k = 0; k < NV; ++k) s[k].store(sum + k * L);
  return sums;
}

// The loss term and g of native/NUMERICS.md for one row's error e: loss_terms on scalars,
// the same operations (fabs, like the vectors' abs, clears the sign of −0 and of NaN).
template <class T>
inline void loss_term(const LinregProblem<T>& p, T e, T& loss, T& g) {
  if (p.loss == LinregLoss::Mse) {
    loss = e * e;
    g = e;
  } else if (p.loss == LinregLoss::Mae) {
    loss = std::fabs(e);
    g = e > T(0) ? T(1) : e < T(0) ? T(-1) : e;
  } else {
    const T a = std::fabs(e);
    loss = a < p.delta ? T(0.5) * (e * e) : p.delta * (a - T(0.5) * p.delta);
    g = e < -p.delta ? -p.delta : e > p.delta ? p.delta : e;
  }
}

// At most this many columns go one row at a time on scalars (linreg_rows_few): padding such
// rows to kPartials columns (staged copies, 16 products per row for 3 columns) costs several
// times the row's own arithmetic, which dominates a small model's epoch (the seed's 3 columns).
constexpr std::size_t kFewCols = 4;

// Rows of C ≤ kFewCols columns, one at a time, with the same bits as linreg_rows_narrow<1>:
// the dot product is the fold tree over the C real partials only. Leaving out the padding
// partials (+0 products) changes no bit: a partial plus +0 is that partial except for the
// sign of a zero, and dot = +0 + blockSum erases that sign (NUMERICS.md). Padding rows are
// left out too: their loss, g and gradient terms are +0, and partials that start at +0 are
// never −0. Loss and g go to partial (i − begin) mod 16, as the vector kernels' lanes do.
template <std::size_t C, class T>
RowSums<T> linreg_rows_few(const LinregProblem<T>& p, const T* w, std::size_t begin, std::size_t end, T* sum) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  T wc[C], s[C];
  for (std::size_t j = 0; j < C; ++j) {
    wc[j] = w[j];
    s[j] = sum[j];
  }
  alignas(64) T lp[kPartials] = {};
  alignas(64) T gp[kPartials] = {};
  for (std::size_t i = begin; i < end; ++i) {
    const T* x = p.x + i * C;
    T part[C];
    for (std::size_t j = 0; j < C; ++j) part[j] = x[j] * wc[j];
    // The fold tree (partial k += partial k + width, width 8, 4, 2, 1) over partials [0, C).
    std::size_t live = C;
    for (std::size_t width = kPartials / 2; width >= 1; width /= 2) {
      for (std::size_t k = 0; k < width && k + width < live; ++k) part[k] = part[k] + part[k + width];
      if (live > width) live = width;
    }
    const T pred = (T(0) + part[0]) + p.bias;
    if (p.predictions != nullptr) p.predictions[i] = pred;
    T l, g;
    loss_term(p, pred - p.y[i], l, g);
    const std::size_t k = (i - begin) % kPartials;
    lp[k] = lp[k] + l;
    gp[k] = gp[k] + g;
    for (std::size_t j = 0; j < C; ++j) s[j] = s[j] + g * x[j];
  }
  for (std::size_t j = 0; j < C; ++j) sum[j] = s[j];
  RowSums<T> sums;
  for (std::size_t q = 0; q < kPartials / L; ++q) {
    sums.loss[q] = V::load(lp + q * L);
    sums.g[q] = V::load(gp + q * L);
  }
  return sums;
}

// More than kFewCols columns: rows kPartials at a time, padded to whole chunks of columns.
template <class T>
RowSums<T> linreg_rows_wide(const LinregProblem<T>& p, const T* w, std::size_t first, std::size_t end, T* sum) {
  switch (linreg_padded_cols(p.cols) / kPartials) {
    case 1: return linreg_rows_narrow<1>(p, w, first, end, sum);
    case 2: return linreg_rows_narrow<2>(p, w, first, end, sum);
    case 3: return linreg_rows_narrow<3>(p, w, first, end, sum);
    case 4: return linreg_rows_narrow<4>(p, w, first, end, sum);
    default: return linreg_rows(p, w, first, end, sum);
  }
}

// One block of rows, [first, first + count): its gradient sums S (from +0, down its rows, into
// `sum`, padded columns included), its loss and g sums folded into totals[0] and totals[1].
template <class T>
void linreg_block(const LinregProblem<T>& p, const T* w, std::size_t first, std::size_t count, T* sum, T* totals) {
  const std::size_t padded = linreg_padded_cols(p.cols), end = first + count;
  std::memset(sum, 0, padded * sizeof(T));
  RowSums<T> sums;
  switch (p.cols <= kFewCols ? p.cols : 0) {
    case 1: sums = linreg_rows_few<1>(p, w, first, end, sum); break;
    case 2: sums = linreg_rows_few<2>(p, w, first, end, sum); break;
    case 3: sums = linreg_rows_few<3>(p, w, first, end, sum); break;
    case 4: sums = linreg_rows_few<4>(p, w, first, end, sum); break;
    default: sums = linreg_rows_wide(p, w, first, end, sum); break;
  }
  totals[0] = fold_partials(sums.loss);
  totals[1] = fold_partials(sums.g);
}

// Benchmark baseline: reads x once (a vector sum in no particular order, so it is not
// optimised away).
template <class T>
T read_once(const T* x, std::size_t n) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  V acc[4] = {V::splat(T(0)), V::splat(T(0)), V::splat(T(0)), V::splat(T(0))};
  std::size_t i = 0;
  for (; i + 4 * L <= n; i += 4 * L) {
    for (std::size_t a = 0; a < 4; ++a) acc[a] = acc[a] + V::load(x + i + a * L);
  }
  alignas(64) T lane[L];
  ((acc[0] + acc[1]) + (acc[2] + acc[3])).store(lane);
  T total = T(0);
  for (std::size_t k = 0; k < L; ++k) total = total + lane[k];
  for (; i < n; ++i) total = total + x[i];
  return total;
}

}  // namespace ADAM_SIMD_ISA
}  // namespace adam_simd
