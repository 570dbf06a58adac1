/**
 * The fused linear-regression kernel: every native ISA and the TypeScript reference give the
 * same bits (predictions, loss, gradients) on edge-heavy data, and bad calls are rejected
 * before anything is written.
 */
import { describe, expect, it } from 'vitest';
import type { Binding, FloatArray, IsaName, LinregArgs, LinregLossName } from '../binding.js';
import { linregLossGrad as reference } from '../lib/reference/linreg.js';
import { expectSameBits } from './helpers/bits.js';
import { allocate, fillEdgeHeavy, seededRandom, type Dtype, type EdgeMix } from './helpers/float-data.js';
import { nativeBinding } from './helpers/native-binding.js';

const FINITE: EdgeMix = { zero: 0.1, subnormal: 0.05, huge: 0, infinite: 0, nan: 0 };
const SPECIALS: EdgeMix = { zero: 0.1, subnormal: 0.05, huge: 0.01, infinite: 0.003, nan: 0.003 };

const binding = nativeBinding();
const isas = binding.isas.map((isa) => [isa, binding.forIsa(isa as IsaName)] as [string, Binding]);

interface Case {
  dtype: Dtype;
  rows: number;
  cols: number;
  loss: LinregLossName;
  mix: EdgeMix;
  seed: number;
}

function makeArgs(c: Case): LinregArgs {
  const random = seededRandom(c.seed);
  const x = fillEdgeHeavy(allocate(c.dtype, c.rows * c.cols), random, c.mix);
  const y = fillEdgeHeavy(allocate(c.dtype, c.rows), random, c.mix);
  const weights = fillEdgeHeavy(allocate(c.dtype, c.cols), random, c.mix);
  const bias = fillEdgeHeavy(allocate(c.dtype, 1), random, c.mix);
  return {
    x, rows: c.rows, cols: c.cols, y, weights, bias, loss: c.loss, delta: 0.75,
    gradWeights: allocate(c.dtype, c.cols), gradBias: allocate(c.dtype, 1), predictions: allocate(c.dtype, c.rows),
  };
}

function outputsOf(args: LinregArgs, loss: number): FloatArray[] {
  const lossArray = args.x instanceof Float32Array ? new Float32Array([loss]) : new Float64Array([loss]);
  return [lossArray, args.gradWeights, args.gradBias, args.predictions!];
}

const shapes: [number, number][] = [[1, 1], [7, 3], [33, 15], [20, 16], [19, 17], [48, 32], [64, 33], [37, 64], [5, 100]];
const cases: Case[] = [];
let seed = 1;
for (const dtype of ['f32', 'f64'] as const) {
  for (const loss of ['mse', 'mae', 'huber'] as const) {
    for (const [rows, cols] of shapes) {
      for (const mix of [FINITE, SPECIALS]) cases.push({ dtype, rows, cols, loss, mix, seed: seed++ });
    }
  }
}

describe('linregLossGrad: native ISAs and reference agree bit for bit', () => {
  it.each(cases)('$dtype $loss $rows×$cols (seed $seed)', (c) => {
    const expected = makeArgs(c);
    const expectedLoss = reference(expected);
    for (const [isa, b] of isas) {
      const args = makeArgs(c);
      const loss = b.linregLossGrad(args);
      const [l, gw, gb, p] = outputsOf(args, loss);
      const [el, egw, egb, ep] = outputsOf(expected, expectedLoss);
      expectSameBits(p!, ep!, `${isa} predictions`);
      expectSameBits(gw!, egw!, `${isa} gradWeights`);
      expectSameBits(gb!, egb!, `${isa} gradBias`);
      expectSameBits(l!, el!, `${isa} loss`);
    }
  });

  it('crosses the 65,536-row block boundary of the row sums identically', () => {
    const c: Case = { dtype: 'f32', rows: 65_536 + 37, cols: 2, loss: 'mse', mix: FINITE, seed: 99 };
    const expected = makeArgs(c);
    const expectedLoss = reference(expected);
    for (const [isa, b] of isas) {
      const args = makeArgs(c);
      expectSameBits(new Float32Array([b.linregLossGrad(args)]), new Float32Array([expectedLoss]), `${isa} loss`);
      expectSameBits(args.gradWeights, expected.gradWeights, `${isa} gradWeights`);
      expectSameBits(args.gradBias, expected.gradBias, `${isa} gradBias`);
    }
  });

  it('computes the MSE, its gradients and the predictions of a small worked example', () => {
    // X = [[1, 2], [3, 4]], w = [1, −1], b = 0.5: predictions −0.5, −0.5; y = [0.5, 1.5]
    // errors −1, −2; MSE = 2.5; dW = 2/2 · (−1·[1,2] + −2·[3,4]) = [−7, −10]; db = −3.
    for (const lossGrad of [reference, binding.linregLossGrad]) {
      const args: LinregArgs = {
        x: new Float64Array([1, 2, 3, 4]), rows: 2, cols: 2, y: new Float64Array([0.5, 1.5]),
        weights: new Float64Array([1, -1]), bias: new Float64Array([0.5]),
        gradWeights: new Float64Array(2), gradBias: new Float64Array(1), predictions: new Float64Array(2),
      };
      expect(lossGrad(args)).toBe(2.5);
      expect(Array.from(args.predictions!)).toEqual([-0.5, -0.5]);
      expect(Array.from(args.gradWeights)).toEqual([-7, -10]);
      expect(args.gradBias[0]).toBe(-3);
    }
  });
});

describe('linregLossGrad: rejected calls name the argument and write nothing', () => {
  const valid = (): LinregArgs => ({
    x: new Float32Array(6), rows: 2, cols: 3, y: new Float32Array(2), weights: new Float32Array(3), bias: new Float32Array(1),
    gradWeights: new Float32Array(3).fill(7), gradBias: new Float32Array(1).fill(7), loss: 'huber', delta: 1,
  });
  const bad: [string, (a: LinregArgs) => void, RegExp, ErrorConstructor][] = [
    ['rows not an integer', (a) => (a.rows = 2.5), /args\.rows must be an integer ≥ 1, received 2\.5/, RangeError],
    ['x of the wrong length', (a) => (a.x = new Float32Array(5)), /args\.x must have rows · cols = 2 · 3 elements, received 5/, RangeError],
    ['y of another dtype', (a) => (a.y = new Float64Array(2)), /args\.y must be a Float32Array like args\.x, received Float64Array/, TypeError],
    ['weights of the wrong length', (a) => (a.weights = new Float32Array(2)), /args\.weights must have cols = 3 elements, received 2/, RangeError],
    ['bias not a typed array', (a) => ((a as unknown as { bias: number }).bias = 1), /args\.bias must be a Float32Array or Float64Array, received 1/, TypeError],
    ['unknown loss', (a) => ((a as unknown as { loss: string }).loss = 'hinge'), /args\.loss must be 'mse', 'mae' or 'huber', received 'hinge'/, RangeError],
    ['huber without a positive delta', (a) => (a.delta = 0), /args\.delta must be finite and > 0/, RangeError],
    ['gradient aliasing x', (a) => (a.gradWeights = new Float32Array((a.x as Float32Array).buffer, 0, 3)), /share/, RangeError],
  ];
  it.each(bad)('%s', (_name, spoil, message, kind) => {
    for (const lossGrad of [reference, ...isas.map(([, b]) => b.linregLossGrad)]) {
      const args = valid();
      spoil(args);
      expect(() => lossGrad(args)).toThrow(kind);
      expect(() => lossGrad(args)).toThrow(message);
      if (args.gradWeights.buffer !== args.x.buffer) expect(Array.from(args.gradWeights)).toEqual([7, 7, 7]);
      expect(Array.from(args.gradBias)).toEqual([7]);
    }
  });
});
