/**
 * Optimizer state as plain data (`stateDict`), its validation before loading, and its
 * versioned binary file format with a checksum.
 */
import type { FloatArray } from '../../binding.js';
import { checkNumber, checkPlainObject, isFloatArray, isPlainObject, typeError } from '../validate.js';
import { crc32 } from './crc32.js';

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

const MAGIC = 'ADAMSIMD';
const HEADER = 16; // magic (8) + version (4) + JSON length (4)

interface BufferEntry {
  param: string;
  key: string;
  dtype: 'f32' | 'f64';
  length: number;
}

/**
 * The file: "ADAMSIMD", u32 version, u32 JSON length, JSON (optimizer, step, paramGroups,
 * buffer list), padding to 8 bytes, the buffers' bytes (each padded to 8), u32 CRC-32 of
 * everything before it. Little-endian.
 */
export function encodeState(s: StateDict): Uint8Array {
  const entries: BufferEntry[] = [];
  const arrays: FloatArray[] = [];
  for (const [param, buffers] of Object.entries(s.state)) {
    for (const [key, array] of Object.entries(buffers)) {
      entries.push({ param, key, dtype: array instanceof Float32Array ? 'f32' : 'f64', length: array.length });
      arrays.push(array);
    }
  }
  const json = new TextEncoder().encode(JSON.stringify({ optimizer: s.optimizer, step: s.step, paramGroups: s.paramGroups, buffers: entries }));
  const dataStart = pad8(HEADER + json.length);
  const size = arrays.reduce((n, a) => n + pad8(a.byteLength), dataStart) + 4;
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, STATE_VERSION, true);
  view.setUint32(12, json.length, true);
  bytes.set(json, HEADER);
  let offset = dataStart;
  for (const a of arrays) {
    bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), offset);
    offset += pad8(a.byteLength);
  }
  view.setUint32(size - 4, crc32(bytes.subarray(0, size - 4)), true);
  return bytes;
}

/** Parses a state file; throws a RangeError saying what is wrong (truncated, corrupted, wrong version). */
export function decodeState(bytes: Uint8Array, file: string): StateDict {
  const fail = (why: string) => new RangeError(`${file} is not a valid adam-simd state file: ${why}`);
  if (bytes.length < HEADER + 4) throw fail(`it has only ${bytes.length} bytes (truncated?)`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw fail('it does not start with "ADAMSIMD"');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== STATE_VERSION) throw new RangeError(`${file} has state file version ${version}; this adam-simd reads version ${STATE_VERSION}`);
  const stored = view.getUint32(bytes.length - 4, true);
  if (crc32(bytes.subarray(0, bytes.length - 4)) !== stored) throw fail('its checksum does not match (truncated or corrupted)');

  const jsonLength = view.getUint32(12, true);
  if (HEADER + jsonLength > bytes.length - 4) throw fail('its header runs past the end');
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(HEADER, HEADER + jsonLength))) as {
    optimizer: string;
    step: number;
    paramGroups: StateDict['paramGroups'];
    buffers: BufferEntry[];
  };
  const state: StateDict['state'] = {};
  let offset = pad8(HEADER + jsonLength);
  for (const b of header.buffers) {
    const Ctor = b.dtype === 'f32' ? Float32Array : Float64Array;
    const byteLength = b.length * Ctor.BYTES_PER_ELEMENT;
    if (offset + byteLength > bytes.length - 4) throw fail(`buffer ${b.param}.${b.key} runs past the end`);
    const array = new Ctor(b.length);
    new Uint8Array(array.buffer).set(bytes.subarray(offset, offset + byteLength));
    (state[b.param] ??= {})[b.key] = array;
    offset += pad8(byteLength);
  }
  return { format: STATE_FORMAT, version, optimizer: header.optimizer, step: header.step, paramGroups: header.paramGroups, state };
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
