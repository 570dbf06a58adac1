import type { FloatArray } from '../../binding.js';
import { isFloat32, round } from './rounding.js';

/**
 * x ← x · factor in place, in the arrays' type (arrays[0] sets it; native/NUMERICS.md,
 * "Scale"). Trusts its input: one dtype, a factor finite in that type, no shared memory.
 */
export function scale(arrays: readonly FloatArray[], factor: number): void {
  const f32 = isFloat32(arrays[0]);
  const f = round(factor, f32);
  for (const x of arrays) {
    for (let i = 0; i < x.length; i++) x[i] = round(x[i]! * f, f32);
  }
}
