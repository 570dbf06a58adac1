/**
 * The README's "Neural networks" snippets, run as written: each ```ts block of that section
 * becomes a module importing the package from lib/ (the one textual change, with the model
 * file's path moved to a temp folder), and what it claims is checked on its variables.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { FloatArray } from '../binding.js';
import type { Sequential } from '../lib/index.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const start = readme.indexOf('\n## Neural networks\n');
const section = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...section.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'adam-simd-readme-'));
const packageEntry = fileURLToPath(new URL('../lib/index.ts', import.meta.url));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs block `i` as a module exporting `names`; returns them. */
async function run(i: number, names: string[]): Promise<Record<string, unknown>> {
  const source = blocks[i]!.replaceAll("from 'adam-simd'", `from ${JSON.stringify(packageEntry)}`).replaceAll(
    "'seed-model.bin'",
    JSON.stringify(join(dir, 'seed-model.bin')),
  );
  const file = join(dir, `block${i}.ts`);
  writeFileSync(file, `${source}\nexport { ${names.join(', ')} };\n`);
  return (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
}

const hex = (a: FloatArray) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('README, Neural networks', () => {
  it('has the two snippets this test runs', () => {
    expect(start).toBeGreaterThan(0);
    expect(blocks).toHaveLength(2);
  });

  it("the seed's Keras example: fit prints an epoch line each, evaluate, predict, save/load the same bits", async () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    try {
      const v = await run(0, ['history', 'mse', 'yHat', 'model', 'again', 'X', 'y']);
      const history = v.history as { loss: number[] };
      expect(history.loss).toHaveLength(10);
      expect(history.loss[9]!).toBeLessThan(history.loss[0]!);
      expect(lines).toHaveLength(10);
      lines.forEach((line, e) =>
        expect(line).toMatch(new RegExp(`^Epoch ${e + 1}/10 - loss: \\d+(\\.\\d+)?(e[-+]\\d+)? - \\d+\\.\\d\\d ms$`)),
      );
      const model = v.model as Sequential;
      const again = v.again as Sequential;
      const X = v.X as Parameters<Sequential['predict']>[0];
      expect(Number.isFinite(v.mse as number)).toBe(true);
      expect(again.evaluate(X, v.y as FloatArray)).toBe(v.mse); // the loaded model, the same loss
      const yHat = v.yHat as FloatArray;
      expect(yHat).toBeInstanceOf(Float32Array);
      expect(yHat).toHaveLength(100);
      expect(hex(again.predict(X))).toBe(hex(yHat));
      for (const [name, p] of Object.entries(model.params)) expect(hex(again.params[name]!)).toBe(hex(p));
    } finally {
      vi.restoreAllMocks();
    }
  });

  it('the Trainer with a classification loss, a scheduler and early stopping', async () => {
    const v = await run(1, ['loss', 'net', 'X', 'labels']);
    const loss = v.loss as number[];
    expect(loss.length).toBeGreaterThan(1);
    expect(loss.length).toBeLessThanOrEqual(200);
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]!);
  });
});
