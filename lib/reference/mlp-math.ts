/**
 * The float64 transcendental functions of the network kernels (native/NUMERICS.md, "Neural
 * networks"), from + − × ÷, floor and exact powers of two only: Math.exp and std::exp may
 * differ in the last bit, these formulas cannot. native/src/kernels/mlp_math.h is the C++ copy.
 */

const LOG2E = Math.LOG2E;
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const HALF_LN2 = 0.34657359027997264;

// 2ⁿ from its bits (little-endian: the high word is the second Int32), exact for normal n.
const pow2Bits = new Float64Array(1);
const pow2Words = new Int32Array(pow2Bits.buffer);

function pow2(n: number): number {
  pow2Words[0] = 0;
  pow2Words[1] = (n + 1023) << 20;
  return pow2Bits[0]!;
}

/** r·(1/1! + r·(1/2! + … + r·(1/13!))), i.e. eʳ − 1 for |r| ≤ ln2/2. */
function expm1Core(r: number): number {
  let p = 1 / 6227020800; // 1/13!
  p = 1 / 479001600 + r * p;
  p = 1 / 39916800 + r * p;
  p = 1 / 3628800 + r * p;
  p = 1 / 362880 + r * p;
  p = 1 / 40320 + r * p;
  p = 1 / 5040 + r * p;
  p = 1 / 720 + r * p;
  p = 1 / 120 + r * p;
  p = 1 / 24 + r * p;
  p = 1 / 6 + r * p;
  p = 1 / 2 + r * p;
  p = 1 + r * p;
  return r * p;
}

/** eˣ for x ≤ 40 (0 below −700: the network never needs subnormal results). */
export function exp64(x: number): number {
  if (x < -700) return 0;
  const n = Math.floor(x * LOG2E + 0.5);
  const r = x - n * LN2_HI - n * LN2_LO;
  return (1 + expm1Core(r)) * pow2(n);
}

export function expm1_64(x: number): number {
  return Math.abs(x) < HALF_LN2 ? expm1Core(x) : exp64(x) - 1;
}

/** log(1 + u) for u in [0, 1]: 2·atanh(u / (2 + u)) by its odd series to 1/37. */
export function log1p64(u: number): number {
  const s = u / (2 + u);
  const q = s * s;
  let p = 1 / 37;
  for (let d = 35; d >= 3; d -= 2) p = 1 / d + q * p;
  p = 1 + q * p;
  return 2 * (s * p);
}

/** log(S) for S ≥ 1 (a softmax denominator). */
export function log64(S: number): number {
  let e = 0;
  while (S >= 2) {
    S = S / 2;
    e = e + 1;
  }
  return e * LN2_HI + (log1p64(S - 1) + e * LN2_LO);
}

export function tanh64(x: number): number {
  if (Number.isNaN(x)) return x;
  const a = Math.abs(x);
  let t: number;
  if (a > 20) t = 1;
  else {
    const u = expm1_64(2 * a);
    t = u / (u + 2);
  }
  return x < 0 ? -t : t;
}

export function sigmoid64(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x >= 0) return 1 / (1 + exp64(-x));
  const e = exp64(x);
  return e / (1 + e);
}
