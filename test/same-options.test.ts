// sameOptions reads a group built in option order by slot, and any other key order by name:
// either way it must see every change (a step revalidates exactly the groups it reports).
import { describe, expect, it } from 'vitest';
import { sameOptions, snapshotOptions } from '../lib/optim/groups.js';

const keys = ['lr', 'betas', 'eps', 'amsgrad'];

function group(order: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false };
  const g: Record<string, unknown> = {};
  for (const k of order) g[k] = Array.isArray(values[k]) ? [...(values[k] as unknown[])] : values[k];
  Object.defineProperty(g, 'params', { value: ['w'], enumerable: true });
  return g;
}

describe('sameOptions', () => {
  it.each([
    ['in option order', keys],
    ['in another order', ['eps', 'lr', 'amsgrad', 'betas']],
    ['with an extra key first', ['extra', ...keys]],
  ])('%s: unchanged is the same, and each change is seen', (_, order) => {
    const base = group(order);
    const snapshot = snapshotOptions(base, keys);
    expect(sameOptions(base, snapshot, keys)).toBe(true);
    const changes: [string, (g: Record<string, unknown>) => void][] = [
      ['lr', (g) => (g.lr = 0.02)],
      ['betas element', (g) => ((g.betas as number[])[1] = 0.99)],
      ['betas replaced by an equal copy', (g) => (g.betas = [0.9, 0.999])],
      ['eps', (g) => (g.eps = 1e-7)],
      ['amsgrad', (g) => (g.amsgrad = true)],
      ['lr deleted', (g) => delete g.lr],
    ];
    for (const [what, change] of changes) {
      const g = group(order);
      change(g);
      expect(sameOptions(g, snapshot, keys), what).toBe(what === 'betas replaced by an equal copy');
    }
  });
});
