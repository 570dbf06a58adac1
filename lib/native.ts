/**
 * Loads the native addon with node-gyp-build: a prebuild from prebuilds/<platform>-<arch>/
 * if one matches, else a local build from build/Release. Loading happens once, on first use.
 *
 * ADAM_SIMD_BINARY=<path to a .node> loads that file instead (origin 'build'): the sanitizer
 * build of scripts/test-sanitize.sh, or a missing path to force the reference fall-back in a
 * test. Not for production use.
 *
 * The package has no install script (npm 11 and pnpm skip unapproved ones), so nothing builds
 * the addon on install: where no prebuild matches, the failure says how to build it by hand.
 */
import { join, resolve } from 'node:path';
import type { Binding } from '../binding.js';
import { packageRoot, requireFromPackage } from './package-root.cjs';

export type { Binding } from '../binding.js';

/** Where the loaded binary came from. */
export type BindingOrigin = 'prebuild' | 'build';

export type NativeLoad =
  | { ok: true; binding: Binding; origin: BindingOrigin; path: string }
  | { ok: false; reason: string; fix: string; forcedIsa: boolean };

/** How to get the addon where it did not load: the README's "Building from source". */
export const BUILD_FROM_SOURCE =
  'build it from source (README, "Building from source"): npm install --save-dev cmake-js node-addon-api && ' +
  'npx cmake-js compile --directory node_modules/adam-simd';

let cached: NativeLoad | undefined;

export function loadNative(): NativeLoad {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  const forcedIsa = Boolean(process.env.ADAM_SIMD_ISA);
  const override = process.env.ADAM_SIMD_BINARY;
  const fix = override ? `unset ADAM_SIMD_BINARY (${override}) or point it at a built adam_simd.node` : BUILD_FROM_SOURCE;
  let path: string;
  try {
    const gypBuild = requireFromPackage('node-gyp-build') as { resolve(dir: string): string };
    path = override ? resolve(override) : gypBuild.resolve(packageRoot);
  } catch (error) {
    return { ok: false, reason: messageOf(error), fix, forcedIsa };
  }
  try {
    const binding = requireFromPackage(path) as Binding;
    const origin: BindingOrigin = path.startsWith(join(packageRoot, 'prebuilds')) ? 'prebuild' : 'build';
    return { ok: true, binding, origin, path };
  } catch (error) {
    return { ok: false, reason: messageOf(error), fix, forcedIsa };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
