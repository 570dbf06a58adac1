/**
 * Optimizer state as plain data (`stateDict`) and its validation before loading. Its file
 * format is lib/io/state-file.ts.
 */
import type { FloatArray } from '../../binding.js';
import { checkNumber, checkPlainObject, isFloatArray, isPlainObject, typeError } from '../validate.js';

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

/**
 * Checks everything about `s` against the optimizer it is loaded into, so that loading can
 * then not fail half-way. Throws a TypeError/RangeError naming the offending field.
 */
export function checkStateDict(s: unknown, e: StateExpectation, where: string): StateDict {
  const d = checkPlainObject(where, s);
  if (d.format !== STATE_FORMAT) throw typeError(`${where}.format`, `'${STATE_FORMAT}'`, d.format);
  if (d.version !== STATE_VERSION) throw new RangeError(`${where}.version is ${String(d.version)}; this adam-simd reads version ${STATE_VERSION}`);
  if (d.optimizer !== e.optimizer) throw new TypeError(`${where} is the state of ${String(d.optimizer)}, not ${e.optimizer}`);
  checkNumber(`${where}.step`, d.step, { min: 0, integer: true });

  if (!Array.isArray(d.paramGroups) || d.paramGroups.length !== e.groupParams.length) {
    throw new RangeError(`${where}.paramGroups must hold ${e.groupParams.length} group(s) like the optimizer's, received ${Array.isArray(d.paramGroups) ? d.paramGroups.length : typeof d.paramGroups}`);
  }
  d.paramGroups.forEach((raw, i) => {
    const at = `${where}.paramGroups[${i}]`;
    const g = checkPlainObject(at, raw);
    const expected = e.groupParams[i]!;
    if (!Array.isArray(g.params) || g.params.length !== expected.length || g.params.some((n, j) => n !== expected[j])) {
      throw new RangeError(`${at}.params must be [${expected.join(', ')}] like the optimizer's, received ${JSON.stringify(g.params)}`);
    }
    for (const key of e.optionKeys) if (!(key in g)) throw new TypeError(`${at}.${key} is missing`);
    e.validateGroup(g, at);
  });

  const state = checkPlainObject(`${where}.state`, d.state);
  for (const [name, buffers] of Object.entries(state)) {
    const param = e.params[name];
    if (!param) throw new RangeError(`${where}.state has '${name}', which is not a parameter of this optimizer (parameters: ${Object.keys(e.params).join(', ')})`);
    if (!isPlainObject(buffers)) throw typeError(`${where}.state.${name}`, 'an object of state buffers', buffers);
    for (const [key, buffer] of Object.entries(buffers)) {
      const at = `${where}.state.${name}.${key}`;
      if (!e.stateKeys.includes(key)) throw new TypeError(`${at} is not a state buffer of ${e.optimizer} (expected ${e.stateKeys.join(', ')})`);
      if (!isFloatArray(buffer) || buffer.constructor !== param.constructor) throw typeError(at, `a ${param.constructor.name} like params.${name}`, buffer);
      if (buffer.length !== param.length) throw new RangeError(`${at} has ${buffer.length} elements but params.${name} has ${param.length}`);
    }
  }
  return d as unknown as StateDict;
}
