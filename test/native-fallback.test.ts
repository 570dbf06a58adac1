/**
 * Where the addon does not load, the package runs on the reference and says so: info() gives
 * the backend, the reason and the fix, and the first default choice emits one process warning
 * with the same reason and fix (#15 item 19). The fall-back is forced through ADAM_SIMD_BINARY
 * (lib/native.ts) pointing at a missing file; each case imports a fresh copy of the package,
 * since the addon is loaded once per module instance.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const MISSING = '/nonexistent/adam-simd-test/adam_simd.node';

type Pkg = typeof import('../lib/index.js');

async function freshPackage(): Promise<Pkg> {
  vi.resetModules();
  return import('../lib/index.js');
}

describe('native addon missing (ADAM_SIMD_BINARY at a missing file)', () => {
  let saved: string | undefined;
  let warnings: { message: string; code: unknown }[];

  beforeEach(() => {
    saved = process.env.ADAM_SIMD_BINARY;
    process.env.ADAM_SIMD_BINARY = MISSING;
    warnings = [];
    vi.spyOn(process, 'emitWarning').mockImplementation((warning, options) => {
      const code = typeof options === 'object' && options !== null ? (options as { code?: unknown }).code : undefined;
      warnings.push({ message: String(warning), code });
    });
  });

  afterEach(() => {
    vi.restoreAllMocks();
    if (saved === undefined) delete process.env.ADAM_SIMD_BINARY;
    else process.env.ADAM_SIMD_BINARY = saved;
    vi.resetModules();
  });

  it('info() reports the js backend, the reason and the fix', async () => {
    const { info } = await freshPackage();
    const i = info();
    expect(i).toMatchObject({ backend: 'js', isa: null, isas: [], binding: 'none' });
    expect(i.reason).toContain(MISSING);
    expect(i.fix).toBe(`unset ADAM_SIMD_BINARY (${MISSING}) or point it at a built adam_simd.node`);
    expect(warnings).toEqual([]); // asking is not using
  });

  it('the first default choice warns once, naming the reason and the fix; later ones are silent', async () => {
    const { Adam, LinearRegression, Trainer, Sequential, Dense, matrixFromRows, vectorFrom, info } = await freshPackage();
    const w = new Float32Array(4);
    const opt = new Adam({ w }, { lr: 0.1 });
    expect(opt.backend).toBe('js');
    expect(warnings).toHaveLength(1);
    const { reason, fix } = info();
    expect(warnings[0]!.code).toBe('ADAM_SIMD_NO_NATIVE');
    expect(warnings[0]!.message).toBe(
      `native addon unavailable (${reason}); running on the TypeScript reference backend (same bits, slower). ` +
        `To fix: ${fix}; or pass backend: 'js' to choose the reference without this warning`,
    );
    // Every kernel family goes through the same choice, and none warns a second time.
    new Adam({ w }, { lr: 0.1 }).step({ w: new Float32Array([1, 2, 3, 4]) });
    const model = new LinearRegression(2, { seed: 1 });
    const history = new Trainer(model, new Adam(model.params, { lr: 0.1 }), { epochs: 2 }).train(
      matrixFromRows([[1, 2], [3, 4]]),
      vectorFrom([1, 2]),
    );
    expect(history.loss).toHaveLength(2);
    expect(new Sequential([new Dense({ units: 1, inputSize: 2 })], { seed: 1 }).backend).toBe('js');
    expect(warnings).toHaveLength(1);
  });

  it("backend: 'js' chooses the reference without a warning", async () => {
    const { Adam, Sequential, Dense } = await freshPackage();
    expect(new Adam({ w: new Float64Array(2) }, { backend: 'js' }).backend).toBe('js');
    expect(new Sequential([new Dense({ units: 1, inputSize: 2 })], { backend: 'js' }).backend).toBe('js');
    expect(warnings).toEqual([]);
  });

  it("backend: 'native' throws, naming the reason and the fix, and does not warn", async () => {
    const { Adam, Sequential, Dense } = await freshPackage();
    const expected = new RegExp(`native backend is unavailable: .*${MISSING}.*; to fix: unset ADAM_SIMD_BINARY`);
    expect(() => new Adam({ w: new Float64Array(2) }, { backend: 'native' })).toThrow(expected);
    expect(() => new Sequential([new Dense({ units: 1, inputSize: 2 })], { backend: 'native' })).toThrow(expected);
    expect(warnings).toEqual([]);
  });
});
