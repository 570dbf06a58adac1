/** The native addon for tests: loaded through lib/native.ts, and a failed load fails the test file. */
import type { Binding } from '../../binding.js';
import { loadNative } from '../../lib/native.js';

export function nativeBinding(): Binding {
  const load = loadNative();
  if (!load.ok) throw new Error(`the native addon did not load (run npx cmake-js compile): ${load.reason}`);
  return load.binding;
}

/** Path of the loaded addon binary, for child processes that load it themselves. */
export function nativeBindingPath(): string {
  const load = loadNative();
  if (!load.ok) throw new Error(`the native addon did not load (run npx cmake-js compile): ${load.reason}`);
  return load.path;
}
