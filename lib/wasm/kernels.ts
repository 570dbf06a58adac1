/**
 * The WebAssembly backend's Kernels (the shape of the native binding's and the reference's):
 * each call runs the wasm build of the generic kernels on its arrays, in place where they
 * live in module memory (the optimizers' state), else copied through the module's scratch a
 * chunk at a time (heap.ts). Like the reference it trusts its input:
 * the optimizer classes and clipGradNorm validate first. Runs on the calling thread (the
 * module is single-threaded), so options.threads changes nothing, as for the reference.
 */
import type { FloatArray, ScalarKeys } from '../../binding.js';
import { entryPoints, type StepName, tensorFields } from '../generated/schema.js';
import type { Kernels } from '../reference/index.js';
import { BLOCK, type Heap } from './heap.js';

const PARAM_WRITTEN = [true];

const isF32 = (a: FloatArray | undefined): boolean => a instanceof Float32Array;

type Step = (tensors: readonly object[], scalars: object) => void;

/**
 * One family's step, from the schema alone: each tensor's fields in schema order (an optional
 * one only when its packed scalar needs it) go to <family>_f32/_f64 through a pointer array in
 * module memory. The field and pointer arrays are reused tensor after tensor.
 */
function familyStep(heap: Heap, family: keyof ScalarKeys): Step {
  const ex = heap.exports;
  const specs = tensorFields[family];
  const written = specs.map((f) => f.written);
  const fields = new Array<FloatArray | undefined>(specs.length);
  const at = heap.alloc(specs.length * 4);
  const f32 = ex[`${family}_f32`];
  const f64 = ex[`${family}_f64`];
  let step = f32;
  const s = heap.scalars;
  // Memory growth replaces the buffer (heap.ts), so the view of the pointers is made afresh then.
  let pointers = new Uint32Array(ex.memory.buffer, at, specs.length);
  const call = (ptr: readonly number[], n: number): void => {
    if (pointers.buffer !== ex.memory.buffer) pointers = new Uint32Array(ex.memory.buffer, at, specs.length);
    for (let r = 0; r < specs.length; r++) pointers[r] = ptr[r]!;
    step(s, at, n);
  };
  return (tensors, scalars) => {
    const packed = heap.setScalars(family, scalars);
    for (const tensor of tensors) {
      const t = tensor as Readonly<Record<string, FloatArray | undefined>>;
      for (let r = 0; r < specs.length; r++) {
        const when = specs[r]!.neededWhen;
        const needed = when === undefined || (when.flag ? packed[when.scalar] === 1 : packed[when.scalar] !== 0);
        fields[r] = needed ? t[specs[r]!.key] : undefined;
      }
      step = isF32(fields[0]) ? f32 : f64;
      heap.chunked(fields, written, call);
    }
  };
}

export function wasmKernels(heap: Heap): Kernels {
  const ex = heap.exports;
  const steps = {} as Record<StepName, Step>;
  for (const family of Object.keys(entryPoints) as (keyof ScalarKeys)[]) steps[entryPoints[family].step] = familyStep(heap, family);
  return {
    ...steps,

    // Block sums are added in order, in float64, across all arrays (native/NUMERICS.md).
    sumSquares(arrays: readonly FloatArray[]): number {
      const at = heap.slot(0);
      let total = 0;
      for (const x of arrays) {
        const block = isF32(x) ? ex.sum_squares_f32 : ex.sum_squares_f64;
        for (let i = 0; i < x.length; i += BLOCK) {
          const n = Math.min(BLOCK, x.length - i);
          heap.copyIn(x, i, n, at);
          total = total + block(at, n);
        }
      }
      return total;
    },

    scale(arrays: readonly FloatArray[], factor: number): void {
      for (const x of arrays) {
        if (x.length === 0) continue;
        const scale = isF32(x) ? ex.scale_f32 : ex.scale_f64;
        heap.chunked([x], PARAM_WRITTEN, (q, n) => scale(q[0]!, n, factor));
      }
    },
  };
}
