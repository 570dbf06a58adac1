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
 * Lion is not in torch 1.13: its fixture (generate_lion.py) is the paper's update written in
 * NumPy with our operation sequence, one rounded ufunc per operation, so it must match bit
 * for bit (a bound of 0).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { Adagrad } from '../lib/optim/adagrad.js';
import { Adam, AdamW } from '../lib/optim/adam.js';
import { Lion } from '../lib/optim/lion.js';
import { RMSprop } from '../lib/optim/rmsprop.js';
import { SGD } from '../lib/optim/sgd.js';
import { adagradScalars, adamScalars } from '../lib/scalars.js';

type DType = 'float32' | 'float64';
type Hex = string[]; // one hex string per tensor

interface OptimizerFixture {
  /** The torch version, or `source` for a fixture not made by torch. */
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

/** What the bound of one element needs from a step: values before and after, and the options. */
interface ElementStep {
  u: number;
  g: number; // the gradient as stored (before maximize)
  p0: number;
  p1: number;
  before: Record<string, number>;
  after: Record<string, number>;
  lr: number;
  step: number;
}

/** Running error bounds, per element: `err` holds the bound on each quantity's difference from torch's. */
type BoundStep = (s: ElementStep, err: Record<string, number>, o: Record<string, unknown>) => void;

/** |√a − √b| for |a − b| ≤ e, a our value (≥ 0). */
function sqrtErr(a: number, e: number): number {
  if (e === 0) return 0;
  return e / (Math.sqrt(a) + Math.sqrt(Math.max(a - e, 0)));
}

/** |x/y − x'/y'| for |x − x'| ≤ ex, |y − y'| ≤ ey, y > ey. */
function divErr(x: number, y: number, ex: number, ey: number): number {
  return (ex + Math.abs(x / y) * ey) / (y - ey);
}

/** g after maximize and the L2 term, with its error bound. */
function gradWithDecay(s: ElementStep, err: Record<string, number>, l2: number, maximize: boolean): [number, number] {
  const g = (maximize ? -s.g : s.g) + l2 * s.p0;
  const e = l2 === 0 ? 0 : l2 * err.p! + 2 * s.u * (Math.abs(l2 * s.p0) + Math.abs(g));
  return [g, e];
}

const adamBound = (decoupled: boolean): BoundStep => (s, err, o) => {
  const [beta1, beta2] = (o.betas as [number, number] | undefined) ?? [0.9, 0.999];
  const weightDecay = (o.weightDecay as number | undefined) ?? (decoupled ? 1e-2 : 0);
  const sc = adamScalars(
    { lr: s.lr, beta1, beta2, eps: (o.eps as number | undefined) ?? 1e-8, weightDecay, decoupled, amsgrad: !!o.amsgrad, maximize: !!o.maximize },
    s.step,
  );
  const { u } = s;
  const [g, eg] = gradWithDecay(s, err, sc.weightDecay, !!o.maximize);
  const m0 = s.before.expAvg!, m1 = s.after.expAvg!, v0 = s.before.expAvgSq!, v1 = s.after.expAvgSq!;
  err.m = beta1 * err.m! + (1 - beta1) * eg + 2 * u * (Math.abs(beta1 * m0) + Math.abs((1 - beta1) * g) + Math.abs(m1));
  err.v = beta2 * err.v! + (1 - beta2) * 2 * Math.abs(g) * eg + 2 * u * (beta2 * v0 + 2 * (1 - beta2) * g * g + v1);
  let sq = v1;
  if (o.amsgrad) {
    // max() is exact: its error is the larger input error
    err.vmax = Math.max(err.vmax!, err.v);
    sq = s.after.maxExpAvgSq!;
  }
  const es = o.amsgrad ? err.vmax! : err.v;
  // denominators: ours √s + eps·√bc2 (3 roundings incl. the scalar), torch's √s/√bc2 + eps (4)
  const d = Math.sqrt(sq) + sc.eps;
  const ed = sqrtErr(sq, es) + 2 * u * (2 * Math.sqrt(sq) + 2 * d);
  const q = m1 / d;
  const eq = divErr(m1, d, err.m, ed) + 2 * u * Math.abs(q);
  const update = sc.stepSize * q;
  // stepSize: rounded to the tensor type on both sides; torch's Python pow vs our powInt: a few float64 ulps
  const eUpdate = sc.stepSize * eq + Math.abs(update) * (4 * u + 16 * 2 ** -53);
  const pDecayed = s.p0 * sc.decay;
  const eDecay = sc.decay === 1 ? 0 : 2 * u * Math.abs(pDecayed) * 2;
  err.p = sc.decay * err.p! + eDecay + eUpdate + 2 * u * Math.abs(s.p1);
};

const sgdBound: BoundStep = (s, err, o) => {
  const momentum = (o.momentum as number | undefined) ?? 0;
  const damp = (o.dampening as number | undefined) ?? 0;
  const [g, eg] = gradWithDecay(s, err, (o.weightDecay as number | undefined) ?? 0, !!o.maximize);
  let d = g;
  let ed = eg;
  if (momentum !== 0) {
    const b0 = s.before.momentumBuffer!, b1 = s.after.momentumBuffer!;
    err.buf = s.step === 1 ? eg : momentum * err.buf! + (1 - damp) * eg + 2 * s.u * (Math.abs(momentum * b0) + Math.abs((1 - damp) * g) + Math.abs(b1));
    if (o.nesterov) {
      d = g + momentum * b1;
      ed = eg + momentum * err.buf + 2 * s.u * (Math.abs(momentum * b1) + Math.abs(d));
    } else {
      d = b1;
      ed = err.buf;
    }
  }
  err.p = err.p! + s.lr * ed + 2 * s.u * (2 * Math.abs(s.lr * d) + Math.abs(s.p1));
};

const adagradBound: BoundStep = (s, err, o) => {
  const sc = adagradScalars(
    { lr: s.lr, lrDecay: (o.lrDecay as number | undefined) ?? 0, weightDecay: (o.weightDecay as number | undefined) ?? 0, eps: (o.eps as number | undefined) ?? 1e-10, maximize: !!o.maximize },
    s.step,
  );
  const [g, eg] = gradWithDecay(s, err, sc.weightDecay, !!o.maximize);
  const sum = s.after.stateSum!;
  err.sum = err.sum! + 2 * Math.abs(g) * eg + 2 * s.u * (2 * g * g + sum);
  const d = Math.sqrt(sum) + sc.eps;
  const ed = sqrtErr(sum, err.sum) + 2 * s.u * (Math.sqrt(sum) + d);
  const q = g / d;
  const eq = divErr(g, d, eg, ed) + 2 * s.u * Math.abs(q);
  err.p = err.p! + sc.clr * eq + 2 * s.u * (2 * Math.abs(sc.clr * q) + Math.abs(s.p1));
};

const rmspropBound: BoundStep = (s, err, o) => {
  const alpha = (o.alpha as number | undefined) ?? 0.99;
  const momentum = (o.momentum as number | undefined) ?? 0;
  const eps = (o.eps as number | undefined) ?? 1e-8;
  const { u } = s;
  const [g, eg] = gradWithDecay(s, err, (o.weightDecay as number | undefined) ?? 0, !!o.maximize);
  const sq0 = s.before.squareAvg!, sq1 = s.after.squareAvg!;
  err.sq = alpha * err.sq! + (1 - alpha) * 2 * Math.abs(g) * eg + 2 * u * (alpha * sq0 + 2 * (1 - alpha) * g * g + sq1);
  let variance = sq1;
  let ev = err.sq;
  if (o.centered) {
    const ga0 = s.before.gradAvg!, ga1 = s.after.gradAvg!;
    err.ga = alpha * err.ga! + (1 - alpha) * eg + 2 * u * (Math.abs(alpha * ga0) + Math.abs((1 - alpha) * g) + Math.abs(ga1));
    variance = sq1 - ga1 * ga1;
    ev = err.sq + 2 * Math.abs(ga1) * err.ga + err.ga * err.ga + 2 * u * (2 * ga1 * ga1 + Math.abs(variance));
  }
  const d = Math.sqrt(variance) + eps;
  const ed = sqrtErr(variance, ev) + 2 * u * (Math.sqrt(variance) + d);
  const q = g / d;
  const eq = divErr(g, d, eg, ed) + 2 * u * Math.abs(q);
  if (momentum !== 0) {
    const b0 = s.before.momentumBuffer!, b1 = s.after.momentumBuffer!;
    err.buf = momentum * err.buf! + eq + 2 * u * (Math.abs(momentum * b0) + Math.abs(b1));
    err.p = err.p! + s.lr * err.buf + 2 * u * (2 * Math.abs(s.lr * b1) + Math.abs(s.p1));
  } else {
    err.p = err.p! + s.lr * eq + 2 * u * (2 * Math.abs(s.lr * q) + Math.abs(s.p1));
  }
};

/** The Lion fixture performs our very operations: no difference is allowed. */
const exactBound: BoundStep = (_s, err) => {
  err.p = 0;
};

interface Suite {
  file: string;
  make: (params: Record<Name, FloatArray>, options: Record<string, unknown>) => Steppable;
  bound: BoundStep;
  initialState: (o: Record<string, unknown>) => Record<string, number>;
}

const zeroState = () => ({ expAvg: 0, expAvgSq: 0, maxExpAvgSq: 0, momentumBuffer: 0 });
const suites: Suite[] = [
  { file: 'adam.json', make: (p, o) => new Adam(p, { ...o, backend: 'js' }), bound: adamBound(false), initialState: zeroState },
  { file: 'adamw.json', make: (p, o) => new AdamW(p, { ...o, backend: 'js' }), bound: adamBound(true), initialState: zeroState },
  { file: 'sgd.json', make: (p, o) => new SGD(p, { ...o, backend: 'js' } as never), bound: sgdBound, initialState: zeroState },
  {
    file: 'adagrad.json',
    make: (p, o) => new Adagrad(p, { ...o, backend: 'js' }),
    bound: adagradBound,
    initialState: (o) => ({ stateSum: (o.initialAccumulatorValue as number | undefined) ?? 0 }),
  },
  {
    file: 'rmsprop.json',
    make: (p, o) => new RMSprop(p, { ...o, backend: 'js' }),
    bound: rmspropBound,
    initialState: () => ({ squareAvg: 0, gradAvg: 0, momentumBuffer: 0 }),
  },
  { file: 'lion.json', make: (p, o) => new Lion(p, { ...o, backend: 'js' }), bound: exactBound, initialState: () => ({ expAvg: 0 }) },
];

/** Replays one case; returns the largest |difference| / bound seen (for the report), failing on any excess. */
function replay(suite: Suite, fixture: OptimizerFixture, c: OptimizerFixture['cases'][number], dtype: DType): number {
  const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  const params = tensors(fixture.dtypes[dtype].initial, dtype);
  const opt = suite.make(params, c.options);
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
        suite.bound(
          {
            u, g: grads[n][i]!, p0: before[n]!.p[i]!, p1: params[n][i]!, lr: opt.paramGroups[0]!.lr, step: t + 1,
            before: t === 0 ? suite.initialState(c.options) : valuesAt(before[n]!.state),
            after: valuesAt(after),
          },
          err,
          c.options,
        );
        const diff = Math.abs(params[n][i]! - expected[n][i]!);
        if (!(diff <= err.p!)) {
          expect.fail(`${c.name} ${dtype} step ${t + 1} ${n}[${i}]: ours ${params[n][i]} vs torch ${expected[n][i]}, |diff| ${diff} > bound ${err.p}`);
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

for (const suite of suites) {
  const fixture = load(suite.file);
  describe(`${fixture.optimizer} from ${fixture.torch === undefined ? fixture.source : `torch ${fixture.torch}`}`, () => {
    for (const c of fixture.cases) {
      for (const dtype of ['float32', 'float64'] as const) {
        it(`${c.name} (${dtype}, ${fixture.dtypes[dtype].grads.length} steps)`, () => {
          const worst = replay(suite, fixture, c, dtype);
          if (process.env.TORCH_AGREEMENT_REPORT) console.log(`${suite.file} ${c.name} ${dtype}: max |diff|/bound = ${worst.toFixed(3)}`);
        });
      }
    }
  });
}
