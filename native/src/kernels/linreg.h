// Linear regression: predictions, loss and gradients in one pass over X, in the order of
// native/NUMERICS.md ("Linear regression"). Included inside an ISA namespace after Vec<T>.
//
// Per row, the dot product X_i·w is a reduction over columns: column j goes to partial
// j mod kPartials, partials fold in the fixed tree of sum_squares, so the vector width
// never changes a bit. The gradient S_j += g_i·X_ij runs down the rows in row order for
// every column independently: element-wise across columns, so it vectorizes as it is.
// The per-row loss terms and g_i are summed over rows in the canonical block order.

template <class T>
struct RowSum {
  // Canonical sum over rows: 16 interleaved partials per block of kReductionBlock rows.
  T partial[kPartials] = {};
  T total = T(0);
  std::size_t in_block = 0;

  void add(T x) {
    partial[in_block % kPartials] = partial[in_block % kPartials] + x;
    if (++in_block == kReductionBlock) flush();
  }
  void flush() {
    if (in_block == 0) return;
    for (std::size_t width = kPartials / 2; width >= 1; width /= 2) {
      for (std::size_t k = 0; k < width; ++k) partial[k] = partial[k] + partial[k + width];
    }
    total = total + partial[0];
    for (T& p : partial) p = T(0);
    in_block = 0;
  }
};

// Σ_j x_j·w_j over one block of columns in the canonical order. `x` and `w` hold `padded`
// elements (a multiple of kPartials; the padding is +0 in both, so adds +0, which is exact).
template <class T>
inline T dot_block(const T* x, const T* w, std::size_t padded) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes, A = kPartials / L;
  static_assert(kPartials % L == 0, "vector width must divide the number of partials");
  V acc[A];
  for (std::size_t a = 0; a < A; ++a) acc[a] = V::splat(T(0));
  for (std::size_t i = 0; i < padded; i += kPartials) {
    for (std::size_t a = 0; a < A; ++a) acc[a] = acc[a] + V::load(x + i + a * L) * V::load(w + i + a * L);
  }
  // The fold tree: while the width spans whole vectors, fold vectors; then lanes.
  std::size_t width = kPartials / 2;
  for (; width >= L && width >= 1; width /= 2) {
    const std::size_t vw = width / L;
    for (std::size_t a = 0; a < vw; ++a) acc[a] = acc[a] + acc[a + vw];
  }
  alignas(64) T lane[L];
  acc[0].store(lane);
  for (; width >= 1; width /= 2) {
    for (std::size_t k = 0; k < width; ++k) lane[k] = lane[k] + lane[k + width];
  }
  return lane[0];
}

template <class T>
inline void loss_term(const LinregProblem<T>& p, T err, T half_delta, T& loss, T& g) {
  switch (p.loss) {
    case LinregLoss::Mse:
      loss = err * err;
      g = err;
      return;
    case LinregLoss::Mae:
      loss = std::fabs(err);
      g = err > T(0) ? T(1) : err < T(0) ? T(-1) : err;  // ±0 and NaN pass through
      return;
    case LinregLoss::Huber: {
      const T a = std::fabs(err);
      loss = a < p.delta ? T(0.5) * (err * err) : p.delta * (a - half_delta);
      g = err < -p.delta ? -p.delta : err > p.delta ? p.delta : err;
      return;
    }
  }
}

// Returns the mean loss. `scratch` holds linreg_scratch(cols) elements.
template <class T>
T linreg_loss_grad(const LinregProblem<T>& p, T* scratch) {
  using V = Vec<T>;
  constexpr std::size_t L = V::lanes;
  const std::size_t cols = p.cols;
  const std::size_t padded = linreg_padded_cols(cols);
  const std::size_t stage_rows = linreg_stage_rows(cols);
  const bool staged = padded != cols;
  T* w = scratch;                 // weights, zero-padded
  T* sum = scratch + padded;      // S_j = Σ_i g_i·X_ij
  T* stage = scratch + 2 * padded;  // rows copied zero-padded when cols is not a multiple of kPartials
  std::memset(scratch, 0, linreg_scratch(cols) * sizeof(T));
  std::memcpy(w, p.weights, cols * sizeof(T));
  const T half_delta = T(0.5) * p.delta;

  RowSum<T> loss_sum, g_sum;
  for (std::size_t first = 0; first < p.rows; first += stage_rows) {
    const std::size_t count = p.rows - first < stage_rows ? p.rows - first : stage_rows;
    if (staged) {
      for (std::size_t r = 0; r < count; ++r) std::memcpy(stage + r * padded, p.x + (first + r) * cols, cols * sizeof(T));
    }
    for (std::size_t r = 0; r < count; ++r) {
      const std::size_t i = first + r;
      const T* x = staged ? stage + r * padded : p.x + i * cols;
      T dot = T(0);
      for (std::size_t c = 0; c < padded; c += kReductionBlock) {
        dot = dot + dot_block(x + c, w + c, padded - c < kReductionBlock ? padded - c : kReductionBlock);
      }
      const T pred = dot + p.bias;
      if (p.predictions != nullptr) p.predictions[i] = pred;
      T loss = T(0), g = T(0);
      loss_term(p, pred - p.y[i], half_delta, loss, g);
      loss_sum.add(loss);
      g_sum.add(g);
      const V gv = V::splat(g);
      for (std::size_t j = 0; j < padded; j += L) (V::load(sum + j) + gv * V::load(x + j)).store(sum + j);
    }
  }
  loss_sum.flush();
  g_sum.flush();

  const T n = T(p.rows);
  const bool mse = p.loss == LinregLoss::Mse;
  for (std::size_t j = 0; j < cols; ++j) p.grad_weights[j] = (mse ? T(2) * sum[j] : sum[j]) / n;
  *p.grad_bias = (mse ? T(2) * g_sum.total : g_sum.total) / n;
  return loss_sum.total / n;
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
