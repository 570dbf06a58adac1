/**
 * Seeded, edge-heavy float data for the cross-implementation tests: values over many
 * magnitudes mixed with ±0, subnormals, values near the type's maximum, ±Infinity and NaN.
 */
import type { FloatArray } from '../../binding.js';

export type Dtype = 'f32' | 'f64';

// The library's seeded generator (mulberry32): the same seed gives the same data on every run.
import { seededRandom, type Random } from '../../lib/data/random.js';

export { seededRandom, type Random };

/** Probability of each special kind of value; the rest are finite values of wide-ranging magnitude. */
export interface EdgeMix {
  zero: number;
  subnormal: number;
  huge: number;
  infinite: number;
  nan: number;
}

/** Initial parameters: specials are common, each poisons only its own element. */
export const INITIAL_MIX: EdgeMix = { zero: 0.06, subnormal: 0.06, huge: 0.02, infinite: 0.01, nan: 0.01 };

/**
 * Gradients, drawn anew at every step: NaN, Infinity and huge values (whose squares overflow)
 * are rare enough that most elements stay finite over a trajectory of a hundred steps.
 */
export const GRADIENT_MIX: EdgeMix = { zero: 0.03, subnormal: 0.03, huge: 0.0003, infinite: 0.0002, nan: 0.0002 };

const limits = {
  f32: { max: 3.4028234663852886e38, minSubnormal: 2 ** -149, exponentRange: 40 },
  f64: { max: Number.MAX_VALUE, minSubnormal: Number.MIN_VALUE, exponentRange: 60 },
} as const;

export function edgeValue(dtype: Dtype, random: Random, mix: EdgeMix): number {
  const { max, minSubnormal, exponentRange } = limits[dtype];
  const sign = random() < 0.5 ? -1 : 1;
  let u = random();
  if ((u -= mix.zero) < 0) return sign * 0;
  // Below 2^20 ulps of the smallest subnormal: still subnormal in both types.
  if ((u -= mix.subnormal) < 0) return sign * minSubnormal * (1 + Math.floor(random() * 2 ** 20));
  if ((u -= mix.huge) < 0) return sign * max * (0.5 + random() / 2);
  if ((u -= mix.infinite) < 0) return sign * Infinity;
  if ((u -= mix.nan) < 0) return NaN;
  const exponent = Math.floor((random() * 2 - 1) * exponentRange);
  return sign * 2 ** exponent * (1 + random());
}

export function fillEdgeHeavy(array: FloatArray, random: Random, mix: EdgeMix): FloatArray {
  const dtype: Dtype = array instanceof Float32Array ? 'f32' : 'f64';
  for (let i = 0; i < array.length; i++) array[i] = edgeValue(dtype, random, mix);
  return array;
}

export interface Placement {
  /** Elements of padding before the view: odd, so the view is misaligned for every vector width. */
  offset?: number;
  shared?: boolean;
}

export function bytesPerElement(dtype: Dtype): number {
  return dtype === 'f32' ? Float32Array.BYTES_PER_ELEMENT : Float64Array.BYTES_PER_ELEMENT;
}

/** A view of `length` elements starting `offset` elements into `buffer` (plain or shared). */
export function viewOf(dtype: Dtype, buffer: ArrayBufferLike, offset: number, length: number): FloatArray {
  const byteOffset = offset * bytesPerElement(dtype);
  return dtype === 'f32' ? new Float32Array(buffer, byteOffset, length) : new Float64Array(buffer, byteOffset, length);
}

/** A zeroed view of `length` elements at an odd element offset inside its own buffer. */
export function allocate(dtype: Dtype, length: number, { offset = 1, shared = false }: Placement = {}): FloatArray {
  const bytes = (offset + length) * bytesPerElement(dtype);
  return viewOf(dtype, shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), offset, length);
}

/** A copy of `source` with the same placement rules as `allocate`. */
export function copyOf(source: FloatArray, placement: Placement = {}): FloatArray {
  const copy = allocate(source instanceof Float32Array ? 'f32' : 'f64', source.length, placement);
  copy.set(source);
  return copy;
}
