/** Seeded random numbers, so initialisation, shuffling and synthetic data repeat exactly. */

/** A uniform [0, 1) generator. */
export type Random = () => number;

/**
 * A seeded generator whose state can be read and set: a native loop (trainLinreg) draws the
 * same sequence from `state` and hands back the state after its draws.
 */
export interface SeededRandom extends Random {
  /** mulberry32's 32-bit state (native/NUMERICS.md, "Mini-batch order"). */
  state: number;
}

/** mulberry32: small, fast, and the same sequence for the same seed on every platform. */
export function seededRandom(seed: number): SeededRandom {
  const random = (() => {
    let t = (random.state = (random.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }) as SeededRandom;
  random.state = seed >>> 0;
  return random;
}

/** A standard normal draw (Box–Muller). */
export function gaussian(random: Random): number {
  const u = 1 - random(); // (0, 1]: log(0) is never taken
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** Fisher–Yates shuffle of `order` in place. */
export function shuffleInPlace(order: Uint32Array, random: Random): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
