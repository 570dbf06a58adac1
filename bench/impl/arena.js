// The public API's fast path: the Adam class over createParameters() views (dist/index.js),
// which merges contiguous tensors into one native call. Same data as the other rows.
import { existsSync } from 'node:fs';
import { nativeThreadCounts } from './native.js';

export async function arenaImplementations(distDir, binding, hyper) {
  const path = new URL('index.js', distDir);
  if (!existsSync(path)) return [];
  const { Adam, createParameters } = await import(path.href);
  return nativeThreadCounts().map((threads) => ({
    id: `adam-class-arena-t${threads}`,
    label: `Adam class, arena (${binding.isa})`,
    family: 'native',
    isa: binding.isa,
    threads,
    setup: (tensors) => {
      const lengths = Object.fromEntries(tensors.map((t, i) => [`t${i}`, t.param.length]));
      const arena = createParameters(lengths);
      tensors.forEach((t, i) => {
        arena.params[`t${i}`].set(t.param);
        arena.grads[`t${i}`].set(t.grad);
      });
      const opt = new Adam(arena.params, { lr: hyper.lr, betas: [hyper.beta1, hyper.beta2], eps: hyper.eps, threads });
      return { step: () => opt.step(arena.grads) };
    },
  }));
}
