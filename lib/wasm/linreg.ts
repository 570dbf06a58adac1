/**
 * linregLossGrad on the WebAssembly backend: the reference's validation (the binding's
 * checks and messages), then the wasm build of native/src/linreg.cpp's pass. x, y and the
 * weights are copied into module memory for the call (the pass reads x whole, in row blocks
 * summed in order, on one thread), the gradients and predictions copied back.
 */
import type { FloatArray, LinregArgs, LinregOptions } from '../../binding.js';
import { checkArgs, checkOptions } from '../reference/linreg.js';
import type { Heap } from './heap.js';

const LOSS = { mse: 0, mae: 1, huber: 2 } as const;

export function wasmLinregLossGrad(heap: Heap): (args: LinregArgs, options?: LinregOptions) => number {
  return (args, options) => {
    checkOptions(options);
    const c = checkArgs(args);
    const { x, rows, cols } = c;
    const bytes = x.BYTES_PER_ELEMENT;
    // One allocation: x, y, weights, gradWeights, gradBias, predictions, each 16-byte aligned.
    const lengths = [x.length, rows, cols, cols, 1, c.predictions ? rows : 0];
    const offsets: number[] = [];
    let size = 0;
    for (const n of lengths) {
      offsets.push(size);
      size += Math.ceil((n * bytes) / 16) * 16;
    }
    const base = heap.alloc(size);
    const at = offsets.map((o) => base + o);
    try {
      heap.copyIn(x, 0, x.length, at[0]!);
      heap.copyIn(c.y, 0, rows, at[1]!);
      heap.copyIn(c.weights, 0, cols, at[2]!);
      const pass = x instanceof Float32Array ? heap.exports.linreg_f32 : heap.exports.linreg_f64;
      const loss = pass(
        at[0]!,
        rows,
        cols,
        at[1]!,
        at[2]!,
        args.bias[0]!,
        LOSS[c.loss],
        c.delta,
        at[3]!,
        at[4]!,
        c.predictions ? at[5]! : 0,
      );
      const out: [FloatArray | undefined, number][] = [
        [c.gradWeights, at[3]!],
        [c.gradBias, at[4]!],
        [c.predictions, at[5]!],
      ];
      for (const [a, p] of out) if (a) heap.copyOut(a, 0, a.length, p);
      return loss;
    } finally {
      heap.exports.release(base);
    }
  };
}
