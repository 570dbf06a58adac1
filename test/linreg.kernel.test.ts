/**
 * The fused linear-regression kernel: every native ISA, the WebAssembly build and the TypeScript reference give the
 * same bits (predictions, loss, gradients) on edge-heavy data, and bad calls are rejected
 * before anything is written.
 */
import { describe, expect, it } from 'vitest';
import type { Binding, FloatArray, IsaName, LinregArgs, LinregLossName } from '../binding.js';
import { linregLossGrad as reference } from '../lib/reference/linreg.js';
import { expectSameBits } from './helpers/bits.js';
import { allocate, fillEdgeHeavy, seededRandom, type Dtype, type EdgeMix } from './helpers/float-data.js';
import { nativeBinding } from './helpers/native-binding.js';
import { wasmBackend } from '../lib/wasm/index.js';

const FINITE: EdgeMix = { zero: 0.1, subnormal: 0.05, huge: 0, infinite: 0, nan: 0 };
const SPECIALS: EdgeMix = { zero: 0.1, subnormal: 0.05, huge: 0.01, infinite: 0.003, nan: 0.003 };

const binding = nativeBinding();
// Each native ISA, then the wasm build (one thread: options.threads is checked, then changes nothing).
const isas: [string, Pick<Binding, 'linregLossGrad'>][] = [
  ...binding.isas.map((isa) => [isa, binding.forIsa(isa as IsaName)] as [string, Binding]),
  ['wasm', wasmBackend()!],
];

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
    x,
    rows: c.rows,
    cols: c.cols,
    y,
    weights,
    bias,
    loss: c.loss,
    delta: 0.75,
    gradWeights: allocate(c.dtype, c.cols),
    gradBias: allocate(c.dtype, 1),
    predictions: allocate(c.dtype, c.rows),
  };
}

function outputsOf(args: LinregArgs, loss: number): FloatArray[] {
  const lossArray = args.x instanceof Float32Array ? new Float32Array([loss]) : new Float64Array([loss]);
  return [lossArray, args.gradWeights, args.gradBias, args.predictions!];
}

// 1-4 columns take the one-row-at-a-time kernels (kFewCols in native/src/kernels/linreg.h);
// the seed's 100 × 3 among them.
const shapes: [number, number][] = [
  [1, 1],
  [7, 3],
  [40, 2],
  [100, 3],
  [53, 4],
  [33, 15],
  [20, 16],
  [19, 17],
  [48, 32],
  [64, 33],
  [37, 64],
  [5, 100],
];
const cases: Case[] = [];
let seed = 1;
for (const dtype of ['f32', 'f64'] as const) {
  for (const loss of ['mse', 'mae', 'huber'] as const) {
    for (const [rows, cols] of shapes) {
      for (const mix of [FINITE, SPECIALS]) cases.push({ dtype, rows, cols, loss, mix, seed: seed++ });
    }
  }
}

describe('linregLossGrad: native ISAs, wasm and reference agree bit for bit', () => {
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

  // Rows are summed in blocks of 1,024 and the block sums added in order, so threads take
  // whole blocks, and a kernel call runs through a thread's whole run of blocks. Few (3, 4),
  // narrow (7, 32 and 33 columns) and wide (70) paths, partial last blocks (one of a single group), and
  // thread counts that split the blocks unevenly: the bits must not move.
  const multiBlock: Case[] = [
    { dtype: 'f32', rows: 16 * 1024 + 37, cols: 7, loss: 'mse', mix: FINITE, seed: 99 },
    { dtype: 'f64', rows: 8 * 1024 + 5, cols: 70, loss: 'huber', mix: SPECIALS, seed: 100 },
    { dtype: 'f32', rows: 12 * 1024, cols: 33, loss: 'mae', mix: FINITE, seed: 101 },
    { dtype: 'f64', rows: 5 * 1024 + 16, cols: 32, loss: 'mse', mix: SPECIALS, seed: 102 },
    { dtype: 'f64', rows: 3 * 1024 + 7, cols: 3, loss: 'huber', mix: SPECIALS, seed: 103 },
    { dtype: 'f32', rows: 2 * 1024 + 100, cols: 4, loss: 'mae', mix: FINITE, seed: 104 },
  ];
  it.each(multiBlock)('$dtype $loss $rows×$cols: every ISA and thread count gives the reference bits', (c) => {
    const expected = makeArgs(c);
    const [el, egw, egb, ep] = outputsOf(expected, reference(expected));
    for (const [isa, b] of isas) {
      for (const threads of [1, 2, 3, 8, undefined]) {
        const args = makeArgs(c);
        const [l, gw, gb, p] = outputsOf(args, b.linregLossGrad(args, threads === undefined ? undefined : { threads }));
        const at = `${isa}, threads ${String(threads)}`;
        expectSameBits(p!, ep!, `${at} predictions`);
        expectSameBits(gw!, egw!, `${at} gradWeights`);
        expectSameBits(gb!, egb!, `${at} gradBias`);
        expectSameBits(l!, el!, `${at} loss`);
      }
    }
  });

  it('a row whose products are all −0 predicts +0 + b: the dot product starts from +0', () => {
    // x · w = −0 · 2 + −0 · 3 (both products −0); with b = −0, +0 + (−0) + (−0) = +0, while a
    // dot that kept the −0 of its partials would give −0.
    for (const Float of [Float32Array, Float64Array]) {
      for (const cols of [2, 16, 40]) {
        const args = (): LinregArgs => ({
          x: new Float(cols).fill(-0),
          rows: 1,
          cols,
          y: new Float([1]),
          weights: new Float(cols).fill(2),
          bias: new Float([-0]),
          gradWeights: new Float(cols),
          gradBias: new Float(1),
          predictions: new Float(1),
        });
        for (const lossGrad of [reference, ...isas.map(([, b]) => b.linregLossGrad)]) {
          const a = args();
          lossGrad(a);
          expect(Object.is(a.predictions![0], 0)).toBe(true);
        }
      }
    }
  });

  it('sums the rows block by block, 1,024 rows each, as NUMERICS.md says', () => {
    // Squared errors: 1 in row 0; 2^-24 in rows 1,024 and 1,040 (both in partial 0 of the second
    // block); 0 elsewhere. Block by block: 1, then 2^-24 + 2^-24 = 2^-23, so the sum is 1 + 2^-23.
    // One running partial over all rows (or blocks of more than 1,040 rows) would round
    // 1 + 2^-24 back to 1 twice and give 1.
    const block = 1024;
    const rows = block + 17;
    const y = new Float32Array(rows);
    y[0] = -1;
    y[block] = -(2 ** -12);
    y[block + 16] = -(2 ** -12);
    const args = (): LinregArgs => ({
      x: new Float32Array(rows),
      rows,
      cols: 1,
      y,
      weights: new Float32Array(1),
      bias: new Float32Array(1),
      gradWeights: new Float32Array(1),
      gradBias: new Float32Array(1),
    });
    const want = Math.fround(Math.fround(1 + 2 ** -23) / rows);
    expect(want).not.toBe(Math.fround(1 / rows));
    for (const lossGrad of [reference, ...isas.map(([, b]) => b.linregLossGrad)]) {
      for (const threads of [1, 2]) expect(lossGrad(args(), { threads })).toBe(want);
    }
  });

  it('computes the MSE, its gradients and the predictions of a small worked example', () => {
    // X = [[1, 2], [3, 4]], w = [1, −1], b = 0.5: predictions −0.5, −0.5; y = [0.5, 1.5]
    // errors −1, −2; MSE = 2.5; dW = 2/2 · (−1·[1,2] + −2·[3,4]) = [−7, −10]; db = −3.
    for (const lossGrad of [reference, binding.linregLossGrad]) {
      const args: LinregArgs = {
        x: new Float64Array([1, 2, 3, 4]),
        rows: 2,
        cols: 2,
        y: new Float64Array([0.5, 1.5]),
        weights: new Float64Array([1, -1]),
        bias: new Float64Array([0.5]),
        gradWeights: new Float64Array(2),
        gradBias: new Float64Array(1),
        predictions: new Float64Array(2),
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
    x: new Float32Array(6),
    rows: 2,
    cols: 3,
    y: new Float32Array(2),
    weights: new Float32Array(3),
    bias: new Float32Array(1),
    gradWeights: new Float32Array(3).fill(7),
    gradBias: new Float32Array(1).fill(7),
    loss: 'huber',
    delta: 1,
  });
  const bad: [string, (a: LinregArgs) => void, RegExp, ErrorConstructor][] = [
    ['rows not an integer', (a) => (a.rows = 2.5), /args\.rows must be an integer ≥ 1, received 2\.5/, RangeError],
    ['x of the wrong length', (a) => (a.x = new Float32Array(5)), /args\.x must have rows · cols = 2 · 3 elements, received 5/, RangeError],
    [
      'y of another dtype',
      (a) => (a.y = new Float64Array(2)),
      /args\.y must be a Float32Array like args\.x, received Float64Array/,
      TypeError,
    ],
    [
      'weights of the wrong length',
      (a) => (a.weights = new Float32Array(2)),
      /args\.weights must have cols = 3 elements, received 2/,
      RangeError,
    ],
    [
      'bias not a typed array',
      (a) => ((a as unknown as { bias: number }).bias = 1),
      /args\.bias must be a Float32Array or Float64Array, received 1/,
      TypeError,
    ],
    [
      'unknown loss',
      (a) => ((a as unknown as { loss: string }).loss = 'hinge'),
      /args\.loss must be 'mse', 'mae' or 'huber', received 'hinge'/,
      RangeError,
    ],
    ['huber without a positive delta', (a) => (a.delta = 0), /args\.delta must be finite and > 0/, RangeError],
    ['gradient aliasing x', (a) => (a.gradWeights = new Float32Array((a.x as Float32Array).buffer, 0, 3)), /share/, RangeError],
  ];
  const badOptions: [string, unknown, RegExp, ErrorConstructor][] = [
    ['options not an object', 3, /options must be an object \{ threads \}/, TypeError],
    ['threads not a number', { threads: '2' }, /options\.threads must be an integer ≥ 1/, TypeError],
    ['threads 0', { threads: 0 }, /options\.threads must be an integer in \[1, 1024\], received 0/, RangeError],
    ['threads fractional', { threads: 1.5 }, /options\.threads must be an integer in \[1, 1024\], received 1\.5/, RangeError],
    ['threads too many', { threads: 1025 }, /received 1025/, RangeError],
  ];
  it.each(badOptions)('%s', (_name, options, message, kind) => {
    type Call = (args: LinregArgs, options?: unknown) => number;
    for (const lossGrad of [reference, ...isas.map(([, b]) => b.linregLossGrad)] as Call[]) {
      const args = valid();
      expect(() => lossGrad(args, options)).toThrow(kind);
      expect(() => lossGrad(args, options)).toThrow(message);
      expect(Array.from(args.gradWeights)).toEqual([7, 7, 7]);
      expect(Array.from(args.gradBias)).toEqual([7]);
    }
  });

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
