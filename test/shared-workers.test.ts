/**
 * Shared memory across threads: worker_threads compute gradients into SharedArrayBuffer
 * views (createParameters with `shared: true`) from the parameters the main thread steps,
 * synchronised with Atomics, and the result equals a single-threaded run bit for bit.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Adam, createParameters } from '../lib/index.js';
import { expectSameBits } from './helpers/bits.js';
// @ts-expect-error: a plain ESM worker script, loaded by worker_threads without compilation
import { computeGradients } from './workers/gradient-worker.js';

const LENGTH = 1001;
const STEPS = 200;
const WORKERS = 2;

type Step = (opt: Adam<'w'>, grads: { w: Float32Array }, t: number) => Promise<void> | void;

/** Steps alternate between step() and stepAsync(): both read gradients the workers wrote. */
const mixedStep: Step = (opt, grads, t) => (t % 2 === 0 ? opt.step(grads) : opt.stepAsync(grads));

function initial(params: Float32Array): void {
  for (let i = 0; i < params.length; i++) params[i] = Math.fround(Math.sin(i) * 3);
}

async function singleThreaded(): Promise<Float32Array> {
  const { params, grads } = createParameters({ w: LENGTH }, { shared: true });
  initial(params.w);
  const opt = new Adam(params, { lr: 0.01, amsgrad: true });
  for (let t = 1; t <= STEPS; t++) {
    computeGradients(params.w, grads.w, 0, LENGTH, t);
    await mixedStep(opt, grads, t);
  }
  return params.w;
}

async function withWorkers(): Promise<Float32Array> {
  const { params, grads } = createParameters({ w: LENGTH }, { shared: true });
  initial(params.w);
  const opt = new Adam(params, { lr: 0.01, amsgrad: true });
  const control = new Int32Array(new SharedArrayBuffer(8));
  const slice = Math.ceil(LENGTH / WORKERS);
  const workers = Array.from(
    { length: WORKERS },
    (_, k) =>
      new Worker(new URL('./workers/gradient-worker.js', import.meta.url), {
        workerData: { params: params.w, grads: grads.w, control, begin: k * slice, end: Math.min(LENGTH, (k + 1) * slice) },
      }),
  );
  const stopped = workers.map(
    (w) =>
      new Promise((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      }),
  );
  try {
    for (let t = 1; t <= STEPS; t++) {
      Atomics.store(control, 1, 0);
      Atomics.store(control, 0, t);
      Atomics.notify(control, 0);
      // Every worker has written its slice before the step reads the gradients.
      for (let done = 0; done < WORKERS; done = Atomics.load(control, 1)) Atomics.wait(control, 1, done, 10_000);
      await mixedStep(opt, grads, t);
    }
  } finally {
    Atomics.store(control, 0, -1);
    Atomics.notify(control, 0);
  }
  await Promise.all(stopped);
  return params.w;
}

describe('shared memory across worker threads', () => {
  it(`${WORKERS} workers computing gradients for ${STEPS} steps give the single-threaded bits`, async () => {
    const expected = await singleThreaded();
    const actual = await withWorkers();
    expect(actual.buffer).toBeInstanceOf(SharedArrayBuffer);
    expectSameBits(actual, expected, 'params after the workers run');
    // The run moved the parameters: a broken schedule (gradients never written) would not.
    const untouched = createParameters({ w: LENGTH }).params.w;
    initial(untouched);
    expect(actual.some((x, i) => x !== untouched[i])).toBe(true);
  }, 60_000);
});
