/**
 * Replays torch.optim trajectories (test/fixtures/*.json, from generate_torch.py) through the
 * optimizer classes on the TypeScript reference backend (`backend: 'js'`, which computes the
 * same bits as every native ISA) and checks agreement to within float rounding.
 *
 * The tolerance. Our op order (native/NUMERICS.md) is not torch's (e.g. Adam folds both bias
 * corrections into stepSize and eps·√bc2; torch may fuse `add(alpha)` into an FMA), so the
 * two trajectories differ in the last bits and the differences are carried from step to step.
 * Alongside the replay the test runs a running error bound (first-order error analysis, in
 * float64) per element: every rounded operation of either implementation contributes at most
 * u·|result| (u = 2⁻²⁴ for float32, 2⁻⁵³ for float64), so the pair contributes 2u·|result|,
 * and earlier differences in p, m, v, buffers and sums propagate through each operation with
 * its exact sensitivity (β·err for a moment, err/(2√s) for a square root, …), magnitudes taken
 * from our own values. The test asserts |p_ours − p_torch| ≤ that bound at every step; no
 * slack factor is added. A dropped bias correction, an ignored amsgrad or maximize, a wrong
 * decay or dampening changes an update by a sizeable fraction of itself and fails at once.
 *
 * torch 1.13 has no Lion: its fixture (generate_lion.py) is the paper's update written in
 * NumPy with our operation sequence, one rounded ufunc per operation, so it must match bit
 * for bit (its bound is 0).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { optimizers, type OptimizerRow } from './helpers/optimizers.js';

type DType = 'float32' | 'float64';
type Hex = string[]; // one hex string per tensor

interface OptimizerFixture {
  /** The torch version, or `source` for a fixture torch did not make (Lion). */
  torch?: string;
  source?: string;
  optimizer: string;
  shapes: number[];
  lrChange: { beforeStep: number; factor: number };
  dtypes: Record<DType, { initial: Hex; grads: Hex[] }>;
  cases: Array<{ name: string; options: Record<string, unknown> } & Record<DType, Hex[]>>;
}

const names = ['a', 'b'] as const;
type Name = (typeof names)[number];

function load(file: string): OptimizerFixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), 'utf8')) as OptimizerFixture;
}

/** Big-endian IEEE-754 bits, 8 or 16 hex digits per element. */
function decode(hex: string, dtype: DType): FloatArray {
  const width = dtype === 'float32' ? 4 : 8;
  const view = new DataView(new Uint8Array(hex.match(/../g)!.map((byte) => parseInt(byte, 16))).buffer);
  const out = dtype === 'float32' ? new Float32Array(hex.length / 8) : new Float64Array(hex.length / 16);
  for (let i = 0; i < out.length; i++) out[i] = width === 4 ? view.getFloat32(4 * i) : view.getFloat64(8 * i);
  return out;
}

function tensors(hex: Hex, dtype: DType): Record<Name, FloatArray> {
  return { a: decode(hex[0]!, dtype), b: decode(hex[1]!, dtype) };
}

interface Steppable {
  paramGroups: Array<{ lr: number }>;
  step(grads: Record<Name, FloatArray>): unknown;
  stateOf(name: Name): Readonly<Record<string, FloatArray>>;
}

/** Replays one case; returns the largest |difference| / bound seen (for the report), failing on any excess. */
function replay(row: OptimizerRow, fixture: OptimizerFixture, c: OptimizerFixture['cases'][number], dtype: DType): number {
  const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  const params = tensors(fixture.dtypes[dtype].initial, dtype);
  const opt: Steppable = row.create(params, { ...c.options, backend: 'js' });
  const errs: Record<Name, Array<Record<string, number>>> = {
    a: Array.from(params.a, () => ({ p: 0, m: 0, v: 0, vmax: 0, buf: 0, sum: 0, sq: 0, ga: 0 })),
    b: Array.from(params.b, () => ({ p: 0, m: 0, v: 0, vmax: 0, buf: 0, sum: 0, sq: 0, ga: 0 })),
  };
  let worst = 0;
  fixture.dtypes[dtype].grads.forEach((gradHex, t) => {
    if (t === fixture.lrChange.beforeStep) for (const g of opt.paramGroups) g.lr = g.lr * fixture.lrChange.factor;
    const grads = tensors(gradHex, dtype);
    const before = Object.fromEntries(names.map((n) => [n, { p: params[n].slice(), state: snapshot(opt.stateOf(n)) }]));
    opt.step(grads);
    const expected = tensors(c[dtype][t]!, dtype);
    for (const n of names) {
      const after = opt.stateOf(n);
      for (let i = 0; i < params[n].length; i++) {
        const err = errs[n][i]!;
        const valuesAt = (state: Record<string, FloatArray>) => Object.fromEntries(Object.entries(state).map(([k, a]) => [k, a[i]!]));
        row.torch.bound(
          {
            u,
            g: grads[n][i]!,
            p0: before[n]!.p[i]!,
            p1: params[n][i]!,
            lr: opt.paramGroups[0]!.lr,
            step: t + 1,
            before: t === 0 ? initialState(row, c.options) : valuesAt(before[n]!.state),
            after: valuesAt(after),
          },
          err,
          c.options,
        );
        const diff = Math.abs(params[n][i]! - expected[n][i]!);
        if (!(diff <= err.p!)) {
          expect.fail(
            `${c.name} ${dtype} step ${t + 1} ${n}[${i}]: ours ${params[n][i]} vs torch ${expected[n][i]}, |diff| ${diff} > bound ${err.p}`,
          );
        }
        if (err.p! > 0) worst = Math.max(worst, diff / err.p!);
      }
    }
  });
  return worst;
}

function snapshot(state: Readonly<Record<string, FloatArray>>): Record<string, FloatArray> {
  return Object.fromEntries(Object.entries(state).map(([k, a]) => [k, a.slice()]));
}

/** Each state buffer's value before the first step, as the definition creates it under these options. */
function initialState(row: OptimizerRow, options: Record<string, unknown>): Record<string, number> {
  return Object.fromEntries(row.definition.buffers({ ...row.definition.defaults, ...options }).map((b) => [b.key, b.initial]));
}

for (const row of optimizers) {
  const fixture = load(row.torch.fixture);
  describe(`${fixture.optimizer} from ${fixture.torch === undefined ? fixture.source : `torch ${fixture.torch}`}`, () => {
    for (const c of fixture.cases) {
      for (const dtype of ['float32', 'float64'] as const) {
        it(`${c.name} (${dtype}, ${fixture.dtypes[dtype].grads.length} steps)`, () => {
          const worst = replay(row, fixture, c, dtype);
          if (process.env.TORCH_AGREEMENT_REPORT)
            console.log(`${row.torch.fixture} ${c.name} ${dtype}: max |diff|/bound = ${worst.toFixed(3)}`);
        });
      }
    }
  });
}
