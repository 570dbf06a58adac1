/**
 * What the WebAssembly backend adds to the generic suites (which run it beside every native
 * ISA): arrays longer than its copy chunk, module memory that grows between calls, and the
 * package's entry points choosing it with backend: 'wasm'.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { LinregArgs } from '../binding.js';
import { Adam, clipGradNorm, createParameters, LinearRegression, matrixFromRows, SGD, vectorFrom } from '../lib/index.js';
import { linregLossGrad as referenceLossGrad } from '../lib/reference/linreg.js';
import { CHUNK } from '../lib/wasm/heap.js';
import { loadWasm, wasmBackend } from '../lib/wasm/index.js';
import { referenceBackend, wasmTestBackend } from './helpers/backends.js';
import { expectSameBits } from './helpers/bits.js';
import { allocate, fillEdgeHeavy, seededRandom, GRADIENT_MIX, INITIAL_MIX } from './helpers/float-data.js';
import { optimizers } from './helpers/optimizers.js';
import { compareTrajectories, describeCase, expectParamsMoved, type OptimizerCase } from './helpers/trajectory.js';

const wasm = wasmBackend()!;

// Each optimizer with every option on (each kernel's longest path) and with its grid's first
// options (the shortest).
const cases: OptimizerCase[] = optimizers.flatMap((row) => [row.longestPath, row.grid[0]!].map((options) => ({ row, options })));

describe('tensors longer than the copy chunk', () => {
  // Chunk edges fall inside a vector's lanes only if the chunking were wrong: CHUNK is a
  // multiple of every width, and a tensor's tail is its own last chunk's.
  const lengths = [CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 3];
  for (const dtype of ['f32', 'f64'] as const) {
    for (const optimizer of cases) {
      it(`${dtype} ${describeCase(optimizer)}: lengths around ${CHUNK}`, () => {
        const spec = { optimizer, dtype, lengths, steps: 4, seed: 31, params: INITIAL_MIX, grads: GRADIENT_MIX };
        const { initial, final } = compareTrajectories(spec, [referenceBackend, wasmTestBackend]);
        expectParamsMoved(initial, final);
      });
    }
  }
});

describe('module memory growth', () => {
  it('a linear-regression pass larger than the module memory grows it, and later calls still see the right memory', () => {
    const load = loadWasm();
    if (!load.ok) throw new Error(load.reason);
    const memory = load.exports.memory;
    const before = memory.buffer.byteLength;
    const random = seededRandom(3);
    const rows = 4096;
    const cols = Math.ceil(before / 8 / rows) + 16; // x alone outgrows the memory as it was
    const args = (): LinregArgs => ({
      x: fillEdgeHeavy(allocate('f64', rows * cols), seededRandom(4), { zero: 0.1, subnormal: 0, huge: 0, infinite: 0, nan: 0 }),
      rows,
      cols,
      y: allocate('f64', rows),
      weights: fillEdgeHeavy(allocate('f64', cols), seededRandom(5), GRADIENT_MIX),
      bias: allocate('f64', 1),
      gradWeights: allocate('f64', cols),
      gradBias: allocate('f64', 1),
      predictions: allocate('f64', rows),
    });
    const got = args();
    const want = args();
    expect(Object.is(wasm.linregLossGrad(got), referenceLossGrad(want))).toBe(true);
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expectSameBits(got.gradWeights, want.gradWeights, 'gradWeights');
    expectSameBits(got.predictions!, want.predictions!, 'predictions');
    // The views made before the growth are detached now; a step must use fresh ones.
    const x = fillEdgeHeavy(allocate('f32', 100), random, INITIAL_MIX);
    const g = fillEdgeHeavy(allocate('f32', 100), random, GRADIENT_MIX);
    const sq = [wasm.kernels, referenceBackend.kernels].map((k) => k.sumSquares([x, g]));
    expect(Object.is(sq[0], sq[1])).toBe(true);
  });
});

describe('optimizer state in module memory', () => {
  it("backend: 'wasm' keeps state in the module's memory, steps it in place, and keeps it there as the memory grows", () => {
    const load = loadWasm();
    if (!load.ok) throw new Error(load.reason);
    const memory = load.exports.memory;
    const make = () => ({
      w: Float32Array.from({ length: 2 * CHUNK + 5 }, (_, i) => Math.sin(i)),
      b: Float64Array.from({ length: 9 }, (_, i) => i / 3),
    });
    const p = make();
    const q = make();
    const opt = new Adam(p, { lr: 0.01, amsgrad: true, weightDecay: 0.01, backend: 'wasm' });
    const ref = new Adam(q, { lr: 0.01, amsgrad: true, weightDecay: 0.01, backend: 'js' });
    const random = seededRandom(8);
    const steps = (count: number) => {
      for (let s = 0; s < count; s++) {
        const g = {
          w: fillEdgeHeavy(allocate('f32', p.w.length), random, GRADIENT_MIX),
          b: fillEdgeHeavy(allocate('f64', 9), random, GRADIENT_MIX),
        };
        opt.step(g);
        ref.step(g);
      }
    };
    const compare = (at: string) => {
      for (const name of ['w', 'b'] as const) {
        expectSameBits(p[name], q[name], `${at} ${name}`);
        for (const [key, mine] of Object.entries(opt.stateOf(name))) expectSameBits(mine, ref.stateOf(name)[key]!, `${at} ${name}.${key}`);
      }
    };
    steps(3);
    compare('before growth');
    const { expAvg } = opt.stateOf('w');
    // The state is a view of the module's memory: the module's own buffer holds the same bits there.
    expect(expAvg!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expectSameBits(new Float32Array(memory.buffer, expAvg!.byteOffset, expAvg!.length), expAvg!, 'expAvg seen through memory.buffer');
    // Grow the memory (a pass whose x outgrows it); the state views must stay attached and in use.
    const before = memory.buffer.byteLength;
    const rows = 1024;
    const cols = Math.ceil(before / 4 / rows) + 16;
    const x = allocate('f32', rows * cols);
    wasm.linregLossGrad({
      x,
      rows,
      cols,
      y: allocate('f32', rows),
      weights: allocate('f32', cols),
      bias: allocate('f32', 1),
      gradWeights: allocate('f32', cols),
      gradBias: allocate('f32', 1),
    });
    expect(memory.buffer.byteLength).toBeGreaterThan(before);
    expect(opt.stateOf('w').expAvg).toBe(expAvg);
    expect(expAvg!.length).toBe(p.w.length);
    steps(3);
    compare('after growth');
    expectSameBits(new Float32Array(memory.buffer, expAvg!.byteOffset, expAvg!.length), expAvg!, 'expAvg after growth');
  });

  it('loadStateDict puts the saved state into module memory and steps on from it', () => {
    const make = () => ({ w: Float32Array.from({ length: 33 }, (_, i) => Math.cos(i)) });
    const a = make();
    const b = make();
    const g = { w: Float32Array.from({ length: 33 }, (_, i) => Math.sin(3 * i)) };
    const first = new Adam(a, { lr: 0.1, backend: 'js' });
    first.step(g);
    const second = new Adam(b, { lr: 0.1, backend: 'wasm' });
    b.w.set(a.w);
    second.loadStateDict(first.stateDict());
    expect(second.stateOf('w').expAvg!.buffer).toBeInstanceOf(SharedArrayBuffer);
    first.step(g);
    second.step(g);
    expectSameBits(b.w, a.w, 'w');
    expectSameBits(second.stateOf('w').expAvgSq!, first.stateOf('w').expAvgSq!, 'expAvgSq');
  });
});

describe('createParameters({ wasm: true })', () => {
  it('lays parameters and gradients out in module memory, and the wasm backend steps them there', () => {
    const load = loadWasm();
    if (!load.ok) throw new Error(load.reason);
    const lengths = { w: CHUNK + 7, b: 3 };
    for (const dtype of ['float32', 'float64'] as const) {
      const inModule = createParameters(lengths, { dtype, wasm: true });
      const plain = createParameters(lengths, { dtype });
      expect(inModule.allParams.buffer).toBeInstanceOf(SharedArrayBuffer);
      const random = seededRandom(12);
      for (const a of [inModule, plain]) a.allParams.set(Float64Array.from({ length: a.allParams.length }, (_, i) => Math.sin(i)));
      const opts = [
        new SGD(inModule.params, { lr: 0.1, momentum: 0.9, backend: 'wasm' }),
        new SGD(plain.params, { lr: 0.1, momentum: 0.9, backend: 'js' }),
      ];
      for (let s = 0; s < 5; s++) {
        fillEdgeHeavy(plain.allGrads, random, GRADIENT_MIX);
        inModule.allGrads.set(plain.allGrads);
        opts.forEach((o, i) => o.step([inModule, plain][i]!.grads));
      }
      expectSameBits(inModule.allParams, plain.allParams, `${dtype} params`);
      expectSameBits(opts[0]!.stateOf('w').momentumBuffer!, opts[1]!.stateOf('w').momentumBuffer!, `${dtype} momentumBuffer`);
      // The views are the module's memory itself.
      const View = dtype === 'float32' ? Float32Array : Float64Array;
      expectSameBits(
        new View(load.exports.memory.buffer, inModule.allParams.byteOffset, inModule.allParams.length),
        inModule.allParams,
        'seen in memory',
      );
    }
  });

  it('refuses a wasm option that is not a boolean', () => {
    expect(() => createParameters({ w: 2 }, { wasm: 1 as unknown as boolean })).toThrow(
      /createParameters: options\.wasm must be a boolean, received 1/,
    );
  });
});

describe('state memory is given back', () => {
  it("an optimizer's state is freed for reuse once it is collected: 100 optimizers of 8 MB of state do not grow the memory by 800 MB", async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const load = loadWasm();
    if (!load.ok) throw new Error(load.reason);
    const w = new Float32Array(1 << 20);
    const g = { w: new Float32Array(1 << 20).fill(0.5) };
    const before = load.exports.memory.buffer.byteLength;
    for (let i = 0; i < 100; i++) {
      new Adam({ w }, { lr: 1e-3, backend: 'wasm' }).step(g);
      if (i % 10 === 9) {
        gc();
        await new Promise((resolve) => setTimeout(resolve, 0)); // finalizers run in a later task
      }
    }
    expect(load.exports.memory.buffer.byteLength - before).toBeLessThan(200 * 2 ** 20);
  });
});

describe("backend: 'wasm' in the package's entry points", () => {
  it('the optimizer classes report it and match the reference', () => {
    const make = (backend: 'wasm' | 'js') => {
      const p = { w: Float32Array.from({ length: 50 }, (_, i) => Math.sin(i)), b: Float64Array.from({ length: 5 }, (_, i) => i / 7) };
      return { p, opts: optimizers.map((row) => row.create(p, { ...row.options, backend })) };
    };
    const w = make('wasm');
    const j = make('js');
    for (const o of w.opts) expect(o.backend).toBe('wasm');
    for (let s = 0; s < 20; s++) {
      const g = {
        w: Float32Array.from({ length: 50 }, (_, i) => Math.cos(i + s)),
        b: Float64Array.from({ length: 5 }, (_, i) => (i - s) / 3),
      };
      for (let k = 0; k < w.opts.length; k++) {
        w.opts[k]!.step(g);
        j.opts[k]!.step(g);
      }
    }
    expectSameBits(w.p.w, j.p.w, 'w');
    expectSameBits(w.p.b, j.p.b, 'b');
  });

  it('stepAsync runs (synchronously) on it', async () => {
    const p = { w: new Float32Array([1, 2, 3]) };
    const q = { w: p.w.slice() };
    const g = { w: new Float32Array([0.5, -1, 2]) };
    await new Adam(p, { lr: 0.1, backend: 'wasm' }).stepAsync(g);
    new Adam(q, { lr: 0.1, backend: 'js' }).step(g);
    expectSameBits(p.w, q.w, 'w');
    expect(p.w[0]).not.toBe(1);
  });

  it('clipGradNorm gives the reference norm and scaled gradients', () => {
    const grads = () => [Float32Array.from({ length: 70_000 }, (_, i) => Math.sin(i) * 3), Float32Array.from({ length: 9 }, (_, i) => i)];
    const a = grads();
    const b = grads();
    expect(Object.is(clipGradNorm(a, 1, { backend: 'wasm' }), clipGradNorm(b, 1, { backend: 'js' }))).toBe(true);
    a.forEach((x, i) => expectSameBits(x, b[i]!, `grads[${i}]`));
  });

  it('LinearRegression runs its loss, gradients and predictions on it', () => {
    const x = matrixFromRows([
      [1, 2],
      [3, 4],
      [5, -6],
    ]);
    const y = vectorFrom([1, 2, 3]);
    const models = (['wasm', 'js'] as const).map((backend) => new LinearRegression(2, { seed: 2, backend }));
    const grads = models.map(() => ({ weights: new Float64Array(2), bias: new Float64Array(1) }));
    const losses = models.map((m, i) => m.lossGrad(x, y, grads[i]!, { loss: 'huber', delta: 0.5 }));
    expect(Object.is(losses[0], losses[1])).toBe(true);
    expectSameBits(grads[0]!.weights, grads[1]!.weights, 'weights');
    expectSameBits(models[0]!.predict(x), models[1]!.predict(x), 'predictions');
  });
});
