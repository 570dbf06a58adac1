/**
 * ADAM_SIMD_ISA picks the instruction set when the addon loads. Each case runs in a child
 * process, since the choice is made once per process.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { IsaName } from '../binding.js';
import { loadNative } from '../lib/native.js';
import { nativeBinding } from './helpers/backends.js';

const binding = nativeBinding();
const load = loadNative();
const addonPath = load.ok ? load.path : '';
const KNOWN: IsaName[] = ['scalar', 'avx2', 'avx512', 'neon'];

interface ChildReport {
  isa?: string;
  isas?: string[];
  error?: { name: string; message: string };
}

/**
 * Loads the addon in a fresh `node -e` with ADAM_SIMD_ISA set (or unset). A failed load is
 * reported as the JavaScript error it threw, so a crash cannot pass for a clean failure.
 */
function loadInChild(isa: string | undefined): { report: ChildReport; status: number | null; signal: string | null } {
  const script = `
    let report;
    try {
      const b = require(${JSON.stringify(addonPath)});
      report = { isa: b.isa, isas: b.isas };
    } catch (e) {
      report = { error: { name: e.constructor.name, message: e.message } };
    }
    process.stdout.write(JSON.stringify(report));`;
  const env = { ...process.env };
  delete env.ADAM_SIMD_ISA;
  if (isa !== undefined) env.ADAM_SIMD_ISA = isa;
  const child = spawnSync(process.execPath, ['-e', script], { env, encoding: 'utf8', timeout: 30_000 });
  return { report: child.stdout ? (JSON.parse(child.stdout) as ChildReport) : {}, status: child.status, signal: child.signal };
}

describe('ADAM_SIMD_ISA', () => {
  it('unset, the best instruction set this CPU runs is used', () => {
    const { report, status } = loadInChild(undefined);
    expect(status).toBe(0);
    expect(report.isa).toBe(binding.isas[binding.isas.length - 1]);
    expect(report.isas).toEqual(binding.isas);
  });

  it.each(binding.isas)('=%s is followed', (isa) => {
    const { report, status } = loadInChild(isa);
    expect(status).toBe(0);
    expect(report.error).toBeUndefined();
    expect(report.isa).toBe(isa);
    // Forcing one ISA does not hide the others.
    expect(report.isas).toEqual(binding.isas);
  });

  const unavailable = KNOWN.filter((isa) => !binding.isas.includes(isa));
  it.each([...unavailable, 'sse9', 'AVX2'])('=%s fails at load with an error naming it and what this CPU runs', (isa) => {
    const { report, status, signal } = loadInChild(isa);
    expect(signal).toBeNull();
    expect(status).toBe(0);
    expect(report.error?.name).toBe('Error');
    expect(report.error?.message).toContain(`ADAM_SIMD_ISA: instruction set '${isa}'`);
    expect(report.error?.message).toContain(`this CPU can run: ${binding.isas.join(', ')}`);
    const reason = KNOWN.includes(isa as IsaName) ? 'is not supported by this CPU or build' : 'is not an instruction set';
    expect(report.error?.message).toContain(reason);
  });

  it('an unknown ISA left uncaught ends the process through a JavaScript exception, not a crash', () => {
    const child = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(addonPath)})`], {
      env: { ...process.env, ADAM_SIMD_ISA: 'sse9' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(child.signal).toBeNull();
    expect(child.status).toBe(1);
    expect(child.stderr).toMatch(/^Error: adam-simd: ADAM_SIMD_ISA: instruction set 'sse9'/m);
  });
});

describe('forIsa', () => {
  it.each(binding.isas)('(%s) gives entry points bound to that ISA', (isa) => {
    const other = binding.forIsa(isa);
    expect(other.isa).toBe(isa);
    expect(other.isas).toEqual(binding.isas);
  });

  it.each([...KNOWN.filter((isa) => !binding.isas.includes(isa)), 'sse9'])(
    '(%s) is a RangeError naming it and what this CPU runs',
    (isa) => {
      expect(() => binding.forIsa(isa as IsaName)).toThrow(RangeError);
      expect(() => binding.forIsa(isa as IsaName)).toThrow(`forIsa: instruction set '${isa}'`);
      expect(() => binding.forIsa(isa as IsaName)).toThrow(`this CPU can run: ${binding.isas.join(', ')}`);
    },
  );
});
