// The pure-TypeScript reference (lib/reference, built to dist/reference), bit-identical to the
// native core. Timed only when it has been built.
import { existsSync } from 'node:fs';

export async function referenceImplementation(distDir, scalars) {
  const path = new URL('reference/index.js', distDir);
  if (!existsSync(path)) return { missing: `${path.pathname} not built (run npx tsc -p .)` };
  const { adamStep } = await import(path.href);
  return {
    id: 'reference',
    label: 'TypeScript reference',
    family: 'reference',
    threads: 1,
    setup: (tensors) => ({ step: () => adamStep(tensors, scalars) }),
  };
}
