/**
 * The WebAssembly backend's working memory. The module computes only on its own memory, so
 * the caller's arrays are copied in and out: in chunks of CHUNK elements per array, through
 * a scratch area allocated once, so every copy is of data still in cache and a step moves
 * each byte from main memory no more often than the native addon does. The kernels are
 * element-wise (and reductions go block by block), so chunking changes no bit.
 */
import type { FloatArray } from '../../binding.js';
import { packScalars, scalarKeys, type ScalarFamily } from '../scalars.js';
import type { WasmExports } from './module.js';

/** Elements per array and chunk: 5 arrays (Adam with AMSGrad) of float64 fill 640 KiB. */
export const CHUNK = 16_384;
/** A reduction block (kReductionBlock): sumSquares copies one whole block at a time. */
export const BLOCK = 65_536;
/** Chunk slots: one per array role. */
const ROLES = 5;
const SCRATCH_BYTES = Math.max(ROLES * CHUNK, BLOCK) * 8;
/** Packed scalars (binding.scalarKeys order), at most this many float64s. */
const SCALARS = 16;
const F64 = new Float64Array(0);

export class Heap {
  readonly exports: WasmExports;
  /** Byte address of the packed scalars (setScalars). */
  readonly scalars: number;
  private readonly scratch: number;
  /** chunked()'s slot pointers, reused call after call. */
  private readonly pointers: number[] = new Array<number>(ROLES).fill(0);
  private buffer: ArrayBuffer | undefined;
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);

  constructor(exports: WasmExports) {
    this.exports = exports;
    this.scalars = this.alloc(SCALARS * 8);
    this.scratch = this.alloc(SCRATCH_BYTES);
  }

  /** Bytes of module memory (16-byte aligned); freed with exports.release. */
  alloc(bytes: number): number {
    const p = this.exports.alloc(bytes);
    if (p === 0) throw new RangeError(`adam-simd: the WebAssembly backend could not allocate ${bytes} bytes`);
    return p;
  }

  /** A view of the module's memory in `like`'s type. Memory growth replaces the buffer, so views are made afresh then. */
  view(like: FloatArray): Float32Array | Float64Array {
    const buffer = this.exports.memory.buffer;
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      this.f32 = new Float32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
    return like instanceof Float32Array ? this.f32 : this.f64;
  }

  /**
   * A step's scalars packed into module memory (binding.scalarKeys order, flags 0 or 1, as
   * the native binding reads them); returns that memory's view, valid until the next alloc.
   */
  setScalars(family: ScalarFamily, scalars: object): Float64Array {
    const width = scalarKeys[family].length;
    const all = this.view(F64) as Float64Array;
    const at = this.scalars / 8;
    if (scalars instanceof Float64Array) all.set(scalars.subarray(0, width), at);
    else packScalars(family, scalars, all, at);
    return all.subarray(at, at + width);
  }

  /** Byte address of chunk slot `role`. */
  slot(role: number): number {
    return this.scratch + role * CHUNK * 8;
  }

  /** a[from, from + n) into module memory at byte address `at`. */
  copyIn(a: FloatArray, from: number, n: number, at: number): void {
    // A whole array is copied as it is: a subarray costs an object per copy, which small tensors feel.
    this.view(a).set(from === 0 && n === a.length ? a : a.subarray(from, from + n), at / a.BYTES_PER_ELEMENT);
  }

  /** n elements at byte address `at` back into a from `from`. */
  copyOut(a: FloatArray, from: number, n: number, at: number): void {
    const start = at / a.BYTES_PER_ELEMENT;
    a.set(this.view(a).subarray(start, start + n), from);
  }

  /**
   * Runs `call(pointers, n)` over `fields` (fields[0] sets the length) a chunk at a time:
   * each present field copied into its slot (pointer 0 for an absent one), the call, then
   * the fields marked in `written` copied back. Plain loops: a step of many small tensors
   * runs this once per tensor.
   */
  chunked(fields: readonly (FloatArray | undefined)[], written: readonly boolean[], call: (ptr: readonly number[], n: number) => void): void {
    const length = fields[0]!.length;
    const ptr = this.pointers;
    for (let r = 0; r < fields.length; r++) ptr[r] = fields[r] ? this.slot(r) : 0;
    for (let i = 0; i < length; i += CHUNK) {
      const n = Math.min(CHUNK, length - i);
      for (let r = 0; r < fields.length; r++) {
        const f = fields[r];
        if (f) this.copyIn(f, i, n, ptr[r]!);
      }
      call(ptr, n);
      for (let r = 0; r < fields.length; r++) {
        const f = fields[r];
        if (f && written[r]) this.copyOut(f, i, n, ptr[r]!);
      }
    }
  }
}
