import type { FloatArray } from '../../binding.js';

/**
 * One operation's result in the tensor's type (native/NUMERICS.md, "how each implementation
 * keeps to it"): `Math.fround` for float32 data; float64 data needs nothing, JavaScript
 * arithmetic already is float64.
 *
 * The type travels as a flag and this one function does the rounding, rather than a rounding
 * function chosen per call (`Math.fround` or identity) and called through a variable: a call
 * through a variable is inlined by V8 only while the call site's feedback holds that one
 * target; after a deoptimisation had reset it, every rounded operation became a full call
 * and the reference ran ~12× slower (bench/profile/reference-sizes.js, bench/analysis.md).
 */
export function round(x: number, f32: boolean): number {
  return f32 ? Math.fround(x) : x;
}

/** Whether the reference computes in float32 for this array (decided once per call). */
export function isFloat32(array: FloatArray | undefined): boolean {
  return array instanceof Float32Array;
}
