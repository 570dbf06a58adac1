/** The adam-simd command line, run in process (lib/cli/program.ts's runCli). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPTIMIZER_NAMES } from '../lib/cli/optimizers.js';
import { runCli } from '../lib/cli/program.js';
import { loadNative } from '../lib/native.js';

let out: string[];
beforeEach(() => {
  out = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void out.push(args.join(' ')));
});
afterEach(() => vi.restoreAllMocks());

async function cli(...args: string[]): Promise<string> {
  await runCli(args, { out: (s) => void out.push(s), err: (s) => void out.push(s) });
  return out.join('\n');
}

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-cli-'));
const csv = join(dir, 'line.csv');
// y = 2·a − 3·b + 1 exactly, plus an id column that is left out with --features
writeFileSync(
  csv,
  'id,a,b,y\n' +
    Array.from({ length: 40 }, (_, i) => {
      const a = (i % 7) / 3;
      const b = ((i * 5) % 11) / 4;
      return `${i},${a},${b},${2 * a - 3 * b + 1}`;
    }).join('\n') +
    '\n',
);

describe('adam-simd train', () => {
  it('fits the CSV, prints the coefficient table, metrics and sparkline, and writes the model and the SVG', async () => {
    const model = join(dir, 'model.json');
    const svg = join(dir, 'loss.svg');
    const text = await cli(
      'train',
      csv,
      '--target',
      'y',
      '--features',
      'a,b',
      '--lr',
      '0.05',
      '--epochs',
      '3000',
      '--no-progress',
      '--save',
      model,
      '--plot',
      svg,
    );
    expect(text).toMatch(/40 rows × 2 features → y/);
    expect(text).toMatch(/^a\s+2\.00000/m);
    expect(text).toMatch(/^b\s+-3\.00000/m);
    expect(text).toMatch(/R² 1\.0000/);
    expect(text).toMatch(/loss [\d.e+-]+ [▁▂▃▄▅▆▇█]{10,}/);
    const saved = JSON.parse(readFileSync(model, 'utf8')) as { coefficients: { weights: number[]; bias: number }; features: string[] };
    expect(saved.features).toEqual(['a', 'b']);
    saved.coefficients.weights.forEach((w, j) => expect(Math.abs(w - [2, -3][j]!)).toBeLessThan(1e-5));
    expect(Math.abs(saved.coefficients.bias - 1)).toBeLessThan(1e-5);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg[\s\S]*<path d="M[\d.]+,[\d.]+ L/);
  });

  it('every optimizer, mini-batches, Huber loss and standardisation run through', async () => {
    for (const optimizer of OPTIMIZER_NAMES) {
      out.length = 0;
      const text = await cli(
        'train',
        csv,
        '--target',
        'y',
        '--features',
        'a,b',
        '--optimizer',
        optimizer,
        '--lr',
        '0.05',
        '--epochs',
        '200',
        '--batch-size',
        '8',
        '--loss',
        'huber',
        '--standardize',
        '--no-progress',
      );
      const mse = Number(/MSE (\S+)/.exec(text)![1]);
      expect(mse).toBeLessThan(0.5);
    }
  });

  it('rejects an unknown optimizer and a missing column with clear messages', async () => {
    await expect(cli('train', csv, '--target', 'y', '--optimizer', 'adadelta')).rejects.toThrow(
      `Allowed choices are ${OPTIMIZER_NAMES.join(', ')}`,
    );
    await expect(cli('train', csv, '--target', 'y', '--lr', '-1')).rejects.toThrow(/expected a number > 0, received "-1"/);
    await expect(cli('train', csv, '--target', 'price', '--no-progress')).rejects.toThrow(
      /no column "price"; the columns are: id, a, b, y/,
    );
  });
});

describe('threads', () => {
  it('train --threads reaches the Trainer (a count past 1024 is refused by it)', async () => {
    const text = await cli(
      'train',
      csv,
      '--target',
      'y',
      '--features',
      'a,b',
      '--lr',
      '0.05',
      '--epochs',
      '300',
      '--threads',
      '2',
      '--no-progress',
    );
    expect(Number(/MSE (\S+)/.exec(text)![1])).toBeLessThan(0.5);
    await expect(cli('train', csv, '--target', 'y', '--threads', '2000', '--no-progress')).rejects.toThrow(
      /options\.threads must be an integer ≥ 1 and ≤ 1024, received 2000/,
    );
  });

  it('bench --threads times the kernel and readOnce on that many threads', async () => {
    const text = await cli('bench', '--rows', '20000', '--cols', '8', '--repeats', '2', '--threads', '2');
    expect(text).toMatch(/f32 20000 × 8 \(0\.6 MB\), ISA \w+, at most 2 threads/);
    expect(text).toMatch(/^linregLossGrad [\d.]+ ms\/epoch +[\d.]+ GB\/s of X$/m);
    expect(text).toMatch(/^readOnce +[\d.]+ ms +[\d.]+ GB\/s$/m);
  });
});

describe('adam-simd info', () => {
  it('prints the backend, the ISA in use, the ISAs available and the binary', async () => {
    const native = loadNative();
    if (!native.ok) throw new Error(native.reason);
    const text = await cli('info');
    expect(text).toContain(`isa       ${native.binding.isa}`);
    expect(text).toContain(`isas      ${native.binding.isas.join(', ')}`);
    expect(text).toContain(native.path);
  });
});
