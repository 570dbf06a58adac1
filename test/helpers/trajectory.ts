/**
 * Optimizer trajectories run side by side on several backends (native ISAs, the
 * TypeScript reference), compared bit for bit after every step. Per-step scalars come only
 * from lib/scalars.ts, as in the optimizer classes.
 */
import type { AdagradTensor, AdamTensor, FloatArray, LionTensor, RmspropTensor, SgdTensor } from '../../binding.js';
import type { Kernels } from '../../lib/reference/index.js';
import {
  adagradScalars,
  adamScalars,
  lionScalars,
  rmspropScalars,
  sgdScalars,
  type AdagradHyper,
  type AdamHyper,
  type LionHyper,
  type RmspropHyper,
  type SgdHyper,
} from '../../lib/scalars.js';
import { expect } from 'vitest';
import { expectSameBits } from './bits.js';
import { allocate, copyOf, fillEdgeHeavy, seededRandom, type Dtype, type EdgeMix } from './float-data.js';

export type OptimizerCase =
  | { kind: 'adam'; hyper: AdamHyper }
  | { kind: 'sgd'; hyper: SgdHyper }
  | { kind: 'adagrad'; hyper: AdagradHyper; initialAccumulatorValue: number }
  | { kind: 'rmsprop'; hyper: RmspropHyper }
  | { kind: 'lion'; hyper: LionHyper };

export interface TrajectorySpec {
  optimizer: OptimizerCase;
  dtype: Dtype;
  lengths: readonly number[];
  steps: number;
  seed: number;
  /** Mix of special values in the initial parameters, and in each step's gradients. */
  params: EdgeMix;
  grads: EdgeMix;
  /** From step `at` on, the learning rate is `lr` (a schedule changing it mid-run). */
  lrChange?: { at: number; lr: number };
}

/** One tensor's buffers by field name: param, grad and the optimizer's state. */
export type TensorBuffers = Record<string, FloatArray>;

export interface Backend {
  label: string;
  kernels: Kernels;
}

export function stateFields(optimizer: OptimizerCase): string[] {
  switch (optimizer.kind) {
    case 'adam':
      return optimizer.hyper.amsgrad ? ['expAvg', 'expAvgSq', 'maxExpAvgSq'] : ['expAvg', 'expAvgSq'];
    case 'sgd':
      return optimizer.hyper.momentum !== 0 ? ['momentumBuffer'] : [];
    case 'adagrad':
      return ['stateSum'];
    case 'rmsprop':
      return ['squareAvg', ...(optimizer.hyper.centered ? ['gradAvg'] : []), ...(optimizer.hyper.momentum !== 0 ? ['momentumBuffer'] : [])];
    case 'lion':
      return ['expAvg'];
  }
}

/** Fresh tensors at odd element offsets: edge-heavy params, state as the optimizer creates it. */
export function initialTensors(spec: TrajectorySpec): TensorBuffers[] {
  const random = seededRandom(spec.seed);
  return spec.lengths.map((length, t) => {
    const offset = 1 + 2 * (t % 4);
    const param = fillEdgeHeavy(allocate(spec.dtype, length, { offset }), random, spec.params);
    const tensor: TensorBuffers = { param, grad: allocate(spec.dtype, length, { offset: offset + 2 }) };
    for (const field of stateFields(spec.optimizer)) {
      const state = allocate(spec.dtype, length, { offset: offset + 4 });
      if (spec.optimizer.kind === 'adagrad') state.fill(spec.optimizer.initialAccumulatorValue);
      // torch's first SGD step overwrites the buffer, so it starts as garbage to prove that.
      if (spec.optimizer.kind === 'sgd') fillEdgeHeavy(state, random, spec.params);
      tensor[field] = state;
    }
    return tensor;
  });
}

/** The gradients of every step, generated once so every backend sees the same ones. */
export function gradientSchedule(spec: TrajectorySpec): FloatArray[][] {
  const random = seededRandom(spec.seed ^ 0x5bd1e995);
  const schedule: FloatArray[][] = [];
  for (let step = 1; step <= spec.steps; step++) {
    schedule.push(
      spec.lengths.map((length) => {
        return fillEdgeHeavy(allocate(spec.dtype, length), random, spec.grads);
      }),
    );
  }
  return schedule;
}

export function cloneTensors(tensors: readonly TensorBuffers[]): TensorBuffers[] {
  return tensors.map((tensor) => Object.fromEntries(Object.entries(tensor).map(([k, v]) => [k, copyOf(v, { offset: v.byteOffset / v.BYTES_PER_ELEMENT })])));
}

/** One optimizer step (1-based `step`) of the whole tensor list on `kernels`. */
export function step(kernels: Kernels, spec: TrajectorySpec, tensors: TensorBuffers[], stepNumber: number): void {
  const lr = spec.lrChange && stepNumber >= spec.lrChange.at ? spec.lrChange.lr : undefined;
  const o = spec.optimizer;
  // The kernels take the tensor objects as they are: field names match binding.d.ts.
  switch (o.kind) {
    case 'adam':
      kernels.adamStep(tensors as unknown as AdamTensor[], adamScalars({ ...o.hyper, lr: lr ?? o.hyper.lr }, stepNumber));
      return;
    case 'sgd':
      kernels.sgdStep(tensors as unknown as SgdTensor[], sgdScalars({ ...o.hyper, lr: lr ?? o.hyper.lr }, stepNumber === 1));
      return;
    case 'adagrad':
      kernels.adagradStep(tensors as unknown as AdagradTensor[], adagradScalars({ ...o.hyper, lr: lr ?? o.hyper.lr }, stepNumber));
      return;
    case 'rmsprop':
      kernels.rmspropStep(tensors as unknown as RmspropTensor[], rmspropScalars({ ...o.hyper, lr: lr ?? o.hyper.lr }));
      return;
    case 'lion':
      kernels.lionStep(tensors as unknown as LionTensor[], lionScalars({ ...o.hyper, lr: lr ?? o.hyper.lr }));
      return;
  }
}

export function expectSameTensors(actual: readonly TensorBuffers[], expected: readonly TensorBuffers[], label: string): void {
  expected.forEach((tensor, t) => {
    for (const [field, values] of Object.entries(tensor)) {
      expectSameBits(actual[t]![field]!, values, `${label} tensors[${t}].${field}`);
    }
  });
}

/**
 * Agreement proves nothing if no backend moved: most parameters must have changed bits
 * and stayed finite.
 */
export function expectParamsMoved(initial: readonly TensorBuffers[], final: readonly TensorBuffers[]): void {
  let total = 0;
  let moved = 0;
  initial.forEach((tensor, t) => {
    const before = tensor.param!;
    const after = final[t]!.param!;
    for (let i = 0; i < before.length; i++) {
      total++;
      if (!Object.is(before[i], after[i]) && Number.isFinite(after[i])) moved++;
    }
  });
  expect(moved, `${moved} of ${total} parameters moved and stayed finite`).toBeGreaterThan(total / 2);
}

/**
 * Runs the trajectory on every backend and compares each against the first after every
 * step: parameters and every state buffer. Returns the initial and the first backend's
 * final tensors.
 */
export function compareTrajectories(
  spec: TrajectorySpec,
  backends: readonly Backend[],
): { initial: TensorBuffers[]; final: TensorBuffers[] } {
  const initial = initialTensors(spec);
  const runs = backends.map(() => cloneTensors(initial));
  const gradients = gradientSchedule(spec);
  for (let s = 1; s <= spec.steps; s++) {
    runs.forEach((tensors, b) => {
      tensors.forEach((tensor, t) => tensor.grad!.set(gradients[s - 1]![t]!));
      step(backends[b]!.kernels, spec, tensors, s);
    });
    for (let b = 1; b < backends.length; b++) {
      expectSameTensors(runs[b]!, runs[0]!, `${backends[b]!.label} vs ${backends[0]!.label}, step ${s}:`);
    }
  }
  return { initial, final: runs[0]! };
}
