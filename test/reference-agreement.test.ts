/**
 * Property-based agreement (fast-check, fixed seeds, bounded runs): for random sizes,
 * special-value mixes, hyperparameters, options and step counts, every native ISA, the
 * WebAssembly build and the TypeScript reference produce identical bits for the parameters and every state buffer,
 * f32 and f64, over trajectories of at least 100 steps with the learning rate changed
 * mid-run; and identical sumSquares / scale results over random arrays and splits.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import * as reference from '../lib/reference/index.js';
import { kernelBuilds, referenceBackend } from './helpers/backends.js';
import { nativeBinding } from './helpers/native-binding.js';
import { expectSameBits } from './helpers/bits.js';
import { allocate, fillEdgeHeavy, seededRandom, type Dtype, type EdgeMix } from './helpers/float-data.js';
import { logUniform, optimizers, unitOpen } from './helpers/optimizers.js';
import { compareTrajectories, type TrajectorySpec } from './helpers/trajectory.js';

const binding = nativeBinding();
const isas = kernelBuilds(binding);
const backends = [referenceBackend, ...isas];
const RUNS = 25;

const dtype = fc.constantFrom<Dtype>('f32', 'f64');
const edgeMix: fc.Arbitrary<EdgeMix> = fc.record({
  zero: unitOpen(0, 0.1),
  subnormal: unitOpen(0, 0.1),
  huge: unitOpen(0, 0.001),
  infinite: unitOpen(0, 0.001),
  nan: unitOpen(0, 0.001),
});
const trajectoryShape = fc.record({
  dtype,
  lengths: fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 1, maxLength: 5 }),
  steps: fc.integer({ min: 100, max: 130 }),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  params: edgeMix,
  grads: edgeMix,
  lrChangeAt: fc.integer({ min: 2, max: 100 }),
});

describe('optimizer trajectories: every ISA and the reference agree bit for bit', () => {
  optimizers.forEach((row, index) => {
    it(`${row.name}: random options, hyperparameters, sizes and lr schedule`, () => {
      fc.assert(
        fc.property(row.arbitrary, trajectoryShape, logUniform(-6, 0), (options, { lrChangeAt, ...shape }, newLr) => {
          const spec: TrajectorySpec = { optimizer: { row, options }, ...shape, lrChange: { at: lrChangeAt, lr: newLr } };
          compareTrajectories(spec, backends);
        }),
        { seed: 101 * (index + 1), numRuns: RUNS },
      );
    });
  });
});

/** `array` cut at the given fractions of its length into consecutive views. */
function split(array: FloatArray, cuts: readonly number[]): FloatArray[] {
  const points = [0, ...cuts.map((c) => Math.floor(c * array.length)).sort((a, b) => a - b), array.length];
  return points.slice(1).map((end, i) => array.subarray(points[i]!, end));
}

const numberBits = (x: number) => Float64Array.of(x);

// Lengths past one reduction block (65,536) check that blocks are added in order.
const generatedArrays = fc
  .record({
    dtype,
    length: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 65_000, max: 200_000 })),
    offset: fc.integer({ min: 0, max: 7 }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    mix: edgeMix,
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
  })
  .map(({ dtype: d, length, offset, seed, mix, cuts }) => {
    const whole = fillEdgeHeavy(allocate(d, length, { offset }), seededRandom(seed), mix);
    return split(whole, cuts);
  });

// fast-check's own float generators favour -0, subnormals, ±Infinity, NaN and extremes.
const rawArrays = fc
  .oneof(fc.float32Array({ maxLength: 100 }), fc.float64Array({ maxLength: 100 }))
  .chain((whole) => fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }).map((cuts) => split(whole, cuts)));

const arrays = fc.oneof(generatedArrays, rawArrays);

/** A factor finite in the arrays' type, as the binding requires. */
function finiteFactor(arrs: readonly FloatArray[]): fc.Arbitrary<number> {
  return arrs[0] instanceof Float64Array
    ? fc.double({ noNaN: true, noDefaultInfinity: true })
    : fc.float({ noNaN: true, noDefaultInfinity: true });
}

describe('sumSquares and scale: every ISA and the reference agree bit for bit', () => {
  it('sumSquares over random arrays and splits', () => {
    fc.assert(
      fc.property(arrays, (arrs) => {
        const expected = reference.sumSquares(arrs);
        for (const { label, kernels } of isas) {
          expectSameBits(numberBits(kernels.sumSquares(arrs)), numberBits(expected), `${label} sumSquares`);
        }
      }),
      { seed: 404, numRuns: 40 },
    );
  });

  it('scale over random arrays, splits and factors', () => {
    fc.assert(
      fc.property(
        arrays.chain((arrs) => finiteFactor(arrs).map((factor) => ({ arrs, factor }))),
        ({ arrs, factor }) => {
          const expected = arrs.map((a) => a.slice());
          reference.scale(expected, factor);
          for (const { label, kernels } of isas) {
            const got = arrs.map((a) => a.slice());
            kernels.scale(got, factor);
            got.forEach((a, i) => expectSameBits(a, expected[i]!, `${label} scale(${factor}) arrays[${i}]`));
          }
        },
      ),
      { seed: 505, numRuns: 40 },
    );
  });
});
