#!/usr/bin/env node
// npm run bench: f32 Adam throughput of every implementation at every size, written to the
// terminal, results.json, adam-f32.svg and RESULTS.md. `node bench/run.js --help` for options.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine } from './machine.js';
import { measure } from './measure.js';
import { implementationsToRun } from './implementations.js';
import { HYPER, STEP, BYTES_PER_PARAM, TensorSet, manySmall, singleTensor, totalParams } from './workloads.js';
import { addComparisons } from './compare.js';
import { evaluateTargets } from './targets.js';
import { terminalTable } from './table.js';
import { chartSvg } from './svg-chart.js';
import { resultsMarkdown } from './results-md.js';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const distDir = new URL('../dist/', import.meta.url);

const FULL = { sizes: [4096, 262144, 1000000, 4194304, 33554432], many: '10000x100', minTime: 0.4 };
const QUICK = { sizes: [4096, 262144], many: '1000x100', minTime: 0.1 };

if (!existsSync(new URL('scalars.js', distDir))) fail('dist/scalars.js is missing: run `npx tsc -p .` first');
// The package's own option parser (lib/cli/args.ts), as the adam-simd command uses.
const { parseScriptOptions } = await import(new URL('cli/args.js', distDir).href);
const opts = parseScriptOptions({
  name: 'bench',
  description: 'f32 Adam step throughput: native ISAs, traffic limit, TS reference, plain JS, TF.js',
  options: [
    { flags: '--quick', description: 'CI size: small sizes and short timing (< 30 s); writes to a temp dir unless --out' },
    { flags: '--sizes <list>', description: 'comma-separated single-tensor sizes (env BENCH_SIZES)', default: process.env.BENCH_SIZES },
    {
      flags: '--many <countxsize>',
      description: 'many-small-tensors case, e.g. 10000x100; "none" to skip (env BENCH_MANY)',
      default: process.env.BENCH_MANY,
    },
    { flags: '--min-time <s>', description: 'minimum timed seconds per case (env BENCH_MIN_TIME)', default: process.env.BENCH_MIN_TIME },
    {
      flags: '--max-case-time <s>',
      description: 'stop a slow case after this many seconds (env BENCH_MAX_CASE_TIME)',
      default: process.env.BENCH_MAX_CASE_TIME ?? '12',
    },
    {
      flags: '--only <ids>',
      description: 'comma-separated implementation ids or families (native, traffic, wasm, reference, plain-js, tfjs)',
    },
    { flags: '--out <dir>', description: 'where results.json, adam-f32.svg and RESULTS.md go (default: bench/)' },
    { flags: '--no-write', description: 'print the table only' },
  ],
});

const preset = opts.quick ? QUICK : FULL;
const sizes = opts.sizes ? opts.sizes.split(',').map(positiveInt('--sizes')) : preset.sizes;
const many = opts.many ?? preset.many;
const minTime = opts.minTime ? positiveNumber('--min-time')(opts.minTime) : preset.minTime;
const budget = { minTime, maxCaseTime: positiveNumber('--max-case-time')(opts.maxCaseTime), minReps: 5, maxReps: 50 };
const outDir = opts.out ?? (opts.quick ? join(os.tmpdir(), 'adam-simd-bench') : benchDir);

const workloads = sizes.map(singleTensor);
if (many !== 'none') {
  const [count, size] = many.split('x').map(positiveInt('--many'));
  if (size === undefined) fail(`--many: expected COUNTxSIZE such as 10000x100, received "${many}"`);
  workloads.push(manySmall(count, size));
}

const { adamScalars } = await import(new URL('scalars.js', distDir).href);
const { loadNative } = await import(new URL('native.js', distDir).href);
const native = loadNative();
if (!native.ok) fail(`the native addon did not load: ${native.reason}`);
const binding = native.binding;
const scalars = adamScalars(HYPER, STEP);

const { implementations, skipped } = await implementationsToRun({ binding, scalars, distDir, only: opts.only });
const machine = describeMachine(binding.isas);
const loadBefore = os.loadavg()[0];
console.log(`${machine.cpu}, ${machine.logicalCores} logical cores, Node ${machine.node}, ISAs ${binding.isas.join(' ')}`);
for (const s of skipped) console.log(`skipped ${s.id}: ${s.reason}`);

const rows = [];
const lastNsPerParam = new Map();
for (const workload of workloads) {
  const set = new TensorSet(workload);
  const params = totalParams(workload);
  for (const impl of implementations) {
    const row = {
      workload: workload.id,
      params,
      impl: impl.id,
      label: impl.label,
      family: impl.family,
      isa: impl.isa ?? null,
      threads: impl.threads,
    };
    // A case whose one step would already take longer than the case budget (judged from the
    // implementation's time per parameter at the previous size) is not run at all.
    const projected = (lastNsPerParam.get(impl.id) ?? 0) * params * 1e-9;
    if (projected > budget.maxCaseTime) {
      Object.assign(row, {
        ok: false,
        error: `not run: one step would take about ${projected.toFixed(0)} s (over --max-case-time ${budget.maxCaseTime} s)`,
      });
      rows.push(row);
      console.log(progressLine(workload, row));
      continue;
    }
    let instance;
    try {
      instance = await impl.setup(set.reset());
      const m = measure(instance.step, budget);
      Object.assign(row, {
        ok: true,
        secondsPerStep: m.median,
        minSecondsPerStep: m.min,
        nsPerParam: (m.median / params) * 1e9,
        gbPerS: (params * BYTES_PER_PARAM) / m.median / 1e9,
        reps: m.reps,
        stepsPerRep: m.stepsPerRep,
      });
      lastNsPerParam.set(impl.id, row.nsPerParam);
    } catch (error) {
      Object.assign(row, { ok: false, error: `failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
    } finally {
      instance?.dispose?.();
    }
    rows.push(row);
    console.log(progressLine(workload, row));
  }
}

addComparisons(rows);
const command = `node bench/run.js ${process.argv.slice(2).join(' ')}`.trim();
const results = {
  command: process.env.npm_lifecycle_event === 'bench' && process.argv.length === 2 ? 'npm run bench' : command,
  date: new Date().toISOString(),
  machine: { ...machine, loadAverage1min: { before: loadBefore, after: os.loadavg()[0] } },
  method: {
    statistic: 'median of repetitions (min also recorded)',
    ...budget,
    bytesPerParam: BYTES_PER_PARAM,
    hyper: HYPER,
    step: STEP,
    limit: 'fastest adamTraffic of any ISA at the same size and thread count',
  },
  workloads,
  skipped,
  rows,
};
results.targets = evaluateTargets(results);

console.log(`\n${terminalTable(results)}`);
if (opts.write) {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(outDir, 'adam-f32.svg'), chartSvg(results));
  writeFileSync(join(outDir, 'RESULTS.md'), resultsMarkdown(results, benchDir));
  console.log(`\nwrote results.json, adam-f32.svg and RESULTS.md to ${outDir}`);
}

function progressLine(workload, row) {
  const what = `${workload.label.padStart(12)}  ${row.label.padEnd(28)}`;
  return row.ok ? `${what} ${row.nsPerParam.toFixed(3).padStart(9)} ns/param  (${row.reps} reps)` : `${what} ${row.error}`;
}

function positiveInt(flag) {
  return (text) => {
    const n = Number(text);
    if (!Number.isSafeInteger(n) || n <= 0) fail(`${flag}: expected a positive integer, received "${text}"`);
    return n;
  };
}

function positiveNumber(flag) {
  return (text) => {
    const n = Number(text);
    if (!(n > 0) || !Number.isFinite(n)) fail(`${flag}: expected a positive number of seconds, received "${text}"`);
    return n;
  };
}

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}
