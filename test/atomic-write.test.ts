import { mkdtemp, mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../lib/io/atomic-write.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adam-simd-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (...values: number[]) => Uint8Array.from(values);

describe('writeFileAtomic', () => {
  it('writes text, bytes, sync and async chunk streams, leaving no temp file', async () => {
    const target = join(dir, 'out.bin');
    await writeFileAtomic(target, 'héllo\n');
    expect(await readFile(target, 'utf8')).toBe('héllo\n');
    await writeFileAtomic(target, bytes(1, 2, 3));
    expect([...(await readFile(target))]).toEqual([1, 2, 3]);
    await writeFileAtomic(target, [bytes(4), bytes(5, 6)]);
    expect([...(await readFile(target))]).toEqual([4, 5, 6]);
    async function* chunks() {
      yield bytes(7);
      yield new Uint8Array(0);
      yield bytes(8, 9);
    }
    await writeFileAtomic(target, chunks());
    expect([...(await readFile(target))]).toEqual([7, 8, 9]);
    expect(await readdir(dir)).toEqual(['out.bin']);
  });

  it('leaves the old file and no temp file when the data stream fails part-way', async () => {
    const target = join(dir, 'keep.txt');
    await writeFile(target, 'old');
    async function* failing() {
      yield bytes(1, 2);
      throw new Error('source broke');
    }
    await expect(writeFileAtomic(target, failing())).rejects.toThrow('source broke');
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['keep.txt']);
    await expect(writeFileAtomic(target, [bytes(1), 'x' as never])).rejects.toThrow(TypeError);
    expect(await readFile(target, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['keep.txt']);
  });

  it('removes the temp file when the rename fails (target is a non-empty directory)', async () => {
    const target = join(dir, 'busy');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'x');
    await expect(writeFileAtomic(target, 'data')).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect((await readdir(dir)).sort()).toEqual(['busy']);
  });

  it('rejects in a missing directory and creates nothing', async () => {
    await expect(writeFileAtomic(join(dir, 'no', 'such', 'file'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('replaces a symlink at the target instead of writing through it', async () => {
    const victim = join(dir, 'victim');
    await writeFile(victim, 'precious');
    const target = join(dir, 'link');
    await symlink(victim, target);
    await writeFileAtomic(target, 'new');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readFile(target, 'utf8')).toBe('new');
  });

  it('many concurrent writers to one path leave one complete version and no temp files', async () => {
    const target = join(dir, 'race.bin');
    // Each version is 256 KiB of one repeated byte, so a mixed or truncated file is visible.
    const versions = Array.from({ length: 40 }, (_, i) => new Uint8Array(256 * 1024).fill(i + 1));
    await Promise.all(versions.map((v) => writeFileAtomic(target, v)));
    const result = await readFile(target);
    expect(result.length).toBe(256 * 1024);
    expect(result.every((b) => b === result[0])).toBe(true);
    expect(result[0]).toBeGreaterThanOrEqual(1);
    expect(await readdir(dir)).toEqual(['race.bin']);
  });

  it('refuses bad arguments with a TypeError naming them, before creating anything', async () => {
    await expect(writeFileAtomic('', 'x')).rejects.toThrow(/writeFileAtomic: path must be a non-empty string, received ""/);
    await expect(writeFileAtomic(join(dir, 'f'), 42 as never)).rejects.toThrow(
      /writeFileAtomic: data must be a string, a Uint8Array .* received 42/,
    );
    await expect(writeFileAtomic(join(dir, 'f'), new Float32Array(2) as never)).rejects.toThrow(TypeError);
    expect(await readdir(dir)).toEqual([]);
  });
});
