/**
 * The WebAssembly backend's working memory. The module computes only on its own memory.
 * Arrays that live there (the optimizers' state: allocState) are used in place; the caller's
 * other arrays (parameters, gradients) are copied in and out in chunks of CHUNK elements,
 * through a scratch area allocated once, so every copy is of data still in cache. The
 * kernels are element-wise (and reductions go block by block), so chunking changes no bit.
 *
 * The memory is shared (scripts/build-wasm.sh): growing it makes memory.buffer a new, longer
 * SharedArrayBuffer but leaves the earlier ones and every view of them valid, so state views
 * handed out stay in place while later calls allocate.
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
  /** chunked()'s pointers and fields' own addresses, reused call after call. */
  private readonly pointers: number[] = new Array<number>(ROLES).fill(0);
  private readonly addresses: number[] = new Array<number>(ROLES).fill(0);
  private buffer: ArrayBufferLike | undefined;
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  /** Every buffer the memory has had: a view of one of them lives in module memory, at its byteOffset. */
  private readonly inModule = new WeakSet<ArrayBufferLike>();
  /** Frees a state allocation once all its views are collected. */
  private readonly owners = new FinalizationRegistry<{ address: number; views: number }>((owner) => {
    if (--owner.views === 0) this.exports.release(owner.address);
  });

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
      this.inModule.add(buffer);
      this.f32 = new Float32Array(buffer);
      this.f64 = new Float64Array(buffer);
    }
    return like instanceof Float32Array ? this.f32 : this.f64;
  }

  /** The byte address of `a` when it lives in module memory, else -1. */
  address(a: FloatArray): number {
    return this.inModule.has(a.buffer) ? a.byteOffset : -1;
  }

  /**
   * `length` zeroed elements of `Float` in module memory, on a cache line, for state that
   * stays there: steps use it in place. `adopt` each view made of it (the storage itself is
   * adopted): the memory is freed once every adopted view has been collected.
   */
  allocState(
    Float: Float32ArrayConstructor | Float64ArrayConstructor,
    length: number,
  ): { storage: FloatArray; adopt(view: FloatArray): void } {
    const address = this.alloc(length * Float.BYTES_PER_ELEMENT + 64);
    // view() first: it registers the buffer (grown, maybe, by this allocation) as module memory.
    const buffer = this.view(new Float(0)).buffer as ArrayBuffer;
    const storage = new Float(buffer, Math.ceil(address / 64) * 64, length).fill(0);
    const owner = { address, views: 0 };
    const adopt = (view: FloatArray): void => {
      owner.views++;
      this.owners.register(view, owner);
    };
    adopt(storage);
    return { storage, adopt };
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
   * a field in module memory at its own address, any other copied into its slot, an absent
   * one as pointer 0; then the copied fields marked in `written` copied back. Plain loops: a
   * step of many small tensors runs this once per tensor.
   */
  chunked(
    fields: readonly (FloatArray | undefined)[],
    written: readonly boolean[],
    call: (ptr: readonly number[], n: number) => void,
  ): void {
    const length = fields[0]!.length;
    const ptr = this.pointers;
    const at = this.addresses;
    for (let r = 0; r < fields.length; r++) at[r] = fields[r] ? this.address(fields[r]!) : 0;
    for (let i = 0; i < length; i += CHUNK) {
      const n = Math.min(CHUNK, length - i);
      for (let r = 0; r < fields.length; r++) {
        const f = fields[r];
        if (!f) ptr[r] = 0;
        else if (at[r]! >= 0) ptr[r] = at[r]! + i * f.BYTES_PER_ELEMENT;
        else this.copyIn(f, i, n, (ptr[r] = this.slot(r)));
      }
      call(ptr, n);
      for (let r = 0; r < fields.length; r++) {
        const f = fields[r];
        if (f && written[r] && at[r]! < 0) this.copyOut(f, i, n, ptr[r]!);
      }
    }
  }
}
