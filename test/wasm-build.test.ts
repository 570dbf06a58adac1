/**
 * The committed WebAssembly module is the build of the committed sources: wasm/SOURCES.sha256
 * (written by scripts/build-wasm.sh from clang's dependency list) must match every listed
 * file and the module itself, so a kernel changed without `npm run build:wasm` fails here,
 * on any machine, with or without the wasm toolchain. (`scripts/build-wasm.sh --check`, in
 * .ci/run, rebuilds it and compares the bytes.) It ships in the package and stays small.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const manifest = readFileSync(join(root, 'wasm', 'SOURCES.sha256'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => {
    const [hash, path] = line.split(/ {2}/) as [string, string];
    return { hash, path };
  });

describe('wasm/adam_simd.wasm', () => {
  it('lists the generic kernels, the wasm vector type, the module entry points and itself', () => {
    const paths = manifest.map((m) => m.path);
    for (const p of [
      'native/src/kernels/optimizers.h',
      'native/src/kernels/reductions.h',
      'native/src/kernels/linreg.h',
      'native/src/simd/wasm.h',
      'native/src/wasm/exports.cpp',
      'native/src/linreg.cpp',
      'scripts/build-wasm.sh',
      'wasm/adam_simd.wasm',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it.each(manifest)('$path is as it was built', ({ hash, path }) => {
    const actual = createHash('sha256')
      .update(readFileSync(join(root, path)))
      .digest('hex');
    expect(actual, `${path} changed since wasm/adam_simd.wasm was built: run npm run build:wasm and commit both`).toBe(hash);
  });

  it('ships in the package and stays small', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[]; scripts: Record<string, string> };
    expect(pkg.files).toContain('wasm/adam_simd.wasm');
    expect(pkg.scripts['build:wasm']).toBe('bash scripts/build-wasm.sh');
    expect(statSync(join(root, 'wasm', 'adam_simd.wasm')).size).toBeLessThan(300 * 1024);
  });
});
