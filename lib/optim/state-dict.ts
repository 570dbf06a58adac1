/**
 * Optimizer state as plain data (`stateDict`) and its validation before loading. Its file
 * format is lib/io/state-file.ts.
 */
import type { FloatArray } from '../../binding.js';
import { checkNumber, checkPlainObject, isPlainObject, rangeError, typeError } from '../validate.js';

export const STATE_FORMAT = 'adam-simd.optimizer';
export const STATE_VERSION = 1;

export interface StateDict<O = Record<string, unknown>> {
  format: typeof STATE_FORMAT;
  version: number;
  /** The optimizer class, e.g. 'Adam'. */
  optimizer: string;
  /** Steps taken. */
  step: number;
  /** Hyperparameters per group, with the names of its parameters. */
  paramGroups: Array<{ params: string[] } & O>;
  /** Per parameter: its state buffers (e.g. expAvg, expAvgSq), copies. */
  state: Record<string, Record<string, FloatArray>>;
}

/** What a state must match to be loaded into a given optimizer. */
export interface StateExpectation {
  optimizer: string;
  params: Record<string, FloatArray>;
  groupParams: readonly (readonly string[])[];
  stateKeys: readonly string[];
  validateGroup(group: Record<string, unknown>, where: string): void;
  optionKeys: readonly string[];
}

/** Names never accepted from a state (a crafted `"__proto__"` would reach Object.prototype). */
export const RESERVED_NAMES: ReadonlySet<string> = new Set(['__proto__']);

/** State buffers that are sums of squares (Adam's second moments, Adagrad's sum, RMSprop's average): never negative. */
const NON_NEGATIVE: ReadonlySet<string> = new Set(['expAvgSq', 'maxExpAvgSq', 'stateSum', 'squareAvg']);

/** Steps stay exact integers, with room for one more. */
const MAX_STEP = Number.MAX_SAFE_INTEGER - 1;

// The engine's own views of a typed array, which an own `length` or `constructor` property
// on a crafted object cannot fake (and which throw for anything but a real typed array).
const typedArrayPrototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
const lengthOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'length')!.get! as (this: unknown) => number;
const tagOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, Symbol.toStringTag)!.get! as (this: unknown) => string | undefined;
const bufferOf = Object.getOwnPropertyDescriptor(typedArrayPrototype, 'buffer')!.get! as (this: unknown) => ArrayBufferLike;

/**
 * Checks everything about `s` against the optimizer it is loaded into and returns a snapshot
 * to load from: every field read once, option values and shared-memory buffers copied, in
 * prototype-less objects. Loading from the snapshot can then not fail half-way, and no getter
 * or other thread can change what was checked. Throws a TypeError/RangeError naming the
 * offending field.
 */
export function checkStateDict(s: unknown, e: StateExpectation, where: string): StateDict {
  const d = checkPlainObject(where, s);
  const { format, version, optimizer, step, paramGroups, state } = d;
  if (format !== STATE_FORMAT) throw typeError(`${where}.format`, `'${STATE_FORMAT}'`, format);
  if (version !== STATE_VERSION)
    throw new RangeError(`${where}.version is ${String(version)}; this adam-simd reads version ${STATE_VERSION}`);
  if (optimizer !== e.optimizer) throw new TypeError(`${where} is the state of ${String(optimizer)}, not ${e.optimizer}`);
  checkNumber(`${where}.step`, step, { min: 0, max: MAX_STEP, integer: true });

  if (!Array.isArray(paramGroups) || paramGroups.length !== e.groupParams.length) {
    throw new RangeError(
      `${where}.paramGroups must hold ${e.groupParams.length} group(s) like the optimizer's, received ${Array.isArray(paramGroups) ? paramGroups.length : typeof paramGroups}`,
    );
  }
  const groups = e.groupParams.map((expected, i) => {
    const at = `${where}.paramGroups[${i}]`;
    const g = checkPlainObject(at, paramGroups[i]);
    const params: unknown = g.params;
    if (!Array.isArray(params) || params.length !== expected.length || params.some((n, j) => n !== expected[j])) {
      throw new RangeError(`${at}.params must be [${expected.join(', ')}] like the optimizer's, received ${JSON.stringify(params)}`);
    }
    const copy = Object.create(null) as Record<string, unknown>;
    copy.params = [...expected];
    for (const key of e.optionKeys) {
      if (!Object.hasOwn(g, key)) throw new TypeError(`${at}.${key} is missing`);
      const value = g[key];
      copy[key] = Array.isArray(value) ? [...value] : value;
    }
    e.validateGroup(copy, at);
    return copy as StateDict['paramGroups'][number];
  });

  const buffers = Object.create(null) as StateDict['state'];
  const stateObject = checkPlainObject(`${where}.state`, state);
  for (const name of Object.keys(stateObject)) {
    if (RESERVED_NAMES.has(name) || !Object.hasOwn(e.params, name)) {
      throw new RangeError(
        `${where}.state has '${name}', which is not a parameter of this optimizer (parameters: ${Object.keys(e.params).join(', ')})`,
      );
    }
    const param = e.params[name]!;
    const raw = stateObject[name];
    if (!isPlainObject(raw)) throw typeError(`${where}.state.${name}`, 'an object of state buffers', raw);
    const checked = (buffers[name] = Object.create(null) as Record<string, FloatArray>);
    for (const key of Object.keys(raw)) {
      const at = `${where}.state.${name}.${key}`;
      if (!e.stateKeys.includes(key))
        throw new TypeError(`${at} is not a state buffer of ${e.optimizer} (expected ${e.stateKeys.join(', ')})`);
      checked[key] = checkBuffer(at, raw[key], param, `params.${name}`, NON_NEGATIVE.has(key));
    }
  }
  return {
    format: STATE_FORMAT,
    version: STATE_VERSION,
    optimizer: e.optimizer,
    step: step as number,
    paramGroups: groups,
    state: buffers,
  };
}

/** A real typed array like `param` (dtype, length) holding finite (and, if asked, non-negative) values. */
function checkBuffer(at: string, value: unknown, param: FloatArray, paramName: string, nonNegative: boolean): FloatArray {
  let tag: string | undefined;
  try {
    tag = ArrayBuffer.isView(value) ? tagOf.call(value) : undefined;
  } catch {
    tag = undefined;
  }
  if (tag !== tagOf.call(param)) throw typeError(at, `a ${param.constructor.name} like ${paramName}`, value);
  const array = value as FloatArray;
  const length = lengthOf.call(array);
  if (length !== param.length) throw new RangeError(`${at} has ${length} elements but ${paramName} has ${param.length}`);
  // Another thread could change shared memory after the check: check (and load) a copy.
  const own = bufferOf.call(array) instanceof SharedArrayBuffer ? new (tag === 'Float32Array' ? Float32Array : Float64Array)(array) : array;
  for (let i = 0; i < length; i++) {
    const x = own[i]!;
    if (!Number.isFinite(x) || (nonNegative && !(x >= 0))) {
      throw rangeError(`${at}[${i}]`, nonNegative ? 'a finite number ≥ 0' : 'a finite number', x);
    }
  }
  return own;
}
