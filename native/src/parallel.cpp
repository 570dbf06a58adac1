#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#if defined(_MSC_VER)
#include <intrin.h>  // _mm_pause, __yield
#endif

namespace adam_simd {
namespace {

// Training calls the pool back to back, a fraction of a millisecond apart. Waking a thread
// that went to sleep on a condition variable costs tens of microseconds (more in a VM, where
// the idle core has halted), so a waiting thread first polls for this long.
constexpr auto kSpin = std::chrono::microseconds(100);

inline void cpu_relax() {
#if defined(_MSC_VER) && (defined(_M_X64) || defined(_M_IX86))
  _mm_pause();
#elif defined(_MSC_VER) && defined(_M_ARM64)
  __yield();
#elif defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polls `done` until it holds or kSpin has passed; returns whether it holds.
template <class Done>
bool spin_until(Done done) {
  const auto until = std::chrono::steady_clock::now() + kSpin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (done()) return true;
      cpu_relax();
    }
    if (std::chrono::steady_clock::now() >= until) return false;
  }
}

class Pool {
 public:
  // `pinned`: count == threads, and task t runs on pool thread t (0: the caller) unless
  // another thread, done with its own, claims it first (parallel_for_each_thread).
  void run(std::size_t count, unsigned threads, Task task, const void* context, bool pinned) {
    std::unique_lock<std::mutex> busy(submit_, std::try_to_lock);
    if (threads <= 1 || count <= 1 || !busy.owns_lock()) {
      for (std::size_t i = 0; i < count; ++i) task(context, i);
      return;
    }
    const unsigned helpers = static_cast<unsigned>(std::min<std::size_t>(threads, count)) - 1;
    grow(helpers);
    {
      std::lock_guard<std::mutex> lock(m_);
      task_ = task;
      context_ = context;
      count_ = count;
      pinned_ = pinned;
      if (pinned) {
        if (claim_capacity_ < count) {
          claimed_.reset(new std::atomic<bool>[count]);
          claim_capacity_ = count;
        }
        for (std::size_t i = 0; i < count; ++i) claimed_[i].store(false, std::memory_order_relaxed);
      }
      next_.store(0, std::memory_order_relaxed);
      helpers_ = helpers;
      finished_.store(0, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    work(0);
    const auto all_done = [&] { return finished_.load(std::memory_order_acquire) == helpers; };
    if (spin_until(all_done)) return;
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, all_done);
  }

 private:
  // Pool thread `thread` (0: the caller, helper id: id + 1) works on the current call.
  void work(unsigned thread) {
    if (pinned_) {
      // Its own task first; then any whose thread has not started it yet (one still waking
      // up), so a late thread delays the call by at most one task's work, not its wake-up.
      const auto claim = [this](std::size_t i) { return !claimed_[i].exchange(true, std::memory_order_relaxed); };
      if (thread < count_ && claim(thread)) task_(context_, thread);
      for (std::size_t i = 0; i < count_; ++i) {
        if (claim(i)) task_(context_, i);
      }
      return;
    }
    for (std::size_t i; (i = next_.fetch_add(1, std::memory_order_relaxed)) < count_;) task_(context_, i);
  }

  void grow(unsigned helpers) {
    while (workers_.size() < helpers) {
      const unsigned id = static_cast<unsigned>(workers_.size());
      workers_.emplace_back([this, id] { loop(id); });
      workers_.back().detach();  // the pool lives as long as the process
    }
  }

  void loop(unsigned id) {
    unsigned long long seen = 0;
    for (;;) {
      const auto woken = [&] { return generation_.load(std::memory_order_acquire) != seen; };
      spin_until(woken);
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, woken);
        seen = generation_.load(std::memory_order_relaxed);
        if (id >= helpers_) continue;  // not needed for this call
      }
      work(id + 1);
      std::lock_guard<std::mutex> lock(m_);
      if (finished_.fetch_add(1, std::memory_order_release) + 1 == helpers_) done_.notify_one();
    }
  }

  std::mutex submit_;  // one parallel call at a time
  std::mutex m_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  Task task_ = nullptr;
  const void* context_ = nullptr;
  std::size_t count_ = 0;
  bool pinned_ = false;
  std::unique_ptr<std::atomic<bool>[]> claimed_;  // pinned calls: task i started
  std::size_t claim_capacity_ = 0;
  std::atomic<std::size_t> next_{0};
  unsigned helpers_ = 0;
  std::atomic<unsigned> finished_{0};
  std::atomic<unsigned long long> generation_{0};
};

// Never destroyed: detached workers may still be waiting on it when the process exits.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

}  // namespace

void parallel_for(std::size_t count, unsigned threads, Task task, const void* context) {
  pool().run(count, threads, task, context, false);
}

void parallel_for_each_thread(unsigned threads, Task task, const void* context) {
  pool().run(threads, threads, task, context, true);
}

unsigned hardware_threads() {
  // Read once: glibc parses /sys on every hardware_concurrency() call (~15 µs).
  static const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  return n;
}

}  // namespace adam_simd
