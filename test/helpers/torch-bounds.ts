/**
 * Running error bounds against torch.optim, one per optimizer (the test registry's `torch.bound`),
 * for test/torch-agreement.test.ts: why they hold is said there. Each bound takes one element's
 * step and updates `err`, the bound on each quantity's difference from torch's.
 */
import { adagradScalars, adamScalars } from '../../lib/scalars.js';

/** What the bound of one element needs from a step: values before and after, and the options. */
export interface ElementStep {
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
export type BoundStep = (s: ElementStep, err: Record<string, number>, o: Record<string, unknown>) => void;

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

export const adamBound =
  (decoupled: boolean): BoundStep =>
  (s, err, o) => {
    const [beta1, beta2] = (o.betas as [number, number] | undefined) ?? [0.9, 0.999];
    const weightDecay = (o.weightDecay as number | undefined) ?? (decoupled ? 1e-2 : 0);
    const sc = adamScalars(
      {
        lr: s.lr,
        beta1,
        beta2,
        eps: (o.eps as number | undefined) ?? 1e-8,
        weightDecay,
        decoupled,
        amsgrad: !!o.amsgrad,
        maximize: !!o.maximize,
      },
      s.step,
    );
    const { u } = s;
    const [g, eg] = gradWithDecay(s, err, sc.weightDecay, !!o.maximize);
    const m0 = s.before.expAvg!,
      m1 = s.after.expAvg!,
      v0 = s.before.expAvgSq!,
      v1 = s.after.expAvgSq!;
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

export const sgdBound: BoundStep = (s, err, o) => {
  const momentum = (o.momentum as number | undefined) ?? 0;
  const damp = (o.dampening as number | undefined) ?? 0;
  const [g, eg] = gradWithDecay(s, err, (o.weightDecay as number | undefined) ?? 0, !!o.maximize);
  let d = g;
  let ed = eg;
  if (momentum !== 0) {
    const b0 = s.before.momentumBuffer!,
      b1 = s.after.momentumBuffer!;
    err.buf =
      s.step === 1
        ? eg
        : momentum * err.buf! + (1 - damp) * eg + 2 * s.u * (Math.abs(momentum * b0) + Math.abs((1 - damp) * g) + Math.abs(b1));
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

export const adagradBound: BoundStep = (s, err, o) => {
  const sc = adagradScalars(
    {
      lr: s.lr,
      lrDecay: (o.lrDecay as number | undefined) ?? 0,
      weightDecay: (o.weightDecay as number | undefined) ?? 0,
      eps: (o.eps as number | undefined) ?? 1e-10,
      maximize: !!o.maximize,
    },
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

export const rmspropBound: BoundStep = (s, err, o) => {
  const alpha = (o.alpha as number | undefined) ?? 0.99;
  const momentum = (o.momentum as number | undefined) ?? 0;
  const eps = (o.eps as number | undefined) ?? 1e-8;
  const { u } = s;
  const [g, eg] = gradWithDecay(s, err, (o.weightDecay as number | undefined) ?? 0, !!o.maximize);
  const sq0 = s.before.squareAvg!,
    sq1 = s.after.squareAvg!;
  err.sq = alpha * (err.sq ?? 0) + (1 - alpha) * 2 * Math.abs(g) * eg + 2 * u * (alpha * sq0 + 2 * (1 - alpha) * g * g + sq1);
  let variance = sq1;
  let ev = err.sq;
  if (o.centered) {
    // var = sq − ga²: the error of ga enters squared and through 2|ga|
    const ga0 = s.before.gradAvg!,
      ga1 = s.after.gradAvg!;
    err.ga = alpha * (err.ga ?? 0) + (1 - alpha) * eg + 2 * u * (Math.abs(alpha * ga0) + Math.abs((1 - alpha) * g) + Math.abs(ga1));
    variance = sq1 - ga1 * ga1;
    ev = err.sq + 2 * Math.abs(ga1) * err.ga + err.ga * err.ga + 2 * u * (2 * ga1 * ga1 + Math.abs(variance));
  }
  const d = Math.sqrt(variance) + eps;
  const ed = sqrtErr(variance, ev) + 2 * u * (Math.sqrt(variance) + d);
  const q = g / d;
  const eq = divErr(g, d, eg, ed) + 2 * u * Math.abs(q);
  if (momentum !== 0) {
    const b0 = s.before.momentumBuffer!,
      b1 = s.after.momentumBuffer!;
    err.buf = momentum * err.buf! + eq + 2 * u * (Math.abs(momentum * b0) + Math.abs(b1));
    err.p = err.p! + s.lr * err.buf + 2 * u * (2 * Math.abs(s.lr * b1) + Math.abs(s.p1));
  } else {
    err.p = err.p! + s.lr * eq + 2 * u * (2 * Math.abs(s.lr * q) + Math.abs(s.p1));
  }
};

/** Lion's fixture (generate_lion.py) performs our very operations in NumPy: no difference is allowed. */
export const exactBound: BoundStep = (_s, err) => {
  err.p = 0;
};
