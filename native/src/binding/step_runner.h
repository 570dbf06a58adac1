// Runs one optimizer step over a validated tensor list: split into chunks across the
// thread pool (element-wise kernels give the same bits however they are split), on the
// calling thread or, for the *Async entry points, on a libuv worker.
#pragma once

#include <napi.h>

#include <algorithm>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "../parallel.h"
#include "args.h"

namespace adam_simd {

// A kernel call over a list of tensors: Kernel(scalars, tensor, begin, end).
template <class Scalars, class Tensor>
struct StepJob {
  using Kernel = void (*)(const Scalars&, const Tensor&, std::size_t, std::size_t);
  Kernel kernel;
  Scalars scalars;
  std::vector<Tensor> tensors;

  struct Piece {
    std::size_t tensor, begin, end;
  };
  std::vector<Piece> pieces;
  std::vector<std::size_t> task_starts;  // task t runs pieces [task_starts[t], task_starts[t + 1])

  void run(unsigned threads) {
    std::size_t total = 0;
    for (const Tensor& t : tensors) total += t.length;
    const unsigned used = useful_threads(threads, total);
    if (used <= 1) {
      for (const Tensor& t : tensors) {
        if (t.length != 0) kernel(scalars, t, 0, t.length);
      }
      return;
    }
    plan(total, used);
    parallel_for(task_starts.size() - 1, used, &StepJob::run_task, this);
  }

 private:
  // Tasks of about total / (4 · threads) elements (cache-line multiples, so two threads
  // never write one line), so faster threads can take more of them.
  void plan(std::size_t total, unsigned threads) {
    const std::size_t target = (std::max<std::size_t>(total / (4 * threads), 4096) + 63) / 64 * 64;
    pieces.clear();
    task_starts.assign(1, 0);
    std::size_t in_task = 0;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
      for (std::size_t begin = 0; begin < tensors[i].length;) {
        const std::size_t end = std::min(tensors[i].length, begin + (target - in_task));
        pieces.push_back({i, begin, end});
        in_task += end - begin;
        begin = end;
        if (in_task == target) {
          task_starts.push_back(pieces.size());
          in_task = 0;
        }
      }
    }
    if (in_task != 0) task_starts.push_back(pieces.size());
  }

  static void run_task(const void* self, std::size_t t) {
    const StepJob& job = *static_cast<const StepJob*>(self);
    for (std::size_t p = job.task_starts[t]; p < job.task_starts[t + 1]; ++p) {
      const Piece& piece = job.pieces[p];
      job.kernel(job.scalars, job.tensors[piece.tensor], piece.begin, piece.end);
    }
  }
};

// Reads the optional third argument { threads }. Default: every hardware thread.
unsigned read_threads(Napi::Env env, const char* fn, const Napi::Value& options);

// Runs `job` on a libuv worker and resolves the returned promise when it is done. The
// typed arrays stay referenced (alive) until then. Only SharedArrayBuffer-backed views are
// accepted: a plain ArrayBuffer could be transferred to another thread mid-step, and the
// step would then write into memory that has a new owner.
template <class Job>
class StepWorker : public Napi::AsyncWorker {
 public:
  StepWorker(Napi::Env env, const char* fn, std::unique_ptr<Job> job, unsigned threads, const std::vector<napi_value>& keep)
      : Napi::AsyncWorker(env, "adam-simd:step"), fn_(fn), job_(std::move(job)), threads_(threads), deferred_(env) {
    for (napi_value v : keep) refs_.push_back(Napi::Persistent(Napi::Value(env, v).As<Napi::Object>()));
  }
  Napi::Promise promise() const { return deferred_.Promise(); }

 protected:
  // Planning the split allocates; nothing is written before it succeeds.
  void Execute() override {
    try {
      job_->run(threads_);
    } catch (const std::bad_alloc&) {
      SetError(std::string(fn_) + ": not enough memory for this call");
    }
  }
  void OnOK() override { deferred_.Resolve(Env().Undefined()); }
  // Only an allocation failure gets here: a RangeError, as in the synchronous calls.
  void OnError(const Napi::Error& e) override { deferred_.Reject(Napi::RangeError::New(Env(), e.Message()).Value()); }

 private:
  const char* fn_;
  std::unique_ptr<Job> job_;
  unsigned threads_;
  Napi::Promise::Deferred deferred_;
  std::vector<Napi::ObjectReference> refs_;
};

// Sync: runs the job now. Async: checks every view is shared, then queues it.
template <class Job>
Napi::Value finish(Napi::Env env, const char* fn, const TensorList& list, std::unique_ptr<Job> job, unsigned threads,
                   bool async) {
  if (!async) {
    job->run(threads);
    return env.Undefined();
  }
  if (!list.all_shared()) {
    throw_type_error(env, list.first_unshared() +
                              " is over a plain ArrayBuffer, which could be transferred to another thread while "
                              "the step runs; asynchronous steps need SharedArrayBuffer-backed arrays (" +
                              fn + " without Async works on any buffer)");
  }
  auto* worker = new StepWorker<Job>(env, fn, std::move(job), threads, list.handles());
  const Napi::Promise promise = worker->promise();
  worker->Queue();
  return promise;
}

}  // namespace adam_simd
