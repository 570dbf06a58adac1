/**
 * Where the addon does not load, the package steps down to the WebAssembly build of the same
 * kernels, and where that does not load either, to the reference, and says so: info() gives
 * the backend, the reason and the fix, and the first default choice emits one process warning
 * naming why each step was taken and the fix (#15 item 19, #19 item 2). The fall-backs are
 * forced through ADAM_SIMD_BINARY (lib/native.ts) and ADAM_SIMD_WASM (lib/wasm/module.ts)
 * pointing at missing files; each case imports a fresh copy of the package, since the addon
 * and the module are loaded once per module instance.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const MISSING = '/nonexistent/adam-simd-test/adam_simd.node';
const MISSING_WASM = '/nonexistent/adam-simd-test/adam_simd.wasm';

type Pkg = typeof import('../lib/index.js');

async function freshPackage(): Promise<Pkg> {
  vi.resetModules();
  return import('../lib/index.js');
}

/**
 * Steps `w` and uses every other kernel family on their default backend (clipping, the linear
 * model and its Trainer, a network, which runs on the reference without the addon).
 */
async function useEveryFamily(w: Float32Array): Promise<void> {
  const { Adam, LinearRegression, Trainer, Sequential, Dense, matrixFromRows, vectorFrom, clipGradNorm } = await import('../lib/index.js');
  new Adam({ w }, { lr: 0.1 }).step({ w: new Float32Array([1, 2, 3, 4]) });
  clipGradNorm([new Float32Array([3, 4])], 1);
  const model = new LinearRegression(2, { seed: 1 });
  const history = new Trainer(model, new Adam(model.params, { lr: 0.1 }), { epochs: 2 }).train(
    matrixFromRows([
      [1, 2],
      [3, 4],
    ]),
    vectorFrom([1, 2]),
  );
  expect(history.loss).toHaveLength(2);
  expect(new Sequential([new Dense({ units: 1, inputSize: 2 })], { seed: 1 }).backend).toBe('js');
}

/** Runs `body`'s tests with the environment variables set, and the process warnings recorded. */
function withMissing(env: Record<string, string>, body: (warnings: () => { message: string; code: unknown }[]) => void): void {
  let saved: Record<string, string | undefined>;
  let warnings: { message: string; code: unknown }[];

  beforeEach(() => {
    saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    warnings = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning, options) => {
      const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : undefined;
      warnings.push({ message: String(warning), code });
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    vi.resetModules();
  });

  body(() => warnings);
}

describe('native addon missing (ADAM_SIMD_BINARY at a missing file): the wasm backend', () => {
  withMissing({ ADAM_SIMD_BINARY: MISSING }, (warnings) => {
    it('info() reports the wasm backend, and why native is unavailable', async () => {
      const { info } = await freshPackage();
      const i = info();
      expect(i).toMatchObject({ backend: 'wasm', isa: null, isas: [], binding: 'none' });
      expect(i.reason).toContain(MISSING);
      expect(i.fix).toBe(`unset ADAM_SIMD_BINARY (${MISSING}) or point it at a built adam_simd.node`);
      expect(warnings()).toEqual([]); // asking is not using
    });

    it('the first default choice warns once, naming the reason and the fix; later ones are silent', async () => {
      const { Adam, info } = await freshPackage();
      const w = new Float32Array(4);
      const opt = new Adam({ w }, { lr: 0.1 });
      expect(opt.backend).toBe('wasm');
      expect(warnings()).toHaveLength(1);
      const { reason, fix } = info();
      expect(warnings()[0]!.code).toBe('ADAM_SIMD_NO_NATIVE');
      expect(warnings()[0]!.message).toBe(
        `native addon unavailable (${reason}); running on the WebAssembly backend (same bits, slower than native; networks run on the TypeScript reference). ` +
          `To fix: ${fix}; or pass backend: 'wasm' to choose it without this warning`,
      );
      // Every kernel family goes through the same choice, and none warns a second time.
      await useEveryFamily(w);
      expect(w[0]).not.toBe(0);
      expect(warnings()).toHaveLength(1);
    });

    it("backend: 'wasm' and backend: 'js' choose theirs without a warning", async () => {
      const { Adam } = await freshPackage();
      expect(new Adam({ w: new Float64Array(2) }, { backend: 'wasm' }).backend).toBe('wasm');
      expect(new Adam({ w: new Float64Array(2) }, { backend: 'js' }).backend).toBe('js');
      expect(warnings()).toEqual([]);
    });

    it("backend: 'native' throws, naming the reason and the fix, and does not warn", async () => {
      const { Adam, Sequential, Dense } = await freshPackage();
      const expected = new RegExp(`native backend is unavailable: .*${MISSING}.*; to fix: unset ADAM_SIMD_BINARY`);
      expect(() => new Adam({ w: new Float64Array(2) }, { backend: 'native' })).toThrow(expected);
      expect(() => new Sequential([new Dense({ units: 1, inputSize: 2 })], { backend: 'native' })).toThrow(expected);
      expect(warnings()).toEqual([]);
    });
  });
});

describe('a forced ISA (ADAM_SIMD_ISA) without the addon: no kernel family falls back', () => {
  withMissing({ ADAM_SIMD_BINARY: MISSING, ADAM_SIMD_ISA: 'scalar' }, (warnings) => {
    it('optimizers, clipping, the linear model, its Trainer and networks all throw (one resolver, lib/backend.ts)', async () => {
      const { Adam, LinearRegression, Trainer, Sequential, Dense, matrixFromRows, clipGradNorm } = await freshPackage();
      const expected = /native backend is unavailable: .*; to fix: unset ADAM_SIMD_BINARY/;
      expect(() => new Adam({ w: new Float64Array(2) })).toThrow(expected);
      expect(() => clipGradNorm([new Float32Array([3, 4])], 1)).toThrow(expected);
      const model = new LinearRegression(2, { backend: 'js' });
      expect(() => new LinearRegression(2).predict(matrixFromRows([[1, 2]]))).toThrow(expected);
      expect(() => new Trainer(model, new Adam(model.params, { backend: 'js' }), { epochs: 1, backend: 'native' })).toThrow(expected);
      expect(() => new Sequential([new Dense({ units: 1, inputSize: 2 })])).toThrow(expected);
      expect(warnings()).toEqual([]);
    });
  });
});

describe('native addon and wasm module missing (ADAM_SIMD_WASM at a missing file too): the reference', () => {
  withMissing({ ADAM_SIMD_BINARY: MISSING, ADAM_SIMD_WASM: MISSING_WASM }, (warnings) => {
    it('info() reports the js backend, the reason and the fix', async () => {
      const { info } = await freshPackage();
      const i = info();
      expect(i).toMatchObject({ backend: 'js', isa: null, isas: [], binding: 'none' });
      expect(i.reason).toContain(MISSING);
      expect(i.fix).toBe(`unset ADAM_SIMD_BINARY (${MISSING}) or point it at a built adam_simd.node`);
      expect(warnings()).toEqual([]);
    });

    it('the first default choice warns once, naming both reasons and the fix; later ones are silent', async () => {
      const { Adam, info } = await freshPackage();
      const w = new Float32Array(4);
      const opt = new Adam({ w }, { lr: 0.1 });
      expect(opt.backend).toBe('js');
      expect(warnings()).toHaveLength(1);
      const { reason, fix } = info();
      expect(warnings()[0]!.code).toBe('ADAM_SIMD_NO_NATIVE');
      expect(warnings()[0]!.message).toMatch(
        new RegExp(
          `^native addon unavailable \\(.*${MISSING}.*\\); and the WebAssembly backend did not load \\(${MISSING_WASM}: .*ENOENT.*\\); running on the TypeScript reference backend \\(same bits, slower\\)\\. `,
        ),
      );
      expect(warnings()[0]!.message).toContain(`(${reason});`);
      expect(warnings()[0]!.message).toContain(`To fix: ${fix}; or pass backend: 'js' to choose the reference without this warning`);
      await useEveryFamily(w);
      expect(warnings()).toHaveLength(1);
    });

    it("backend: 'wasm' throws, naming the module and why, and does not warn", async () => {
      const { Adam, clipGradNorm } = await freshPackage();
      const expected = new RegExp(`WebAssembly backend is unavailable: ${MISSING_WASM}: .*ENOENT`);
      expect(() => new Adam({ w: new Float64Array(2) }, { backend: 'wasm' })).toThrow(expected);
      expect(() => clipGradNorm([new Float64Array(2)], 1, { backend: 'wasm' })).toThrow(expected);
      expect(warnings()).toEqual([]);
    });
  });
});
