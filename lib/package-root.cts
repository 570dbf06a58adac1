/**
 * The package's root folder and a CommonJS `require`, for loading the addon. This is the one
 * CommonJS source file (.cts) so that the ESM build (dist/) and the CommonJS build (dist/cjs/)
 * share native.ts: ESM has no `require`, and CommonJS cannot even parse `import.meta`.
 * The root is found by name, walking up, because dist/cjs/ has its own package.json (which
 * only marks it CommonJS). No type annotations here: vitest parses .cts files as plain JS.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const packageRoot = (() => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'adam-simd') return dir;
    if (dirname(dir) === dir) throw new Error(`adam-simd: no package.json of adam-simd above ${__dirname}`);
  }
})();
export const requireFromPackage = require;
