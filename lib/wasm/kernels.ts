/**
 * The WebAssembly backend's Kernels (the shape of the native binding's and the reference's):
 * each call runs the wasm build of the generic kernels on its arrays, in place where they
 * live in module memory (the optimizers' state), else copied through the module's scratch a
 * chunk at a time (heap.ts). Like the reference it trusts its input:
 * the optimizer classes and clipGradNorm validate first. Runs on the calling thread (the
 * module is single-threaded), so options.threads changes nothing, as for the reference.
 */
import type {
  AdagradScalars,
  AdagradTensor,
  AdamScalars,
  AdamTensor,
  FloatArray,
  LionScalars,
  LionTensor,
  RmspropScalars,
  RmspropTensor,
  SgdScalars,
  SgdTensor,
} from '../../binding.js';
import type { Kernels } from '../reference/index.js';
import { BLOCK, type Heap } from './heap.js';

const ADAM_WRITTEN = [true, false, true, true, true];
const SGD_WRITTEN = [true, false, true];
const ADAGRAD_WRITTEN = [true, false, true];
const RMSPROP_WRITTEN = [true, false, true, true, true];
const LION_WRITTEN = [true, false, true];
const PARAM_WRITTEN = [true];

const isF32 = (a: FloatArray | undefined): boolean => a instanceof Float32Array;

export function wasmKernels(heap: Heap): Kernels {
  const ex = heap.exports;
  return {
    adamStep(tensors: readonly AdamTensor[], scalars: AdamScalars | Float64Array): void {
      const packed = heap.setScalars('adam', scalars);
      const amsgrad = packed[8] === 1;
      const s = heap.scalars;
      for (const t of tensors) {
        const step = isF32(t.param) ? ex.adam_f32 : ex.adam_f64;
        heap.chunked([t.param, t.grad, t.expAvg, t.expAvgSq, amsgrad ? t.maxExpAvgSq : undefined], ADAM_WRITTEN, (q, n) =>
          step(s, q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, n),
        );
      }
    },

    sgdStep(tensors: readonly SgdTensor[], scalars: SgdScalars | Float64Array): void {
      const packed = heap.setScalars('sgd', scalars);
      const momentum = packed[1] !== 0;
      const s = heap.scalars;
      for (const t of tensors) {
        const step = isF32(t.param) ? ex.sgd_f32 : ex.sgd_f64;
        heap.chunked([t.param, t.grad, momentum ? t.momentumBuffer : undefined], SGD_WRITTEN, (q, n) => step(s, q[0]!, q[1]!, q[2]!, n));
      }
    },

    adagradStep(tensors: readonly AdagradTensor[], scalars: AdagradScalars | Float64Array): void {
      heap.setScalars('adagrad', scalars);
      const s = heap.scalars;
      for (const t of tensors) {
        const step = isF32(t.param) ? ex.adagrad_f32 : ex.adagrad_f64;
        heap.chunked([t.param, t.grad, t.stateSum], ADAGRAD_WRITTEN, (q, n) => step(s, q[0]!, q[1]!, q[2]!, n));
      }
    },

    rmspropStep(tensors: readonly RmspropTensor[], scalars: RmspropScalars | Float64Array): void {
      const packed = heap.setScalars('rmsprop', scalars);
      const centered = packed[6] === 1;
      const momentum = packed[5] !== 0;
      const s = heap.scalars;
      for (const t of tensors) {
        const step = isF32(t.param) ? ex.rmsprop_f32 : ex.rmsprop_f64;
        heap.chunked(
          [t.param, t.grad, t.squareAvg, centered ? t.gradAvg : undefined, momentum ? t.momentumBuffer : undefined],
          RMSPROP_WRITTEN,
          (q, n) => step(s, q[0]!, q[1]!, q[2]!, q[3]!, q[4]!, n),
        );
      }
    },

    lionStep(tensors: readonly LionTensor[], scalars: LionScalars | Float64Array): void {
      heap.setScalars('lion', scalars);
      const s = heap.scalars;
      for (const t of tensors) {
        const step = isF32(t.param) ? ex.lion_f32 : ex.lion_f64;
        heap.chunked([t.param, t.grad, t.expAvg], LION_WRITTEN, (q, n) => step(s, q[0]!, q[1]!, q[2]!, n));
      }
    },

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
