/**
 * The state file format (optimizer state, and Sequential models inside the same container),
 * streamed both ways so its size is bounded by neither `readFile`'s 2 GiB nor a single
 * Uint8Array's 4 GiB: the writer yields the header and views of the buffers in chunks to
 * writeFileAtomic; the reader reads through a file handle straight into the arrays it returns,
 * checking the CRC as it goes, and returns nothing unless the CRC matches.
 *
 * Layout: "ADAMSIMD", u32 version, u32 JSON length, JSON (optimizer, step, paramGroups, buffer
 * list), padding to 8 bytes, the buffers' bytes (each padded to 8), u32 CRC-32 of everything
 * before it. Little-endian.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { FloatArray } from '../../binding.js';
import { crc32 } from '../optim/crc32.js';
import { RESERVED_NAMES, STATE_FORMAT, STATE_VERSION, type StateDict } from '../optim/state-dict.js';
import { writeFileAtomic } from './atomic-write.js';

const MAGIC = 'ADAMSIMD';
const HEADER = 16; // magic (8) + version (4) + JSON length (4)
/** Bytes per read and per yielded view: bounded memory, and under every syscall limit. */
const CHUNK = 64 * 1024 * 1024;

interface BufferEntry {
  param: string;
  key: string;
  dtype: 'f32' | 'f64';
  length: number;
}

/**
 * Writes `s` to `path` atomically (lib/io/atomic-write.ts). The buffers are written from
 * where they are, not copied: they must not change until the promise settles (stateDict()
 * returns copies).
 */
export async function writeStateFile(path: string, s: StateDict): Promise<void> {
  await writeFileAtomic(path, stateChunks(s));
}

function* stateChunks(s: StateDict): Generator<Uint8Array> {
  const entries: BufferEntry[] = [];
  const arrays: FloatArray[] = [];
  for (const [param, buffers] of Object.entries(s.state)) {
    for (const [key, array] of Object.entries(buffers)) {
      entries.push({ param, key, dtype: array instanceof Float32Array ? 'f32' : 'f64', length: array.length });
      arrays.push(array);
    }
  }
  const json = new TextEncoder().encode(
    JSON.stringify({ optimizer: s.optimizer, step: s.step, paramGroups: s.paramGroups, buffers: entries }),
  );
  const head = new Uint8Array(pad8(HEADER + json.length));
  const view = new DataView(head.buffer);
  head.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, STATE_VERSION, true);
  view.setUint32(12, json.length, true);
  head.set(json, HEADER);
  let crc = crc32(head);
  yield head;
  for (const a of arrays) {
    // A Uint8Array holds at most 2³² bytes; a Float32Array may hold more: view it in pieces.
    for (let at = 0; at < a.byteLength; at += CHUNK) {
      const piece = new Uint8Array(a.buffer, a.byteOffset + at, Math.min(CHUNK, a.byteLength - at));
      crc = crc32(piece, crc);
      yield piece;
    }
    const padding = new Uint8Array(pad8(a.byteLength) - a.byteLength);
    crc = crc32(padding, crc);
    yield padding;
  }
  const tail = new Uint8Array(4);
  new DataView(tail.buffer).setUint32(0, crc, true);
  yield tail;
}

/**
 * Reads a state file; rejects with a RangeError naming the file and saying what is wrong
 * (truncated, corrupted, wrong version), without returning any of its content.
 */
export async function readStateFile(path: string): Promise<StateDict> {
  const handle = await open(path, 'r');
  try {
    return await readState(handle, path);
  } finally {
    await handle.close();
  }
}

async function readState(handle: FileHandle, file: string): Promise<StateDict> {
  const fail = (why: string) => new RangeError(`${file} is not a valid adam-simd state file: ${why}`);
  const { size } = await handle.stat();
  if (size < HEADER + 4) throw fail(`it has only ${size} bytes (truncated?)`);
  const read = async (target: Uint8Array, position: number): Promise<Uint8Array> => {
    for (let done = 0; done < target.length; ) {
      const { bytesRead } = await handle.read(target, done, target.length - done, position + done);
      if (bytesRead === 0) throw fail('it ended early (truncated while being read?)');
      done += bytesRead;
    }
    return target;
  };

  const head = await read(new Uint8Array(HEADER), 0);
  if (new TextDecoder().decode(head.subarray(0, 8)) !== MAGIC) throw fail('it does not start with "ADAMSIMD"');
  const view = new DataView(head.buffer);
  const version = view.getUint32(8, true);
  if (version !== STATE_VERSION)
    throw new RangeError(`${file} has state file version ${version}; this adam-simd reads version ${STATE_VERSION}`);
  const jsonLength = view.getUint32(12, true);
  if (HEADER + jsonLength > size - 4) throw fail('its header runs past the end (truncated or corrupted)');
  const json = await read(new Uint8Array(jsonLength), HEADER);
  const header = parseHeader(json, fail);

  // The layout the header describes must fill the file exactly; this also bounds every
  // allocation below by the file's size.
  const dataStart = pad8(HEADER + jsonLength);
  const expected = header.buffers.reduce((n, b) => n + pad8(b.length * bytesPer(b.dtype)), dataStart) + 4;
  if (expected !== size) throw fail(`its header describes ${expected} bytes but it has ${size} (truncated or corrupted)`);

  let crc = crc32(json, crc32(head));
  let position = HEADER + jsonLength;
  const gap = await read(new Uint8Array(dataStart - position), position);
  crc = crc32(gap, crc);
  position = dataStart;
  // Prototype-less: a parameter named like an Object.prototype member finds nothing there.
  const state = Object.create(null) as StateDict['state'];
  for (const b of header.buffers) {
    const array = b.dtype === 'f32' ? new Float32Array(b.length) : new Float64Array(b.length);
    for (let at = 0; at < array.byteLength; at += CHUNK) {
      const piece = await read(new Uint8Array(array.buffer, at, Math.min(CHUNK, array.byteLength - at)), position + at);
      crc = crc32(piece, crc);
    }
    const padding = await read(new Uint8Array(pad8(array.byteLength) - array.byteLength), position + array.byteLength);
    crc = crc32(padding, crc);
    position += pad8(array.byteLength);
    (state[b.param] ??= Object.create(null) as Record<string, FloatArray>)[b.key] = array;
  }
  const stored = new DataView((await read(new Uint8Array(4), position)).buffer).getUint32(0, true);
  if (crc !== stored) throw fail('its checksum does not match (truncated or corrupted)');
  return { format: STATE_FORMAT, version, optimizer: header.optimizer, step: header.step, paramGroups: header.paramGroups, state };
}

interface Header {
  optimizer: string;
  step: number;
  paramGroups: StateDict['paramGroups'];
  buffers: BufferEntry[];
}

/** The JSON header, checked just enough to lay out the buffers; checkStateDict checks the rest. */
function parseHeader(json: Uint8Array, fail: (why: string) => RangeError): Header {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw fail('its header is not valid UTF-8 (corrupted)');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch {
    throw fail('its header is not valid JSON (corrupted)');
  }
  // JSON.parse makes "__proto__" an own key, but any later copy by assignment would set a
  // prototype from it: refuse it anywhere in the header (walked without recursion limits).
  const reserved = findReservedKey(header);
  if (reserved !== undefined) throw fail(`its header uses the reserved name ${JSON.stringify(reserved)} (a crafted file?)`);
  const h = header as Partial<Header> | null;
  if (h === null || typeof h !== 'object' || !Array.isArray(h.buffers)) throw fail('its header has no buffer list (corrupted)');
  h.buffers.forEach((b: Partial<BufferEntry> | null, i) => {
    const ok =
      b !== null &&
      typeof b === 'object' &&
      typeof b.param === 'string' &&
      typeof b.key === 'string' &&
      !RESERVED_NAMES.has(b.param) &&
      !RESERVED_NAMES.has(b.key) &&
      (b.dtype === 'f32' || b.dtype === 'f64') &&
      Number.isSafeInteger(b.length) &&
      b.length! >= 0;
    if (!ok)
      throw fail(`its header's buffers[${i}] is not {param, key (not a reserved name), dtype 'f32'|'f64', length} (corrupted or crafted)`);
  });
  const seen = new Set<string>();
  for (const { param, key } of h.buffers as BufferEntry[]) {
    const id = JSON.stringify([param, key]);
    if (seen.has(id)) throw fail(`its header lists buffer ${param}.${key} twice (corrupted)`);
    seen.add(id);
  }
  return h as Header;
}

/** The first reserved name used as a key anywhere in a parsed JSON value, if any. */
function findReservedKey(root: unknown): string | undefined {
  const pending: unknown[] = [root];
  while (pending.length > 0) {
    const value = pending.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const key of Object.keys(value)) {
      if (RESERVED_NAMES.has(key)) return key;
      pending.push((value as Record<string, unknown>)[key]);
    }
  }
  return undefined;
}

function bytesPer(dtype: BufferEntry['dtype']): number {
  return dtype === 'f32' ? 4 : 8;
}

function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
