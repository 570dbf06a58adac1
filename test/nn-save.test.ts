/** save / load: the same bits back, training resumed bit-identically, bad files refused by name. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matrixFromRows, vectorFrom } from '../lib/data/matrix.js';
import { seededRandom } from '../lib/data/random.js';
import { Dense } from '../lib/nn/dense.js';
import { Sequential } from '../lib/nn/sequential.js';
import { Adam } from '../lib/optim/adam.js';
import { writeStateFile } from '../lib/io/state-file.js';
import { STATE_FORMAT, STATE_VERSION } from '../lib/optim/state-dict.js';
import { architectureOf, MODEL_KIND, MODEL_VERSION } from '../lib/nn/save.js';
import { expectSameBits } from './helpers/bits.js';

const dir = mkdtempSync(join(tmpdir(), 'adam-simd-nn-'));
const random = seededRandom(4);
const rows = Array.from({ length: 50 }, () => [random(), random(), random()]);
const x = matrixFromRows(rows, 'float32');
const y = vectorFrom(
  rows.map(([a, b, c]) => 2 * a! - b! + 3 * c! + 1.5),
  'float32',
);
const make = () =>
  new Sequential(
    [
      new Dense({ units: 16, activation: 'tanh', inputSize: 3 }),
      new Dense({ units: 8, activation: 'relu', useBias: false }),
      new Dense({ units: 1 }),
    ],
    { seed: 7 },
  );

describe('save / load', () => {
  it('restores architecture and weights bit for bit, and resumes fit() bit-identically', async () => {
    const a = make();
    a.fit(x, y, { epochs: 3, verbose: 0, shuffle: false });
    const path = join(dir, 'model.bin');
    await a.save(path);
    const b = await Sequential.load(path);
    expect(b.layers.map((l) => l.toJSON())).toEqual(a.layers.map((l) => l.toJSON()));
    expectSameBits(b.allParams, a.allParams, 'params');
    expect(b.optimizerState?.optimizer).toBe('Adam');
    a.fit(x, y, { epochs: 2, verbose: 0, shuffle: false });
    b.fit(x, y, { epochs: 2, verbose: 0, shuffle: false });
    expectSameBits(b.allParams, a.allParams, 'params after resuming');
    expectSameBits(b.predict(x), a.predict(x), 'predictions');
  });

  it('keeps any optimizer state for loadStateDict, or none', async () => {
    const a = make();
    const adam = new Adam(a.params, { lr: 0.01 });
    a.fit(x, y, { epochs: 1, verbose: 0, optimizer: adam });
    const path = join(dir, 'with-opt.bin');
    await a.save(path, { optimizer: adam });
    const b = await Sequential.load(path);
    const resumed = new Adam(b.params, { lr: 0.01 });
    resumed.loadStateDict(b.optimizerState as never);
    expect(resumed.stateDict().step).toBe(adam.stateDict().step);
    await a.save(join(dir, 'bare.bin'), { optimizer: false });
    expect((await Sequential.load(join(dir, 'bare.bin'))).optimizerState).toBeUndefined();
  });

  it('refuses corrupt, truncated and mismatched files with the file named', async () => {
    const path = join(dir, 'good.bin');
    await make().save(path);
    const bytes = readFileSync(path);
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 40]! ^= 1;
    writeFileSync(join(dir, 'flipped.bin'), flipped);
    await expect(Sequential.load(join(dir, 'flipped.bin'))).rejects.toThrow(
      /flipped.bin is not a valid adam-simd state file: its checksum does not match/,
    );
    writeFileSync(join(dir, 'short.bin'), bytes.subarray(0, 10));
    await expect(Sequential.load(join(dir, 'short.bin'))).rejects.toThrow(/short.bin .*truncated/);
    const adam = new Adam(make().params);
    await adam.saveState(join(dir, 'adam.state'));
    await expect(Sequential.load(join(dir, 'adam.state'))).rejects.toThrow(
      /adam.state is not a valid adam-simd model file: it holds "Adam" state, not a Sequential/,
    );
  });

  it('refuses weights that do not fit the architecture, naming the weight', async () => {
    const small = new Sequential([new Dense({ units: 5, inputSize: 3 }), new Dense({ units: 1 })]);
    const other = new Sequential([new Dense({ units: 4, inputSize: 3 }), new Dense({ units: 1 })]);
    const path = join(dir, 'mismatch.bin');
    const group = { params: Object.keys(other.params), architecture: architectureOf(small) };
    await writeStateFile(path, {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: MODEL_KIND,
      step: 0,
      paramGroups: [group as never],
      state: { weights: { ...other.params } },
    });
    await expect(Sequential.load(path)).rejects.toThrow(
      /mismatch.bin: weight 'dense0.kernel' is a Float32Array of 12 elements but the architecture needs a Float32Array of 15/,
    );
  });

  it('refuses a model file of another version, naming both versions', async () => {
    const model = make();
    const path = join(dir, 'future.bin');
    const group = { params: Object.keys(model.params), architecture: { ...architectureOf(model), version: MODEL_VERSION + 1 } };
    await writeStateFile(path, {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: MODEL_KIND,
      step: 0,
      paramGroups: [group as never],
      state: { weights: { ...model.params } },
    });
    await expect(Sequential.load(path)).rejects.toThrow(
      `future.bin has model version ${MODEL_VERSION + 1}; this adam-simd reads version ${MODEL_VERSION}`,
    );
  });
});
