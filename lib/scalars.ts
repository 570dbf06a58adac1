/**
 * Per-step scalars: computed here, once per step, in float64, and handed unchanged to every
 * backend (native/NUMERICS.md, "Per-step scalars"). No backend computes them itself, which
 * is what lets every backend produce the same bits.
 */
import type { AdagradScalars, AdamScalars, LionScalars, RmspropScalars, ScalarKeys, SgdScalars } from '../binding.js';
import { flagKeys, scalarKeys } from './generated/schema.js';

export { scalarKeys };

export type ScalarFamily = keyof ScalarKeys;

/**
 * `scalars` as the binding's fast form: a Float64Array in scalarKeys order, flags as 0 or 1,
 * written into `into` when given (the binding copies the values during the call, so a caller
 * can reuse one array: allocating a small typed array costs about a microsecond in Node 20),
 * from `offset` on.
 */
export function packScalars(family: ScalarFamily, scalars: object, into?: Float64Array, offset = 0): Float64Array {
  const values = scalars as Record<string, number | boolean | undefined>;
  const keys = scalarKeys[family];
  const packed = into ?? new Float64Array(keys.length);
  // The scalar functions below build their objects in key order: for-in then reads each
  // value by its slot, where a lookup by name (a different name at one site) costs ~150
  // instructions, most of a small step's packing. Any other object takes the lookups.
  let i = 0;
  for (const key in values) {
    if (key !== keys[i]) break;
    packed[offset + i] = Number(values[key] ?? 0);
    i++;
  }
  for (; i < keys.length; i++) packed[offset + i] = Number(values[keys[i]!] ?? 0);
  return packed;
}

/**
 * True when all `count` packed scalars from `offset` are finite as float32s, so that
 * checkStepScalars has nothing to refuse: it refuses only derived scalars that are not.
 * Lets a step skip the named check, which reads each derived scalar by name.
 */
export function fitFloat32(packed: Float64Array, offset: number, count: number): boolean {
  for (let i = offset; i < offset + count; i++) if (!Number.isFinite(Math.fround(packed[i]!))) return false;
  return true;
}

/** The object form of packed scalars (flags back to booleans), for the reference backend. */
export function unpackScalars<S>(family: ScalarFamily, scalars: S | Float64Array): S {
  if (!(scalars instanceof Float64Array)) return scalars;
  const keys = scalarKeys[family];
  return Object.fromEntries(keys.map((key, i) => [key, flagKeys[family].has(key) ? scalars[i] === 1 : scalars[i]])) as S;
}

/** bᵗ by binary exponentiation, in the fixed order of NUMERICS.md (Math.pow may differ by an ulp across engines). */
export function powInt(base: number, exponent: number): number {
  let result = 1;
  let b = base;
  let e = exponent;
  while (e > 0) {
    if (e % 2 === 1) result *= b;
    b *= b;
    e = Math.floor(e / 2);
  }
  return result;
}

export interface AdamHyper {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** AdamW: weight decay applied to the parameter, not added to the gradient. */
  decoupled: boolean;
  amsgrad: boolean;
  maximize: boolean;
}

export function adamScalars(h: AdamHyper, step: number): AdamScalars {
  const bc1 = 1 - powInt(h.beta1, step);
  const bc2 = 1 - powInt(h.beta2, step);
  const sqrtBc2 = Math.sqrt(bc2);
  return {
    beta1: h.beta1,
    oneMinusBeta1: 1 - h.beta1,
    beta2: h.beta2,
    oneMinusBeta2: 1 - h.beta2,
    stepSize: (h.lr / bc1) * sqrtBc2,
    eps: h.eps * sqrtBc2,
    weightDecay: h.decoupled ? 0 : h.weightDecay,
    decay: h.decoupled ? 1 - h.lr * h.weightDecay : 1,
    amsgrad: h.amsgrad,
    maximize: h.maximize,
  };
}

export interface SgdHyper {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** `firstStep`: the momentum buffers have never been written. */
export function sgdScalars(h: SgdHyper, firstStep: boolean): SgdScalars {
  return {
    lr: h.lr,
    momentum: h.momentum,
    oneMinusDampening: 1 - h.dampening,
    weightDecay: h.weightDecay,
    firstStep,
    nesterov: h.nesterov,
    maximize: h.maximize,
  };
}

export interface AdagradHyper {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

export function adagradScalars(h: AdagradHyper, step: number): AdagradScalars {
  return {
    clr: h.lr / (1 + (step - 1) * h.lrDecay),
    eps: h.eps,
    weightDecay: h.weightDecay,
    maximize: h.maximize,
  };
}

export interface RmspropHyper {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/** Nothing depends on the step: torch's RMSprop has no bias correction. */
export function rmspropScalars(h: RmspropHyper): RmspropScalars {
  return {
    lr: h.lr,
    alpha: h.alpha,
    oneMinusAlpha: 1 - h.alpha,
    eps: h.eps,
    weightDecay: h.weightDecay,
    momentum: h.momentum,
    centered: h.centered,
    maximize: h.maximize,
  };
}

export interface LionHyper {
  lr: number;
  beta1: number;
  beta2: number;
  weightDecay: number;
}

/** Weight decay is decoupled, as in the Lion paper: the parameter is multiplied by 1 − lr · weightDecay. */
export function lionScalars(h: LionHyper): LionScalars {
  return {
    lr: h.lr,
    beta1: h.beta1,
    oneMinusBeta1: 1 - h.beta1,
    beta2: h.beta2,
    oneMinusBeta2: 1 - h.beta2,
    decay: 1 - h.lr * h.weightDecay,
  };
}

// Each derived scalar's option and formula: the schema's derivedFrom (native/schema/optimizers.json).
import { derivedScalars } from './generated/schema.js';

/**
 * The one check that a step's scalars fit the group's data type, for every backend, in the
 * user's terms: a kernel rounds each scalar to float32 for Float32Array tensors, and an
 * infinite one would write ±Infinity (or NaN) into every parameter. Throws a RangeError
 * naming `${where}.<option>`, the step, and the derived value. `hasFloat32` (does the group
 * hold Float32Array parameters?) is asked only when a value does not fit a float32, so the
 * usual step never scans the group's parameters.
 */
export function checkStepScalars(
  family: ScalarFamily,
  scalars: object,
  options: object,
  step: number,
  hasFloat32: () => boolean,
  where: string,
): void {
  const values = scalars as Record<string, number>;
  for (const { key, option, formula } of derivedScalars[family]) {
    const value = values[key]!;
    if (Number.isFinite(Math.fround(value))) continue;
    const float32 = Number.isFinite(value) ? hasFloat32() : false;
    if (Number.isFinite(value) && !float32) continue;
    const given = (options as Record<string, unknown>)[option];
    throw new RangeError(
      `${where}.${option} = ${String(given)} is too large at step ${step}: ${formula.replaceAll('^t', `^${step}`).replaceAll('(t − 1)', `(${step} − 1)`)} = ${value}, ` +
        `which is not finite${float32 ? ' as a float32 (the group has Float32Array parameters)' : ''}`,
    );
  }
}
