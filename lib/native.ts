/**
 * Loads the native addon with node-gyp-build: a prebuild from prebuilds/<platform>-<arch>/
 * if one matches, else a local build from build/Release. Loading happens once, on first use.
 *
 * Testing hook: ADAM_SIMD_BINARY=<path to a .node> loads that file instead (origin 'build'),
 * e.g. the sanitizer build of scripts/test-sanitize.sh. Not for production use.
 */
import { join, resolve } from 'node:path';
import type { Binding } from '../binding.js';
import { packageRoot, requireFromPackage } from './package-root.cjs';

export type { Binding } from '../binding.js';

/** Where the loaded binary came from. */
export type BindingOrigin = 'prebuild' | 'build';

export type NativeLoad =
  | { ok: true; binding: Binding; origin: BindingOrigin; path: string }
  | { ok: false; reason: string; forcedIsa: boolean };

let cached: NativeLoad | undefined;

export function loadNative(): NativeLoad {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  const forcedIsa = Boolean(process.env.ADAM_SIMD_ISA);
  const override = process.env.ADAM_SIMD_BINARY;
  let path: string;
  try {
    const gypBuild = requireFromPackage('node-gyp-build') as { resolve(dir: string): string };
    path = override ? resolve(override) : gypBuild.resolve(packageRoot);
  } catch (error) {
    return { ok: false, reason: messageOf(error), forcedIsa };
  }
  try {
    const binding = requireFromPackage(path) as Binding;
    const origin: BindingOrigin = path.startsWith(join(packageRoot, 'prebuilds')) ? 'prebuild' : 'build';
    return { ok: true, binding, origin, path };
  } catch (error) {
    return { ok: false, reason: messageOf(error), forcedIsa };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
