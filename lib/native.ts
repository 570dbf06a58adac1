/**
 * Loads the native addon with node-gyp-build: a prebuild from prebuilds/<platform>-<arch>/
 * if one matches, else a local build from build/Release. Loading happens once, on first use.
 */
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Binding } from '../binding.js';

export type { Binding } from '../binding.js';

/** Where the loaded binary came from. */
export type BindingOrigin = 'prebuild' | 'build';

export type NativeLoad =
  | { ok: true; binding: Binding; origin: BindingOrigin; path: string }
  | { ok: false; reason: string; forcedIsa: boolean };

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let cached: NativeLoad | undefined;

export function loadNative(): NativeLoad {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): NativeLoad {
  const require = createRequire(import.meta.url);
  const forcedIsa = Boolean(process.env.ADAM_SIMD_ISA);
  let path: string;
  try {
    const gypBuild = require('node-gyp-build') as { resolve(dir: string): string };
    path = gypBuild.resolve(packageRoot);
  } catch (error) {
    return { ok: false, reason: messageOf(error), forcedIsa };
  }
  try {
    const binding = require(path) as Binding;
    const origin: BindingOrigin = path.startsWith(join(packageRoot, 'prebuilds')) ? 'prebuild' : 'build';
    return { ok: true, binding, origin, path };
  } catch (error) {
    return { ok: false, reason: messageOf(error), forcedIsa };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
