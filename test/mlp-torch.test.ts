/**
 * Agreement with torch 1.13 (test/fixtures/mlp.json, from generate_torch_mlp.py): the seed's
 * 3 → 64 → 64 → 1 relu network, 50 full-batch Adam steps (lr 0.01) on MSE from the same
 * weights and data, float32 and float64.
 *
 * The bound. Both sides round every operation, in different orders (torch sums a dot product
 * in blocks and may fuse multiply-adds; we add in index order, NUMERICS.md), so each step's
 * gradient differs by a few units of u = 2⁻²⁴ (float32) or 2⁻⁵³ (float64) relative to the
 * sums it comes from. Adam divides m by √v, so a relative gradient difference ε moves a
 * step by at most about ε·lr, and 50 steps move a parameter by at most 50·ε·lr plus what the
 * differences feed back through the loss. We assert |p_ours − p_torch| ≤ 2¹⁰·u·(50·lr) per
 * parameter (ε = 2¹⁰·u: a thousand roundings' worth, generous for 64-term sums carried
 * through 3 layers and 50 steps, yet 10⁴ times tighter than one step of lr 0.01), and each
 * step's loss within 2¹⁰·u relatively. A wrong derivative, a dropped bias correction or
 * a transposed kernel moves a parameter by about lr per step and fails at once.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FloatArray } from '../binding.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { Adam } from '../lib/optim/adam.js';

interface Entry {
  x: string;
  y: string;
  losses: number[];
  initial: string[];
  final: string[];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/mlp.json', import.meta.url), 'utf8')) as {
  steps: number;
  lr: number;
  rows: number;
  dtypes: Record<'float32' | 'float64', Entry>;
};

function decode(hex: string, dtype: 'float32' | 'float64'): FloatArray {
  const bytes = new Uint8Array(hex.match(/../g)!.map((b) => parseInt(b, 16)));
  const view = new DataView(bytes.buffer);
  const f32 = dtype === 'float32';
  const out = f32 ? new Float32Array(bytes.length / 4) : new Float64Array(bytes.length / 8);
  for (let i = 0; i < out.length; i++) out[i] = f32 ? view.getFloat32(4 * i) : view.getFloat64(8 * i);
  return out;
}

describe('agreement with torch 1.13', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    for (const backend of ['native', 'js'] as const) {
      it(`3 → 64 → 64 → 1, 50 Adam steps, ${dtype}, ${backend}`, () => {
        const e = fixture.dtypes[dtype];
        const u = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
        const model = new Sequential(
          [
            new Dense({ units: 64, activation: 'relu', inputSize: 3 }),
            new Dense({ units: 64, activation: 'relu' }),
            new Dense({ units: 1 }),
          ],
          {
            dtype,
            backend,
          },
        );
        Object.values(model.params).forEach((p, i) => p.set(decode(e.initial[i]!, dtype)));
        const x = { data: decode(e.x, dtype), rows: fixture.rows, cols: 3 };
        const y = decode(e.y, dtype);
        const adam = new Adam(model.params, { lr: fixture.lr, backend });
        const grads = model.createGrads();
        for (let step = 0; step < fixture.steps; step++) {
          const loss = model.lossGrad(x, y, grads);
          expect(Math.abs(loss - e.losses[step]!), `loss at step ${step}`).toBeLessThanOrEqual(2 ** 10 * u * e.losses[step]!);
          adam.step(grads);
        }
        const bound = 2 ** 10 * u * fixture.steps * fixture.lr;
        let worst = 0;
        Object.values(model.params).forEach((p, i) => {
          const want = decode(e.final[i]!, dtype);
          for (let k = 0; k < p.length; k++) worst = Math.max(worst, Math.abs(p[k]! - want[k]!));
        });
        expect(worst).toBeLessThanOrEqual(bound);
        // The run moved the weights far beyond the bound: the comparison is not vacuous.
        const start = decode(e.initial[0]!, dtype);
        expect(Math.max(...model.params['dense0.kernel']!.map((v, k) => Math.abs(v - start[k]!)))).toBeGreaterThan(1000 * bound);
      });
    }
  }
});
