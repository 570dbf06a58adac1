import { round } from './rounding.js';

/**
 * The gradient every optimizer of native/NUMERICS.md steps with: negated under maximize,
 * then plus the L2 term weightDecay·p (torch's order), each operation rounded on its own.
 * useL2 is decided by the caller once per step, on the rounded weight decay.
 */
export function l2Grad(g: number, p: number, maximize: boolean, useL2: boolean, weightDecay: number, f32: boolean): number {
  const signed = maximize ? -g : g;
  return useL2 ? round(signed + round(weightDecay * p, f32), f32) : signed;
}
