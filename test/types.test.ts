import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('types', () => {
  it('make a missing or misspelled gradient name a compile error (test/types/grads-keys.ts)', () => {
    const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/types/tsconfig.json'], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
