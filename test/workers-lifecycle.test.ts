/**
 * The addon across the life of threads: workers terminated mid-call, workers that come and
 * go (Node unloads the library when the last one ends), and the pool's own threads. Each
 * case runs in a child process (test/fixtures/), so an abort or a crash fails the test
 * instead of taking the test runner down with it.
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nativeBinding, nativeBindingPath } from './helpers/native-binding.js';

const addon = nativeBindingPath();

function runFixture(name: string, args: (string | number)[]) {
  const script = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawnSync(process.execPath, [script, addon, ...args.map(String)], { encoding: 'utf8', timeout: 50_000 });
  return { status: child.status, signal: child.signal, stdout: child.stdout, stderr: child.stderr };
}

describe('worker threads and the native addon', () => {
  it.each(['getter', 'async'])('worker.terminate() inside a binding call (%s) leaves the process running', (scenario) => {
    const child = runFixture('terminate-worker.mjs', [scenario, 20]);
    expect(child.stderr).toBe('');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    expect(child.stdout.trim()).toBe('survived');
  });

  it('hundreds of short-lived workers stepping on two threads: no crash, no thread left behind', () => {
    const child = runFixture('worker-churn.mjs', [200]);
    expect(child.stderr).toBe('');
    expect({ status: child.status, signal: child.signal }).toEqual({ status: 0, signal: null });
    const { workers, threadsBefore, threadsAfter } = JSON.parse(child.stdout);
    expect(workers).toBe(200);
    // Each ended worker used to leave a pool thread behind (or crash the process).
    expect(threadsAfter).toBeLessThanOrEqual(threadsBefore);
  });
});

describe('the thread pool', () => {
  it('uses at most twice the cores, whatever `threads` asks for, and lets idle threads go', () => {
    const child = runFixture('pool-threads.mjs', []);
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const { cores, asked, before, during, after } = JSON.parse(child.stdout);
    expect(asked).toBeGreaterThan(2 * cores);
    // The caller is one of the threads: at most 2 · cores - 1 helpers.
    expect(during - before).toBeGreaterThan(0);
    expect(during - before).toBeLessThanOrEqual(2 * cores - 1);
    expect(after).toBe(before);
  });
});

describe('thread counts above the pool cap', () => {
  it('give linregLossGrad the same bits as one thread', () => {
    const b = nativeBinding();
    const cores = availableParallelism();
    const rows = 32 * cores * 64;
    const cols = 16;
    const run = (threads: number) => {
      const x = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i) * 3);
      const args = {
        x,
        rows,
        cols,
        y: Float32Array.from({ length: rows }, (_, i) => Math.cos(i)),
        weights: Float32Array.from({ length: cols }, (_, i) => i / 7 - 1),
        bias: new Float32Array([0.25]),
        gradWeights: new Float32Array(cols),
        gradBias: new Float32Array(1),
      };
      const loss = b.linregLossGrad(args, { threads });
      return [
        new Uint32Array(new Float32Array([loss]).buffer)[0],
        ...new Uint32Array(args.gradWeights.buffer),
        ...new Uint32Array(args.gradBias.buffer),
      ];
    };
    const one = run(1);
    for (const threads of [2 * cores, 2 * cores + 1, 8 * cores, 1024]) expect(run(threads)).toEqual(one);
  });
});
