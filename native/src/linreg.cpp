#include "linreg.h"

#include <algorithm>
#include <vector>

#include "parallel.h"

namespace adam_simd {
namespace {

// Working memory of a pass: on the stack for small problems (the seed's epoch is a few
// hundred flops, and four heap allocations would be a good part of it), else on the heap.
template <class T, std::size_t N = 128>
class Scratch {
 public:
  explicit Scratch(std::size_t n) : heap_(n > N ? n : 0), data_(n > N ? heap_.data() : local_) {
    std::fill(data_, data_ + n, T(0));
  }
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  T* data() { return data_; }
  T& operator[](std::size_t i) { return data_[i]; }

 private:
  T local_[N];
  std::vector<T> heap_;
  T* data_;
};

template <class T>
struct Pass {
  const Kernels<T>* kernels;
  const LinregProblem<T>* problem;
  const T* weights;  // zero-padded
  std::size_t padded;
  T* sums;    // padded elements per block
  T* totals;  // loss and g sums, two per block
  std::size_t blocks, tasks;

  // Task t: a contiguous run of blocks, the same for thread t on every call.
  static void run_task(const void* self, std::size_t t) {
    const Pass& pass = *static_cast<const Pass*>(self);
    const std::size_t rows = pass.problem->rows;
    for (std::size_t b = pass.blocks * t / pass.tasks; b < pass.blocks * (t + 1) / pass.tasks; ++b) {
      const std::size_t first = b * kLinregRowBlock;
      pass.kernels->linreg_block(*pass.problem, pass.weights, first, std::min(kLinregRowBlock, rows - first),
                                 pass.sums + b * pass.padded, pass.totals + 2 * b);
    }
  }
};

}  // namespace

template <class T>
T linreg_loss_grad(const Kernels<T>& kernels, const LinregProblem<T>& p, unsigned threads) {
  const std::size_t padded = linreg_padded_cols(p.cols);
  const std::size_t blocks = (p.rows + kLinregRowBlock - 1) / kLinregRowBlock;
  Scratch<T> weights(padded), sums(blocks * padded), totals(2 * blocks);
  std::copy(p.weights, p.weights + p.cols, weights.data());
  // One contiguous run of blocks per thread, pinned to it: epoch after epoch each thread
  // reads the part of X it read last time, still in its caches. Handing out smaller tasks
  // dynamically balanced the threads but moved the parts between them, which cost more.
  const unsigned used = static_cast<unsigned>(std::min<std::size_t>(blocks, useful_threads(threads, p.rows * p.cols)));
  const Pass<T> pass{&kernels, &p, weights.data(), padded, sums.data(), totals.data(), blocks, used};
  parallel_for_each_thread(used, &Pass<T>::run_task, &pass);

  // S, L and G: +0, then each block's sums in block order.
  Scratch<T> sum(p.cols);
  T loss = T(0), g = T(0);
  for (std::size_t b = 0; b < blocks; ++b) {
    const T* block_sum = sums.data() + b * padded;
    for (std::size_t j = 0; j < p.cols; ++j) sum[j] = sum[j] + block_sum[j];
    loss = loss + totals[2 * b];
    g = g + totals[2 * b + 1];
  }
  const T n = T(p.rows);
  const bool mse = p.loss == LinregLoss::Mse;
  for (std::size_t j = 0; j < p.cols; ++j) p.grad_weights[j] = (mse ? T(2) * sum[j] : sum[j]) / n;
  *p.grad_bias = (mse ? T(2) * g : g) / n;
  return loss / n;
}

template <class T>
T read_once(const Kernels<T>& kernels, const T* x, std::size_t n, unsigned threads) {
  const std::size_t parts = useful_threads(threads, n);
  std::vector<T> sums(parts);
  struct Split {
    const Kernels<T>* kernels;
    const T* x;
    std::size_t n, parts;
    T* sums;
    static void run(const void* self, std::size_t i) {
      const Split& s = *static_cast<const Split*>(self);
      const std::size_t begin = s.n * i / s.parts, end = s.n * (i + 1) / s.parts;
      s.sums[i] = s.kernels->read_once(s.x + begin, end - begin);
    }
  };
  const Split split{&kernels, x, n, parts, sums.data()};
  parallel_for_each_thread(static_cast<unsigned>(parts), &Split::run, &split);
  T total = T(0);
  for (T s : sums) total = total + s;
  return total;
}

template float linreg_loss_grad<float>(const Kernels<float>&, const LinregProblem<float>&, unsigned);
template double linreg_loss_grad<double>(const Kernels<double>&, const LinregProblem<double>&, unsigned);
template float read_once<float>(const Kernels<float>&, const float*, std::size_t, unsigned);
template double read_once<double>(const Kernels<double>&, const double*, std::size_t, unsigned);

}  // namespace adam_simd
