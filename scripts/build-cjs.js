#!/usr/bin/env node
/**
 * The CommonJS build (`prepack`): the library (lib/index.ts and what it imports; the CLI and
 * examples are ESM-only) compiled again to dist/cjs/, which package.json
 * "exports" serves to `require` (Node 18 cannot require an ES module). dist/cjs/package.json
 * marks the folder as CommonJS. The declarations import `../binding.js` relative to dist/
 * (written for the ESM build, whose outDir sits beside binding.d.ts); dist/binding.d.ts
 * re-exports the root binding.d.ts so the same paths also resolve from dist/cjs/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(packageRoot, 'dist', 'cjs');
const tsc = join(packageRoot, 'node_modules', '.bin', 'tsc');

rmSync(outDir, { recursive: true, force: true });
const run = spawnSync(tsc, ['-p', join(packageRoot, 'scripts', 'tsconfig.cjs.json')], { stdio: 'inherit' });
if (run.status !== 0) {
  console.error(`build-cjs: tsc exited with ${run.status}`);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n');
writeFileSync(join(packageRoot, 'dist', 'binding.d.ts'), "export * from '../binding.js';\n");
