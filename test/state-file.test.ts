/**
 * State files on disk: concurrent saves to one path (one thread, and several worker threads
 * in a child process) always leave a loadable file; files over 4 GiB (past readFile's 2 GiB
 * and a Uint8Array's 4 GiB) are written and read back, CRC checked.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam } from '../lib/index.js';
import { readStateFile, writeStateFile } from '../lib/io/state-file.js';
import { crc32, crc32Table } from '../lib/optim/crc32.js';

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-state-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function adamAfter(steps: number, length = 20_000) {
  const opt = new Adam({ w: new Float32Array(length).fill(1) }, { backend: 'js' });
  for (let t = 0; t < steps; t++) opt.step({ w: new Float32Array(length).fill(0.5) });
  return opt;
}

describe('concurrent saveState calls to one path', () => {
  it('in one thread: every load in between and after succeeds, no temp file is left', async () => {
    const file = join(dir, 'one-thread.state');
    await adamAfter(1).saveState(file);
    const savers = Array.from({ length: 12 }, (_, k) => adamAfter(k + 2));
    const reader = adamAfter(0);
    const loads: Promise<void>[] = [];
    const saves = savers.map((opt) => {
      loads.push(reader.loadState(file));
      return opt.saveState(file);
    });
    await Promise.all(saves);
    await Promise.all(loads);
    await reader.loadState(file);
    expect(reader.stepCount).toBeGreaterThanOrEqual(2);
    expect(readdirSync(dir).filter((f) => f.includes('one-thread'))).toEqual(['one-thread.state']);
  });

  it('from four worker threads at once (child process): every load succeeds', () => {
    // The worker threads need plain JavaScript: compile lib/ into a throw-away folder.
    const root = fileURLToPath(new URL('..', import.meta.url));
    const lib = join(root, 'build', `test-lib-${process.pid}`);
    try {
      execFileSync(process.execPath, [
        join(root, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(root, 'tsconfig.json'),
        '--outDir',
        lib,
        '--declaration',
        'false',
        '--sourceMap',
        'false',
      ]);
      const folder = mkdtempSync(join(dir, 'workers-'));
      const script = fileURLToPath(new URL('./fixtures/save-state-workers.mjs', import.meta.url));
      const child = spawnSync(process.execPath, [script, lib, join(folder, 'shared.state'), '4', '6'], {
        encoding: 'utf8',
        timeout: 50_000,
      });
      expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
      const result = JSON.parse(child.stdout) as { loads: number; failures: string[]; steps: number; entries: string[] };
      expect(result.failures).toEqual([]);
      expect(result.loads).toBeGreaterThan(1);
      expect([2, 3, 4, 5]).toContain(result.steps);
      expect(result.entries).toEqual(['shared.state']);
    } finally {
      rmSync(lib, { recursive: true, force: true });
    }
  });
});

describe('state files over 4 GiB', () => {
  it('are written and read back through a file handle, with the CRC checked over all of it', async () => {
    // One Float32Array of 4 GiB + 1 MiB, zero but for markers: its pages are never touched
    // when written, so the writer costs no memory; the reader fills a fresh 4 GiB array.
    const length = 2 ** 30 + 2 ** 18;
    const big = new Float32Array(length);
    const marks = [0, 2 ** 29 + 3, 2 ** 30 + 5, length - 1]; // the third lies past byte 2³²
    marks.forEach((i, k) => (big[i] = k + 0.5));
    const file = join(dir, 'big.state');
    const s = {
      format: 'adam-simd.optimizer',
      version: 1,
      optimizer: 'Big',
      step: 7,
      paramGroups: [],
      state: { w: { expAvg: big } },
    } as const;
    try {
      await writeStateFile(file, s as never);
      expect(statSync(file).size).toBeGreaterThan(2 ** 32 + 2 ** 20);
      let back: Float32Array | undefined = (await readStateFile(file)).state.w!.expAvg as Float32Array;
      expect(back.length).toBe(length);
      expect(marks.map((i) => back![i])).toEqual([0.5, 1.5, 2.5, 3.5]);
      expect(back[marks[2]! - 1]).toBe(0);
      back = undefined;
      // One flipped bit past 4 GiB is caught.
      const handle = await open(file, 'r+');
      await handle.write(Uint8Array.of(1), 0, 1, 2 ** 32 + 12_345);
      await handle.close();
      await expect(readStateFile(file)).rejects.toThrow(/checksum does not match/);
    } finally {
      rmSync(file, { force: true });
    }
  }, 300_000);
});

describe('crc32', () => {
  it('chains over chunks, and the table version equals the one in use', () => {
    const bytes = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 251);
    const whole = crc32(bytes);
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32Table(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
    expect(crc32(bytes.subarray(3000), crc32(bytes.subarray(0, 3000)))).toBe(whole);
    expect(crc32Table(bytes.subarray(3000), crc32Table(bytes.subarray(0, 3000)))).toBe(whole);
  });
});
