import type { FloatArray } from '../../binding.js';

/** Rounds one operation's result to the tensor's type (native/NUMERICS.md, "how each implementation keeps to it"). */
export type Round = (x: number) => number;

const exactFloat64: Round = (x) => x;

/**
 * `Math.fround` for float32 data, identity for float64 (JavaScript arithmetic already is
 * float64). Chosen once per call so the element loops never test the dtype.
 */
export function roundingFor(array: FloatArray | undefined): Round {
  return array instanceof Float32Array ? Math.fround : exactFloat64;
}
