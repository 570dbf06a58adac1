// The f32 Adam problems every implementation is timed on: one tensor of each size, and the
// many-small-tensors case. Data is seeded so every run steps the same numbers. Every array
// starts on a 64-byte boundary, as the library allocates parameters (createParameters) and
// optimizer state: a plain Float32Array sits wherever the allocator puts it (16 bytes past a
// line for large ones in Node), which costs AVX-512 up to a quarter of its speed.
import { alignedArray } from '../dist/data/aligned.js';
import { seededRandom } from '../dist/data/random.js';

/** 28 bytes per f32 Adam parameter: read p, g, m, v (16) and write p, m, v (12). */
export const BYTES_PER_PARAM = 28;

/** The hyperparameters of every run (torch defaults); per-step scalars come from dist/scalars.js. */
export const HYPER = {
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0,
  decoupled: false,
  amsgrad: false,
  maximize: false,
};

/** A step late enough that the bias corrections are not trivial; the same for every implementation. */
export const STEP = 10;

export function singleTensor(size) {
  return { id: `${size}`, label: size.toLocaleString('en-US'), count: 1, size };
}

export function manySmall(count, size) {
  return { id: `${count}x${size}`, label: `${count.toLocaleString('en-US')} × ${size}`, count, size };
}

export function totalParams(workload) {
  return workload.count * workload.size;
}

/**
 * The tensors of a workload, plus a pristine copy. Each implementation starts from reset(), so
 * state left behind by another one (the traffic baseline scrambles the buffers) never changes
 * what is timed, and the seeded fill runs once per workload, not once per implementation.
 */
export class TensorSet {
  constructor(workload) {
    this.tensors = [];
    this.pristine = [];
    const random = seededRandom(0x5eed);
    for (let k = 0; k < workload.count; k++) {
      const t = {
        name: `w${k}`,
        param: alignedArray(Float32Array, workload.size),
        grad: alignedArray(Float32Array, workload.size),
        expAvg: alignedArray(Float32Array, workload.size),
        expAvgSq: alignedArray(Float32Array, workload.size),
      };
      for (let i = 0; i < workload.size; i++) {
        t.param[i] = random() * 2 - 1;
        t.grad[i] = random() * 2 - 1;
        t.expAvg[i] = (random() * 2 - 1) * 0.1;
        t.expAvgSq[i] = random() * 0.01;
      }
      this.tensors.push(t);
      this.pristine.push(Object.fromEntries(FIELDS.map((f) => [f, t[f].slice()])));
    }
  }

  reset() {
    this.tensors.forEach((t, k) => {
      for (const f of FIELDS) t[f].set(this.pristine[k][f]);
    });
    return this.tensors;
  }
}

const FIELDS = ['param', 'grad', 'expAvg', 'expAvgSq'];
