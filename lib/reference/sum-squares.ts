import type { FloatArray } from '../../binding.js';

/** Elements per block; block sums are added in order (kReductionBlock in native/src/kernel_api.h). */
const BLOCK = 65_536;
/** Interleaved partial sums inside a block (kPartials in native/src/kernel_api.h). */
const PARTIALS = 16;

/**
 * Σx² over all arrays in the canonical order of native/NUMERICS.md ("Sum of squares"), in
 * float64 for both dtypes: JavaScript arithmetic is float64, so no rounding step is needed,
 * and a float32 element's square is exact (and cannot overflow) in float64. Trusts its input:
 * one dtype, attached buffers.
 */
export function sumSquares(arrays: readonly FloatArray[]): number {
  const partial = new Array<number>(PARTIALS);
  let total = 0;
  for (const x of arrays) {
    for (let start = 0; start < x.length; start += BLOCK) {
      total = total + blockSum(x, start, Math.min(start + BLOCK, x.length), partial);
    }
  }
  return total;
}

function blockSum(x: FloatArray, start: number, end: number, partial: number[]): number {
  partial.fill(0);
  // The zero padding of the last group is left out: a partial is never −0, so adding +0
  // would not change it.
  for (let i = start; i < end; i++) {
    const v = x[i]!;
    const j = (i - start) % PARTIALS;
    partial[j] = partial[j]! + v * v;
  }
  for (let width = PARTIALS / 2; width >= 1; width /= 2) {
    for (let k = 0; k < width; k++) partial[k] = partial[k]! + partial[k + width]!;
  }
  return partial[0]!;
}
