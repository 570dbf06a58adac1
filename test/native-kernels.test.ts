/**
 * Every optimizer × every option × f32/f64 × every ISA this machine runs and the WebAssembly
 * build, bit-compared against the scalar path (and the TypeScript reference) after each of 120 steps, on
 * edge-heavy data at odd offsets and lengths that are no multiple of any vector width.
 */
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import * as reference from '../lib/reference/index.js';
import { adamScalars, type AdagradHyper, type AdamHyper, type LionHyper, type RmspropHyper, type SgdHyper } from '../lib/scalars.js';
import { isaBackends, kernelBuilds, referenceBackend } from './helpers/backends.js';
import { nativeBinding } from './helpers/native-binding.js';
import { expectSameBits } from './helpers/bits.js';
import { allocate, bytesPerElement, fillEdgeHeavy, viewOf, GRADIENT_MIX, INITIAL_MIX, seededRandom, type Dtype, type EdgeMix } from './helpers/float-data.js';
import { compareTrajectories, expectParamsMoved, type OptimizerCase, type TrajectorySpec } from './helpers/trajectory.js';

const binding = nativeBinding();
const isas = isaBackends(binding);
const builds = kernelBuilds(binding);
const backends = [...builds, referenceBackend];
const dtypes: Dtype[] = ['f32', 'f64'];
const LENGTHS = [0, 1, 7, 15, 17, 1023];
const STEPS = 120;
const bools = [false, true];

function adamCases(): OptimizerCase[] {
  const cases: OptimizerCase[] = [];
  for (const amsgrad of bools)
    for (const maximize of bools)
      for (const [weightDecay, decoupled] of [[0, false], [0.01, false], [0.01, true]] as const) {
        const hyper: AdamHyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay, decoupled, amsgrad, maximize };
        cases.push({ kind: 'adam', hyper });
      }
  return cases;
}

function sgdCases(): OptimizerCase[] {
  const cases: OptimizerCase[] = [];
  const momentumOptions = [
    { momentum: 0, dampening: 0, nesterov: false },
    ...[0, 0.25].flatMap((dampening) => bools.map((nesterov) => ({ momentum: 0.9, dampening, nesterov }))),
  ];
  for (const m of momentumOptions)
    for (const weightDecay of [0, 0.01])
      for (const maximize of bools) {
        const hyper: SgdHyper = { lr: 0.01, ...m, weightDecay, maximize };
        cases.push({ kind: 'sgd', hyper });
      }
  return cases;
}

function adagradCases(): OptimizerCase[] {
  const cases: OptimizerCase[] = [];
  for (const lrDecay of [0, 0.05])
    for (const weightDecay of [0, 0.01])
      for (const initialAccumulatorValue of [0, 0.5])
        for (const eps of [1e-10, 1e-3])
          for (const maximize of bools) {
            const hyper: AdagradHyper = { lr: 0.1, lrDecay, weightDecay, eps, maximize };
            cases.push({ kind: 'adagrad', hyper, initialAccumulatorValue });
          }
  return cases;
}

function rmspropCases(): OptimizerCase[] {
  const cases: OptimizerCase[] = [];
  for (const centered of bools)
    for (const momentum of [0, 0.9])
      for (const weightDecay of [0, 0.01])
        for (const maximize of bools) {
          const hyper: RmspropHyper = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay, momentum, centered, maximize };
          cases.push({ kind: 'rmsprop', hyper });
        }
  return cases;
}

function lionCases(): OptimizerCase[] {
  return [0, 0.1].flatMap((weightDecay) =>
    [[0.9, 0.99], [0.5, 0.9]].map(([beta1, beta2]): OptimizerCase => {
      const hyper: LionHyper = { lr: 0.01, beta1: beta1!, beta2: beta2!, weightDecay };
      return { kind: 'lion', hyper };
    }),
  );
}

function describeCase(o: OptimizerCase): string {
  const extra = o.kind === 'adagrad' ? { initialAccumulatorValue: o.initialAccumulatorValue } : {};
  return JSON.stringify({ ...o.hyper, ...extra });
}

function spec(optimizer: OptimizerCase, dtype: Dtype, seed: number, lengths: readonly number[] = LENGTHS): TrajectorySpec {
  return { optimizer, dtype, lengths, steps: STEPS, seed, params: INITIAL_MIX, grads: GRADIENT_MIX };
}

it('binds every ISA this machine runs, scalar first', () => {
  expect(binding.isas[0]).toBe('scalar');
  expect(binding.isas).toContain(binding.isa);
  for (const { label, kernels } of isas) expect((kernels as typeof binding).isa).toBe(label);
});

for (const [name, cases] of [['Adam/AdamW', adamCases()], ['SGD', sgdCases()], ['Adagrad', adagradCases()], ['RMSprop', rmspropCases()], ['Lion', lionCases()]] as const) {
  describe(`${name}: every ISA, wasm and the reference match the scalar path over ${STEPS} steps`, () => {
    for (const dtype of dtypes) {
      cases.forEach((optimizer, index) => {
        it(`${dtype} ${describeCase(optimizer)}`, () => {
          const { initial, final } = compareTrajectories(spec(optimizer, dtype, 1000 + index), backends);
          expectParamsMoved(initial, final);
        });
      });
    }
  });
}

describe('many tensors in one call', () => {
  const random = seededRandom(7);
  const lengths = Array.from({ length: 150 }, () => Math.floor(random() * 100));
  // Every option on at once, so each tensor takes the longest path through its kernel.
  const optimizers: OptimizerCase[] = [
    { kind: 'adam', hyper: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true, amsgrad: true, maximize: true } },
    { kind: 'sgd', hyper: { lr: 0.01, momentum: 0.9, dampening: 0.25, weightDecay: 0.01, nesterov: true, maximize: true } },
    { kind: 'adagrad', hyper: { lr: 0.1, lrDecay: 0.05, weightDecay: 0.01, eps: 1e-10, maximize: true }, initialAccumulatorValue: 0.5 },
    { kind: 'rmsprop', hyper: { lr: 0.01, alpha: 0.9, eps: 1e-8, weightDecay: 0.01, momentum: 0.9, centered: true, maximize: true } },
    { kind: 'lion', hyper: { lr: 0.01, beta1: 0.9, beta2: 0.99, weightDecay: 0.1 } },
  ];
  for (const dtype of dtypes) {
    for (const optimizer of optimizers) {
      it(`${dtype} ${optimizer.kind}: 150 tensors of lengths 0..99`, () => {
        const { initial, final } = compareTrajectories(spec(optimizer, dtype, 77, lengths), backends);
        expectParamsMoved(initial, final);
      });
    }
  }
});

describe('SharedArrayBuffer-backed views', () => {
  const hyper: AdamHyper = { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, decoupled: true, amsgrad: true, maximize: false };
  const n = 37;
  for (const dtype of dtypes) {
    for (const { label, kernels } of builds) {
      it(`${dtype} ${label}: updated in place, visible through another view of the same buffer`, () => {
        const elements = 5 * (n + 2) + 1;
        const sab = new SharedArrayBuffer(bytesPerElement(dtype) * elements);
        // Five disjoint regions, each at an odd element offset.
        const region = (k: number): FloatArray => viewOf(dtype, sab, 1 + k * (n + 2), n);
        const shared = { param: region(0), grad: region(1), expAvg: region(2), expAvgSq: region(3), maxExpAvgSq: region(4) };
        const random = seededRandom(99);
        fillEdgeHeavy(shared.param, random, INITIAL_MIX);
        const plain = Object.fromEntries(Object.entries(shared).map(([k, v]) => [k, v.slice()])) as typeof shared;
        const initialParam = plain.param.slice();
        const otherView = viewOf(dtype, sab, 0, elements);
        for (let s = 1; s <= 100; s++) {
          fillEdgeHeavy(shared.grad, random, GRADIENT_MIX);
          plain.grad.set(shared.grad);
          kernels.adamStep([shared], adamScalars(hyper, s));
          reference.adamStep([plain], adamScalars(hyper, s));
        }
        const seenElsewhere = otherView.subarray(1, 1 + n);
        expectSameBits(seenElsewhere, plain.param, `${label} param seen through another view`);
        expectSameBits(shared.maxExpAvgSq, plain.maxExpAvgSq, `${label} maxExpAvgSq`);
        expect(seenElsewhere.some((x, i) => !Object.is(x, initialParam[i]))).toBe(true);
      });
    }
  }
});

describe('sumSquares and scale match the reference on every ISA and wasm', () => {
  const sizes = [0, 1, 7, 15, 17, 1023, 65_536 + 17, 140_000];
  const finiteOnly: EdgeMix = { zero: 0.05, subnormal: 0.05, huge: 0, infinite: 0, nan: 0 };
  for (const dtype of dtypes) {
    for (const withSpecials of bools) {
      const random = seededRandom(withSpecials ? 5 : 6);
      const arrays = sizes.map((size) => {
        // Odd offsets, as for the optimizers.
        return fillEdgeHeavy(allocate(dtype, size, { offset: 3 }), random, withSpecials ? INITIAL_MIX : finiteOnly);
      });
      const label = `${dtype}${withSpecials ? ' with ±0, subnormals, huge, ±Inf, NaN' : ''}`;
      it(`sumSquares ${label}`, () => {
        const expected = new Float64Array(sizes.length + 1);
        const got = new Float64Array(sizes.length + 1);
        for (const { label: isa, kernels } of builds) {
          // Each array alone, then all of them in one call (blocks added in order across arrays).
          arrays.forEach((a, i) => {
            expected[i] = reference.sumSquares([a]);
            got[i] = kernels.sumSquares([a]);
          });
          expected[sizes.length] = reference.sumSquares(arrays);
          got[sizes.length] = kernels.sumSquares(arrays);
          expectSameBits(got, expected, `${isa} sumSquares`);
        }
        if (!withSpecials) expect(expected.every((x) => Number.isFinite(x))).toBe(true);
      });
      it(`scale ${label}`, () => {
        for (const factor of [0.5, -3.75, 1e-30, 0, -0]) {
          const expected = arrays.map((a) => a.slice());
          reference.scale(expected, factor);
          for (const { label: isa, kernels } of builds) {
            const got = arrays.map((a) => a.slice());
            kernels.scale(got, factor);
            got.forEach((a, i) => expectSameBits(a, expected[i]!, `${isa} scale(${factor}) arrays[${i}]`));
          }
        }
      });
    }
  }
});
