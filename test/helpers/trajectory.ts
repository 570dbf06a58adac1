/**
 * Optimizer trajectories run side by side on several backends (native ISAs, the
 * TypeScript reference), compared bit for bit after every step. State buffers and per-step
 * scalars come from the optimizer's definition (its row in the registry, optimizers.ts), as
 * in the optimizer classes.
 */
import type { FloatArray } from '../../binding.js';
import type { Kernels } from '../../lib/reference/index.js';
import { expect } from 'vitest';
import { expectSameBits } from './bits.js';
import { allocate, copyOf, fillEdgeHeavy, seededRandom, type Dtype, type EdgeMix } from './float-data.js';
import { stepKernel, type AnyOptions, type OptimizerRow } from './optimizers.js';

/** A registry row and full options for it. */
export interface OptimizerCase {
  row: OptimizerRow;
  options: AnyOptions;
}

/** `Adam {"lr":0.01,...}`: a test name. */
export function describeCase({ row, options }: OptimizerCase): string {
  return `${row.name} ${JSON.stringify(options)}`;
}

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

/** Fresh tensors at odd element offsets: edge-heavy params, state as the optimizer creates it. */
export function initialTensors(spec: TrajectorySpec): TensorBuffers[] {
  const random = seededRandom(spec.seed);
  return spec.lengths.map((length, t) => {
    const offset = 1 + 2 * (t % 4);
    const param = fillEdgeHeavy(allocate(spec.dtype, length, { offset }), random, spec.params);
    const tensor: TensorBuffers = { param, grad: allocate(spec.dtype, length, { offset: offset + 2 }) };
    const { row, options } = spec.optimizer;
    for (const { key, initial } of row.definition.buffers(options)) {
      const state = allocate(spec.dtype, length, { offset: offset + 4 });
      state.fill(initial);
      // torch's first step overwrites these, so they start as garbage to prove that.
      if (row.firstStepOverwrites.includes(key)) fillEdgeHeavy(state, random, spec.params);
      tensor[key] = state;
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
  return tensors.map((tensor) =>
    Object.fromEntries(Object.entries(tensor).map(([k, v]) => [k, copyOf(v, { offset: v.byteOffset / v.BYTES_PER_ELEMENT })])),
  );
}

/** One optimizer step (1-based `step`) of the whole tensor list on `kernels`. */
export function step(kernels: Kernels, spec: TrajectorySpec, tensors: TensorBuffers[], stepNumber: number): void {
  const { row, options } = spec.optimizer;
  const lr = spec.lrChange && stepNumber >= spec.lrChange.at ? { lr: spec.lrChange.lr } : {};
  // The definition's scalars, as the optimizer classes compute them (fresh state on step 1).
  const scalars = row.definition.scalars({ ...options, ...lr }, { step: stepNumber, fresh: stepNumber === 1 });
  // The kernels take the tensor objects as they are: field names are the state buffers' keys.
  stepKernel(kernels, row.definition.kernel)(tensors, scalars);
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
