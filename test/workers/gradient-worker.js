/**
 * Computes gradients into shared memory for test/shared-workers.test.ts. The main thread
 * bumps control[0] (the step, or -1 to stop) and waits on control[1], which each worker
 * increments once its slice of the gradients is written.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** The gradient of element i: a fixed function of its parameter, in float32 arithmetic. */
export function gradientOf(param, i, step) {
  const target = Math.fround(Math.fround((i % 17) - 8) / 4);
  return Math.fround(Math.fround(param - target) * Math.fround(1 + ((i + step) % 5) / 8));
}

/** Writes grads[begin, end) from the params as they are now. */
export function computeGradients(params, grads, begin, end, step) {
  for (let i = begin; i < end; i++) grads[i] = gradientOf(params[i], i, step);
}

if (!isMainThread) {
  const { params, grads, control, begin, end } = workerData;
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    if (seen < 0) break;
    computeGradients(params, grads, begin, end, seen);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
  }
  parentPort.postMessage('stopped');
}
