/**
 * Steps every optimizer of lib/optim/all.ts over the test registry's grid and longest path
 * (test/helpers/optimizer-cases.json), and runs sumSquares, scale and linregLossGrad (every
 * loss, narrow and wide column counts), on hostile f32/f64 data (±0, subnormals, huge, ±Inf, NaN, lengths around every vector width) through one
 * addon binary's ISAs, and compares the bits with the TypeScript reference (dist/). Run by
 * scripts/test-arm64.sh on an arm64 Node under qemu (Node ≥ 23 runs .ts directly):
 *   node scripts/isa-bits-check.ts <addon.node> <isa>...
 * Prints one line per ISA; exits 1 on the first case that differs.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { Binding, FloatArray, IsaName } from '../binding.js';
import * as reference from '../dist/reference/index.js';
import { optimizerDefinitions } from '../dist/optim/all.js';
import { firstBitDifference } from '../test/helpers/bits.ts';
import { casesOf, expandGrid } from '../test/helpers/optimizer-cases.ts';

type Float = Float32ArrayConstructor | Float64ArrayConstructor;
type Kernels = Pick<Binding, 'sumSquares' | 'scale' | 'linregLossGrad'>;

const [addonPath, ...isas] = process.argv.slice(2) as [string, ...IsaName[]];
const binding = createRequire(import.meta.url)(resolve(addonPath)) as Binding;
const lengths = [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 67];
const specials = [0, -0, 5e-324, -1e-310, 1e-45, -1.4e-45, 1e-39, 3.4e38, -1e300, Infinity, -Infinity, NaN, 1, -2.5];

/** Deterministic data with every special value somewhere in most arrays. */
function data(Float: Float, n: number, seed: number, positive = false): FloatArray {
  const a = new Float(n);
  for (let i = 0; i < n; i++) {
    const x = (i + seed) % 5 === 0 ? specials[(i * 7 + seed) % specials.length]! : (Math.sin(i * 12.9898 + seed) * 43758.5453) % 3;
    a[i] = positive ? Math.abs(x) : x;
  }
  return a;
}

interface Case {
  name: string;
  run(k: Kernels, buffers: FloatArray[]): number | void;
  buffers(Float: Float, n: number): FloatArray[];
}

const cases: Case[] = [];
// Every optimizer of the library (lib/optim/all.ts) over the test registry's grid and its
// longest path (test/helpers/optimizer-cases.json), 3 steps from random state.
for (const definition of optimizerDefinitions) {
  const { grid, longestPath, nonNegativeState } = casesOf(definition.name);
  for (const options of [...expandGrid(definition.defaults, grid), { ...definition.defaults, ...longestPath }]) {
    const keys = definition.buffers(options).map((b) => b.key);
    cases.push({
      name: `${definition.name} ${JSON.stringify(options)}`,
      buffers: (F, n) => [data(F, n, 1), data(F, n, 2), ...keys.map((key, i) => data(F, n, 3 + i, nonNegativeState.includes(key)))],
      run: (k, [param, grad, ...state]) => {
        const step = (k as unknown as Record<string, (tensors: object[], scalars: object) => void>)[`${definition.kernel}Step`]!;
        const tensor = { param, grad, ...Object.fromEntries(keys.map((key, i) => [key, state[i]])) };
        for (let s = 1; s <= 3; s++) step.call(k, [tensor], definition.scalars(options, { step: s, fresh: s === 1 }));
      },
    });
  }
}
cases.push({ name: 'sumSquares', buffers: (F, n) => [data(F, n, 12), data(F, n + 3, 13)], run: (k, arrays) => k.sumSquares(arrays) });
cases.push({ name: 'scale', buffers: (F, n) => [data(F, n, 14), data(F, n + 1, 15)], run: (k, arrays) => k.scale(arrays, 0.37) });
// Linear regression: rows = n + 1 (crossing the 16-row groups), and a column count per n that
// takes each narrow path (1 to 4 chunks of 16) and the wide one.
const linregCols = [1, 5, 16, 17, 32, 33, 48, 64, 100];
for (const loss of ['mse', 'mae', 'huber'] as const) {
  cases.push({
    name: `linregLossGrad ${loss}`,
    buffers: (F, n) => {
      const rows = n + 1;
      const cols = linregCols[n % linregCols.length]!;
      return [data(F, rows * cols, 16), data(F, rows, 17), data(F, cols, 18), data(F, 1, 19), new F(cols), new F(1), new F(rows)];
    },
    run: (k, [x, y, weights, bias, gradWeights, gradBias, predictions]) =>
      k.linregLossGrad({
        x: x!,
        rows: y!.length,
        cols: weights!.length,
        y: y!,
        weights: weights!,
        bias: bias!,
        gradWeights: gradWeights!,
        gradBias: gradBias!,
        predictions: predictions!,
        loss,
        delta: 0.75,
      }),
  });
}

// Past the first 1,024-row block (a partial second block, split across 2 threads).
cases.push({
  name: 'linregLossGrad mse, 2 blocks',
  buffers: (F, n) => {
    const rows = 1024 + 1 + n;
    const cols = linregCols[n % 6]!;
    return [data(F, rows * cols, 20), data(F, rows, 21), data(F, cols, 22), data(F, 1, 23), new F(cols), new F(1)];
  },
  run: (k, [x, y, weights, bias, gradWeights, gradBias]) =>
    k.linregLossGrad(
      {
        x: x!,
        rows: y!.length,
        cols: weights!.length,
        y: y!,
        weights: weights!,
        bias: bias!,
        gradWeights: gradWeights!,
        gradBias: gradBias!,
      },
      { threads: 2 },
    ),
});

let failures = 0;
for (const isa of isas) {
  const kernels = binding.forIsa(isa);
  let checked = 0;
  for (const c of cases)
    for (const Float of [Float32Array, Float64Array])
      for (const n of lengths) {
        const expected = c.buffers(Float, n);
        const actual = expected.map((a) => a.slice());
        const expectedResult = c.run(reference, expected);
        const actualResult = c.run(kernels, actual);
        const i = expected.findIndex((e, j) => firstBitDifference(actual[j]!, e) >= 0);
        const resultDiffers = !Object.is(actualResult, expectedResult) && !(Number.isNaN(actualResult) && Number.isNaN(expectedResult));
        if (i >= 0 || resultDiffers) {
          const where =
            i >= 0 ? `buffer ${i} element ${firstBitDifference(actual[i]!, expected[i]!)}` : `result ${actualResult} vs ${expectedResult}`;
          console.log(`FAIL ${isa} ${c.name} ${Float.name} n=${n}: ${where}`);
          if (++failures > 10) process.exit(1);
        }
        checked++;
      }
  console.log(
    `${isa}: ${checked} cases (${cases.length} kernels/options × f32/f64 × ${lengths.length} lengths) compared with the reference`,
  );
}
console.log(
  `${process.arch} node ${process.version}, binding.isa=${binding.isa}, isas=[${binding.isas.join(', ')}]: ${failures ? `${failures} FAILED` : 'all bit-identical'}`,
);
process.exit(failures ? 1 : 0);
