/**
 * Loads the WebAssembly backend's module, wasm/adam_simd.wasm (scripts/build-wasm.sh: the
 * generic kernels compiled against WebAssembly SIMD128), once, synchronously: it imports
 * nothing, so it runs wherever WebAssembly with SIMD does (Node ≥ 16.4, Bun, Deno).
 *
 * ADAM_SIMD_WASM=<path to a .wasm> loads that file instead: a missing path forces the
 * fall-back to the reference in a test, as ADAM_SIMD_BINARY does for the addon.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScalarKeys } from '../../binding.js';
import { packageRoot } from '../package-root.cjs';

type Ptr = number;

/**
 * Every optimizer's step exports, one per dtype: `fields` addresses one pointer per tensor
 * field in the schema's order (lib/generated/schema.ts, tensorFields), 0 for an absent one.
 */
export type StepExports = {
  readonly [F in keyof ScalarKeys as `${F}_f32` | `${F}_f64`]: (s: Ptr, fields: Ptr, n: number) => void;
};

/** The module's exports (native/src/wasm/exports.cpp); pointers are byte offsets into memory. */
export interface WasmExports extends StepExports {
  memory: WebAssembly.Memory;
  alloc(bytes: number): Ptr;
  release(p: Ptr): void;
  sum_squares_f32(x: Ptr, n: number): number;
  sum_squares_f64(x: Ptr, n: number): number;
  scale_f32(x: Ptr, n: number, factor: number): void;
  scale_f64(x: Ptr, n: number, factor: number): void;
  linreg_f32(
    x: Ptr,
    rows: number,
    cols: number,
    y: Ptr,
    w: Ptr,
    bias: number,
    loss: number,
    delta: number,
    gw: Ptr,
    gb: Ptr,
    pred: Ptr,
  ): number;
  linreg_f64(
    x: Ptr,
    rows: number,
    cols: number,
    y: Ptr,
    w: Ptr,
    bias: number,
    loss: number,
    delta: number,
    gw: Ptr,
    gb: Ptr,
    pred: Ptr,
  ): number;
}

export type WasmLoad = { ok: true; exports: WasmExports; path: string } | { ok: false; reason: string };

let cached: WasmLoad | undefined;

export function loadWasm(): WasmLoad {
  cached ??= tryLoad();
  return cached;
}

function tryLoad(): WasmLoad {
  const override = process.env.ADAM_SIMD_WASM;
  const path = override ? resolve(override) : join(packageRoot, 'wasm', 'adam_simd.wasm');
  try {
    if (typeof WebAssembly !== 'object') return { ok: false, reason: 'this runtime has no WebAssembly' };
    const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(path)), {});
    return { ok: true, exports: instance.exports as unknown as WasmExports, path };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return { ok: false, reason: `${path}: ${message}` };
  }
}
