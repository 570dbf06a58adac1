/**
 * Argument validation for every public function, in one module (like sharp's lib/is.js).
 * Each check throws a TypeError (wrong kind of value) or RangeError (right kind, bad value)
 * whose message names the argument, says what was expected and shows what was received.
 * Callers validate everything before they touch any buffer.
 */
import type { FloatArray } from '../binding.js';

/** A short, readable description of any value for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'boolean' || typeof value === 'symbol') return String(value);
  if (typeof value === 'function') return 'a function';
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as { length?: number }).length ?? value.byteLength})`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const name = (value as object).constructor?.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

export function typeError(name: string, expected: string, received: unknown): TypeError {
  return new TypeError(`${name} must be ${expected}, received ${describe(received)}`);
}

export function rangeError(name: string, expected: string, received: unknown): RangeError {
  return new RangeError(`${name} must be ${expected}, received ${describe(received)}`);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || ArrayBuffer.isView(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export function isFloatArray(value: unknown): value is FloatArray {
  return value instanceof Float32Array || value instanceof Float64Array;
}

export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive upper bound. */
  below?: number;
  integer?: boolean;
}

/** A finite number within the rule's bounds. */
export function checkNumber(name: string, value: unknown, rule: NumberRule = {}): number {
  if (typeof value !== 'number') throw typeError(name, 'a number', value);
  if (!Number.isFinite(value)) throw rangeError(name, 'a finite number', value);
  if (rule.integer && !Number.isInteger(value)) throw rangeError(name, 'an integer', value);
  const bounds: string[] = [];
  if (rule.min !== undefined) bounds.push(`≥ ${rule.min}`);
  if (rule.above !== undefined) bounds.push(`> ${rule.above}`);
  if (rule.max !== undefined) bounds.push(`≤ ${rule.max}`);
  if (rule.below !== undefined) bounds.push(`< ${rule.below}`);
  const ok =
    (rule.min === undefined || value >= rule.min) &&
    (rule.above === undefined || value > rule.above) &&
    (rule.max === undefined || value <= rule.max) &&
    (rule.below === undefined || value < rule.below);
  if (!ok) throw rangeError(name, `${rule.integer ? 'an integer' : 'a number'} ${bounds.join(' and ')}`, value);
  return value;
}

export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw typeError(name, 'a boolean', value);
  return value;
}

export function checkOneOf<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (typeof value !== 'string' || !choices.includes(value as T)) {
    throw typeError(name, `one of ${choices.map((c) => `'${c}'`).join(', ')}`, value);
  }
  return value as T;
}

/**
 * An option's value, or `fallback` when it is left out. Only undefined means "left out":
 * null is a value, checked (and refused) like any other, where `??` would take the default.
 */
export function orDefault<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/** A Matrix { data, rows, cols } (lib/data/matrix.ts): rows · cols elements of a Float32Array or Float64Array. */
export function checkMatrix(name: string, value: unknown): { data: FloatArray; rows: number; cols: number } {
  const m = value as { data?: unknown; rows?: unknown; cols?: unknown } | null;
  if (typeof m !== 'object' || m === null || !isFloatArray(m.data)) {
    throw typeError(name, 'a Matrix { data, rows, cols } over a Float32Array or Float64Array (see matrixFromRows)', value);
  }
  const rows = checkNumber(`${name}.rows`, m.rows, { min: 0, integer: true });
  const cols = checkNumber(`${name}.cols`, m.cols, { min: 0, integer: true });
  if (m.data.length !== rows * cols)
    throw new RangeError(`${name} must have rows · cols = ${rows} · ${cols} elements, received ${m.data.length}`);
  return { data: m.data, rows, cols };
}

/** A function, or undefined when absent (callbacks such as `log` and `onEpochEnd`). */
export function checkOptionalFunction<F>(name: string, value: unknown): F | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') throw typeError(name, 'a function', value);
  return value as F;
}

export function checkPlainObject(name: string, value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw typeError(name, 'a plain object', value);
  return value;
}

/** Throws a TypeError naming the first key of `value` that is not in `known`. */
export function checkKnownKeys(name: string, value: Record<string, unknown>, known: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new TypeError(`${name} has an unknown option '${key}' (known options: ${known.join(', ')})`);
    }
  }
}

export function checkFloatArray(name: string, value: unknown): FloatArray {
  if (!isFloatArray(value)) throw typeError(name, 'a Float32Array or Float64Array', value);
  return value;
}

/** An array like `like`: same dtype and length. */
export function checkSameShape(name: string, value: unknown, like: FloatArray, likeName: string): FloatArray {
  const array = checkFloatArray(name, value);
  if (array.constructor !== like.constructor) {
    throw typeError(name, `a ${like.constructor.name} like ${likeName}`, array);
  }
  if (array.length !== like.length) {
    if (isDetached(array.buffer))
      throw new TypeError(`${name} is backed by a detached ArrayBuffer (transferred or detached after it was made)`);
    throw new RangeError(`${name} has ${array.length} elements but ${likeName} has ${like.length}`);
  }
  return array;
}

/** True for a detached ArrayBuffer (Node 20 has no `detached` property; slicing one throws). */
export function isDetached(buffer: ArrayBufferLike): boolean {
  if (!(buffer instanceof ArrayBuffer)) return false;
  if ('detached' in buffer) return (buffer as { detached: boolean }).detached;
  try {
    buffer.slice(0, 0);
    return false;
  } catch {
    return true;
  }
}

interface Region {
  name: string;
  array: ArrayBufferView;
  written: boolean;
}

/**
 * Throws a RangeError if a written array shares memory with any other array (read-only
 * arrays may share memory with each other). The native binding checks this too; this copy
 * protects the TypeScript backend and gives the public API's names.
 */
export function checkDisjoint(where: string, regions: readonly Region[]): void {
  const byBuffer = new Map<ArrayBufferLike, Region[]>();
  for (const r of regions) {
    if (r.array.byteLength === 0) continue;
    const list = byBuffer.get(r.array.buffer);
    if (list) list.push(r);
    else byBuffer.set(r.array.buffer, [r]);
  }
  for (const list of byBuffer.values()) {
    if (list.length < 2) continue;
    list.sort((a, b) => a.array.byteOffset - b.array.byteOffset);
    let furthest: Region | undefined;
    let furthestWritten: Region | undefined;
    for (const r of list) {
      const clash = r.written ? furthest : furthestWritten;
      if (clash && r.array.byteOffset < end(clash)) {
        throw new RangeError(`${where}: ${clash.name} and ${r.name} share memory; every buffer a call writes must be its own`);
      }
      if (!furthest || end(r) > end(furthest)) furthest = r;
      if (r.written && (!furthestWritten || end(r) > end(furthestWritten))) furthestWritten = r;
    }
  }
}

function end(r: Region): number {
  return r.array.byteOffset + r.array.byteLength;
}

/**
 * An array of finite numbers (a model file's weights, means, …), of `length` elements if
 * given; with `float32`, each exactly a float32 value, so storing it never rounds silently.
 */
export function checkNumberArray(name: string, value: unknown, length?: number, float32 = false): number[] {
  if (!Array.isArray(value)) throw typeError(name, 'an array of numbers', value);
  if (length !== undefined && value.length !== length)
    throw new RangeError(`${name} must have ${length} elements, received ${value.length}`);
  value.forEach((v, i) => {
    checkNumber(`${name}[${i}]`, v);
    if (float32 && Math.fround(v) !== v) throw rangeError(`${name}[${i}]`, 'a float32 value (the model is float32)', v);
  });
  return value as number[];
}

/** The one public spelling of an element type (`createParameters`, models, matrices, files). */
export type Dtype = 'float32' | 'float64';

export const DTYPES: readonly Dtype[] = ['float32', 'float64'];

/** @deprecated The old spelling of Dtype: still accepted (one DeprecationWarning), write 'float32' / 'float64'. */
export type LegacyDtype = 'f32' | 'f64';

/** The spelling of versions before 0.x: still read, with one DeprecationWarning per process. */
const LEGACY_DTYPES: Readonly<Record<string, Dtype>> = { f32: 'float32', f64: 'float64' };
let warnedLegacyDtype = false;

/**
 * 'float32' or 'float64'. The old 'f32' / 'f64' are accepted and mapped, with one
 * DeprecationWarning (code ADAM_SIMD_DTYPE_SPELLING) per process for a caller's argument;
 * `legacy: 'silent'` reads them from files written by older versions without one.
 */
export function checkDtype(name: string, value: unknown, legacy: 'warn' | 'silent' = 'warn'): Dtype {
  if (value === 'float32' || value === 'float64') return value;
  const mapped = typeof value === 'string' ? LEGACY_DTYPES[value] : undefined;
  if (mapped === undefined) throw typeError(name, `one of 'float32', 'float64'`, value);
  if (legacy === 'warn' && !warnedLegacyDtype) {
    warnedLegacyDtype = true;
    process.emitWarning(`${name}: the dtype spelling '${value as string}' is deprecated; use '${mapped}'`, {
      type: 'DeprecationWarning',
      code: 'ADAM_SIMD_DTYPE_SPELLING',
    });
  }
  return mapped;
}
