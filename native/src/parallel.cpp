#include "parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
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

// A pool thread not used for this long exits (and is started again when a call needs it):
// a `threads: 64` call must not leave 63 sleeping threads for the rest of the process.
// Training calls come far more often than this, so they never pay a thread start.
constexpr auto kIdle = std::chrono::seconds(1);

// The most threads a call uses, the caller's included, whatever `threads` asks for (README,
// binding.d.ts): more threads than cores only take turns on them (and each is an OS thread),
// so beyond twice the cores they cost memory and scheduling and win nothing.
constexpr unsigned kThreadsPerCore = 2;

unsigned max_pool_threads();

class Pool {
 public:
  // `pinned`: count == threads, and task t runs on pool thread t (0: the caller) unless
  // another thread, done with its own, claims it first (parallel_for_each_thread).
  void run(std::size_t count, unsigned threads, Task task, const void* context, bool pinned) {
    std::unique_lock<std::mutex> busy(submit_, std::try_to_lock);
    const unsigned wanted = static_cast<unsigned>(std::min<std::size_t>({threads, count, max_pool_threads()}));
    unsigned helpers = 0;
    if (wanted > 1 && busy.owns_lock()) {
      std::lock_guard<std::mutex> lock(m_);
      // Started under m_, so that no thread can decide to exit between being counted here
      // and the call being published below.
      helpers = start(wanted - 1);
      if (helpers != 0) {
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
    }
    if (helpers == 0) {
      for (std::size_t i = 0; i < count; ++i) task(context, i);
      return;
    }
    wake_.notify_all();
    work(0);
    const auto all_done = [&] { return finished_.load(std::memory_order_acquire) == helpers; };
    if (spin_until(all_done)) return;
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, all_done);
  }

  // Stops every pool thread and waits until each has left the library's code (after a call
  // in progress, if any, has finished). The next call starts them again.
  void stop() {
    std::lock_guard<std::mutex> busy(submit_);
    {
      std::lock_guard<std::mutex> lock(m_);
      stop_.store(true, std::memory_order_relaxed);
    }
    wake_.notify_all();
    // slots_ changes only in run(), under submit_, which this holds.
    for (Slot& slot : slots_) {
      if (slot.thread.joinable()) slot.thread.join();
    }
    std::lock_guard<std::mutex> lock(m_);
    slots_.clear();
    stop_.store(false, std::memory_order_relaxed);
  }

 private:
  struct Slot {
    std::thread thread;
    bool running = false;  // false once the thread has exited (or is about to), under m_
  };

  // Makes sure helpers 0 .. helpers - 1 are running; returns how many are (fewer if the OS
  // refuses a thread: the call then runs on those). Called with m_ held.
  unsigned start(unsigned helpers) {
    if (slots_.size() < helpers) slots_.resize(helpers);
    for (unsigned id = 0; id < helpers; ++id) {
      Slot& slot = slots_[id];
      if (slot.running) continue;
      if (slot.thread.joinable()) slot.thread.join();  // exited when idle: returns at once
      try {
        // It has seen every call so far, and so takes part in the one about to be published.
        slot.thread = std::thread(&Pool::loop, this, id, generation_.load(std::memory_order_relaxed));
      } catch (const std::system_error&) {
        return id;
      }
      slot.running = true;
    }
    return helpers;
  }

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

  void loop(unsigned id, unsigned long long seen) {
    auto used = std::chrono::steady_clock::now();
    for (;;) {
      const auto woken = [&] {
        return stop_.load(std::memory_order_relaxed) || generation_.load(std::memory_order_acquire) != seen;
      };
      spin_until(woken);
      {
        std::unique_lock<std::mutex> lock(m_);
        const bool called = wake_.wait_for(lock, kIdle, woken);
        if (stop_.load(std::memory_order_relaxed)) return;
        const auto now = std::chrono::steady_clock::now();
        if (called) {
          seen = generation_.load(std::memory_order_relaxed);
          if (id < helpers_) used = now;
        }
        // Exits only between calls it is not part of: run() counts on it under this lock.
        if (!called || (id >= helpers_ && now - used >= kIdle)) {
          slots_[id].running = false;
          return;
        }
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
  std::vector<Slot> slots_;  // helper threads, by id
  std::atomic<bool> stop_{false};
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

// Never destroyed: a thread still waiting on it when the process exits must find it intact.
Pool& pool() {
  static Pool* p = new Pool();
  return *p;
}

unsigned max_pool_threads() { return kThreadsPerCore * hardware_threads(); }

std::mutex environments_mutex;
unsigned environments = 0;

}  // namespace

void parallel_for(std::size_t count, unsigned threads, Task task, const void* context) {
  pool().run(count, threads, task, context, false);
}

void parallel_for_each_thread(unsigned threads, Task task, const void* context) {
  pool().run(threads, threads, task, context, true);
}

void pool_attach() {
  std::lock_guard<std::mutex> lock(environments_mutex);
  ++environments;
}

void pool_detach() {
  {
    std::lock_guard<std::mutex> lock(environments_mutex);
    if (--environments != 0) return;
  }
  pool().stop();
}

unsigned hardware_threads() {
  // Read once: glibc parses /sys on every hardware_concurrency() call (cost: bench/analysis.md).
  static const unsigned n = std::max(1u, std::thread::hardware_concurrency());
  return n;
}

}  // namespace adam_simd
