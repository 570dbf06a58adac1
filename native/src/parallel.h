// A small process-wide thread pool (no OpenMP runtime in the prebuilt binary).
#pragma once

#include <cstddef>

namespace adam_simd {

using Task = void (*)(const void* context, std::size_t index);

// Below this many elements per thread, a thread costs more than it saves.
constexpr std::size_t kMinElementsPerThread = std::size_t(1) << 15;

// The threads worth using, of at most `threads`, for `elements` elements of work (at least 1).
inline unsigned useful_threads(unsigned threads, std::size_t elements) {
  const std::size_t useful = elements / kMinElementsPerThread;
  return useful == 0 ? 1u : static_cast<unsigned>(useful < threads ? useful : threads);
}

// Runs task(context, i) for every i in [0, count), on up to `threads` threads including the
// caller (never more than twice hardware_threads(): see parallel.cpp), and returns when all are done. Tasks are handed out
// dynamically. If the pool is busy with another call (another JS thread or an async step), this call runs on the caller's
// thread alone: never a deadlock, never oversubscription.
void parallel_for(std::size_t count, unsigned threads, Task task, const void* context);

// Runs task(context, t) for every t in [0, threads) and returns when all are done: task t on
// pool thread t (task 0 on the caller) whenever that thread is ready in time; a thread done
// with its own task takes any not yet started (a helper still waking up), and if the pool is
// busy with another call, all run on the caller. For passes that read the same data call
// after call (training epochs): each thread then finds its part where it left it, in its
// own caches, which beat runs handed out as parallel_for does (measured: bench/analysis.md,
// "Measurements behind code comments"). A pass whose threads run at different speeds (a
// core shared with other work) loses some of that: the faster thread helps only with a
// task the slower has not started.
void parallel_for_each_thread(unsigned threads, Task task, const void* context);

// Each Node.js environment (main thread or worker) that loads the addon attaches on load and
// detaches in its cleanup hook. When the last one detaches, the pool's threads are stopped
// and joined: Node may unload the library right after, and no thread may still run its code.
void pool_attach();
void pool_detach();

// Threads the machine has (at least 1).
unsigned hardware_threads();

}  // namespace adam_simd
