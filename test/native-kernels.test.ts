/**
 * Every optimizer × every option × f32/f64 × every ISA this machine runs and the WebAssembly
 * build, bit-compared against the scalar path (and the TypeScript reference) after each of 120 steps, on
 * edge-heavy data at odd offsets and lengths that are no multiple of any vector width.
 */
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import * as reference from '../lib/reference/index.js';
import { isaBackends, kernelBuilds, referenceBackend } from './helpers/backends.js';
import { nativeBinding } from './helpers/native-binding.js';
import { expectSameBits } from './helpers/bits.js';
import {
  allocate,
  bytesPerElement,
  fillEdgeHeavy,
  viewOf,
  GRADIENT_MIX,
  INITIAL_MIX,
  seededRandom,
  type Dtype,
  type EdgeMix,
} from './helpers/float-data.js';
import { optimizers, stepKernel } from './helpers/optimizers.js';
import { compareTrajectories, describeCase, expectParamsMoved, type OptimizerCase, type TrajectorySpec } from './helpers/trajectory.js';

const binding = nativeBinding();
const isas = isaBackends(binding);
const builds = kernelBuilds(binding);
const backends = [...builds, referenceBackend];
const dtypes: Dtype[] = ['f32', 'f64'];
const LENGTHS = [0, 1, 7, 15, 17, 1023];
const STEPS = 120;
const bools = [false, true];

function spec(optimizer: OptimizerCase, dtype: Dtype, seed: number, lengths: readonly number[] = LENGTHS): TrajectorySpec {
  return { optimizer, dtype, lengths, steps: STEPS, seed, params: INITIAL_MIX, grads: GRADIENT_MIX };
}

it('binds every ISA this machine runs, scalar first', () => {
  expect(binding.isas[0]).toBe('scalar');
  expect(binding.isas).toContain(binding.isa);
  for (const { label, kernels } of isas) expect((kernels as typeof binding).isa).toBe(label);
});

for (const row of optimizers) {
  describe(`${row.name}: every ISA, wasm and the reference match the scalar path over ${STEPS} steps`, () => {
    for (const dtype of dtypes) {
      row.grid.forEach((options, index) => {
        const optimizer = { row, options };
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
  const longest: OptimizerCase[] = optimizers.map((row) => ({ row, options: row.longestPath }));
  for (const dtype of dtypes) {
    for (const optimizer of longest) {
      it(`${dtype} ${optimizer.row.name}: 150 tensors of lengths 0..99`, () => {
        const { initial, final } = compareTrajectories(spec(optimizer, dtype, 77, lengths), backends);
        expectParamsMoved(initial, final);
      });
    }
  }
});

describe('SharedArrayBuffer-backed views', () => {
  const n = 37;
  for (const row of optimizers) {
    const fields = ['param', 'grad', ...row.definition.buffers(row.longestPath).map((b) => b.key)];
    const scalars = (s: number) => row.definition.scalars(row.longestPath, { step: s, fresh: s === 1 });
    for (const dtype of dtypes) {
      for (const { label, kernels } of builds) {
        it(`${row.name} ${dtype} ${label}: updated in place, visible through another view of the same buffer`, () => {
          const elements = fields.length * (n + 2) + 1;
          const sab = new SharedArrayBuffer(bytesPerElement(dtype) * elements);
          // Disjoint regions, one per field, each at an odd element offset.
          const shared: Record<string, FloatArray> = Object.fromEntries(fields.map((f, k) => [f, viewOf(dtype, sab, 1 + k * (n + 2), n)]));
          const random = seededRandom(99);
          fillEdgeHeavy(shared.param!, random, INITIAL_MIX);
          for (const { key, initial } of row.definition.buffers(row.longestPath)) shared[key]!.fill(initial);
          const plain = Object.fromEntries(Object.entries(shared).map(([k, v]) => [k, v.slice()]));
          const initialParam = plain.param!.slice();
          const otherView = viewOf(dtype, sab, 0, elements);
          for (let s = 1; s <= 100; s++) {
            fillEdgeHeavy(shared.grad!, random, GRADIENT_MIX);
            plain.grad!.set(shared.grad!);
            stepKernel(kernels, row.definition.kernel)([shared], scalars(s));
            stepKernel(reference, row.definition.kernel)([plain], scalars(s));
          }
          const seenElsewhere = otherView.subarray(1, 1 + n);
          expectSameBits(seenElsewhere, plain.param!, `${label} param seen through another view`);
          for (const f of fields) expectSameBits(shared[f]!, plain[f]!, `${label} ${f}`);
          expect(seenElsewhere.some((x, i) => !Object.is(x, initialParam[i]))).toBe(true);
        });
      }
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
