// The project's performance targets, checked against one run's rows. A target whose inputs
// were not measured in this run (e.g. --quick) is reported as such, never as met.
import { bestNative } from './compare.js';

const LARGE = '33554432';
const SMALL = '4096';
const MANY = '10000x100';
const ONE_MILLION = '1000000';

export function evaluateTargets({ rows, workloads }) {
  const ids = workloads.map((w) => w.id);
  const allThreads = Math.max(1, ...rows.filter((r) => r.family === 'native').map((r) => r.threads));
  return [
    limitTarget(rows, LARGE, 93),
    ...(allThreads > 1 ? [limitTarget(rows, LARGE, 93, allThreads)] : []),
    limitTarget(rows, SMALL, 75),
    ratioTarget(rows, ids, 'plain-js', 10, '≥ 10× the plain JS loop at every size'),
    ratioTarget(rows, ids, 'tfjs', 1, 'ahead of TF.js (every backend that ran) at every size'),
    manySmallTarget(rows),
    ...wasmTargets(rows),
  ];
}

// Issue #19's targets for the wasm backend, on its fast path (parameters and state in the
// module's memory); the rows with the user's own arrays show what the copies cost.
const WASM_ID = 'wasm-class-in-module';

function wasmTargets(rows) {
  const find = (workload, test) => rows.find((r) => r.ok && r.workload === workload && test(r));
  const targets = [];
  for (const workload of ['262144', '4194304']) {
    const size = Number(workload).toLocaleString('en-US');
    const wasm = find(workload, (r) => r.impl === WASM_ID);
    targets.push(
      speedUp(
        `wasm ≥ 50× the TypeScript reference at ${size} params`,
        wasm,
        find(workload, (r) => r.family === 'reference'),
        50,
      ),
      speedUp(
        `wasm ≥ 3× the plain JS loop at ${size} params`,
        wasm,
        find(workload, (r) => r.family === 'plain-js'),
        3,
      ),
    );
  }
  targets.push(
    withinFactor(
      'wasm within 3× of native AVX2 (1 thread) at 262,144 params',
      find('262144', (r) => r.impl === WASM_ID),
      find('262144', (r) => r.family === 'native' && r.isa === 'avx2' && r.threads === 1),
      3,
      (ratio) => `${ratio.toFixed(2)}× the native time`,
    ),
  );
  return targets;
}

/** `row` takes at most `factor` times as long as `base`. */
function withinFactor(name, row, base, factor, describe) {
  if (!row || !base) return notMeasured(name);
  const ratio = row.secondsPerStep / base.secondsPerStep;
  const met = ratio <= factor;
  return { name, met, measured: describe(ratio), shortfall: met ? undefined : `a factor ${(ratio / factor).toFixed(1)}` };
}

function speedUp(name, fast, slow, factor) {
  if (!fast || !slow) return notMeasured(name);
  const ratio = slow.secondsPerStep / fast.secondsPerStep;
  const met = ratio >= factor;
  return { name, met, measured: `${ratio.toFixed(1)}×`, shortfall: met ? undefined : `a factor ${(factor / ratio).toFixed(1)}` };
}

function limitTarget(rows, workload, percent, threads = 1) {
  const name = `≥ ${percent} % of the same-traffic limit at ${Number(workload).toLocaleString('en-US')} params, ${threads === 1 ? '1 thread' : `${threads} threads`}, best ISA`;
  const best = bestNative(rows, workload, threads);
  if (best?.pctOfLimit === undefined) return notMeasured(name);
  return {
    name,
    met: best.pctOfLimit >= percent,
    measured: `${best.pctOfLimit.toFixed(1)} % (${best.isa})`,
    shortfall: best.pctOfLimit >= percent ? undefined : `${(percent - best.pctOfLimit).toFixed(1)} points`,
  };
}

/** Best native vs every row of `family`, at every workload: the smallest speed-up must reach `factor`. */
function ratioTarget(rows, workloadIds, family, factor, name) {
  const ratios = [];
  for (const workload of workloadIds) {
    const best = bestNative(rows, workload);
    const others = rows.filter((r) => r.ok && r.family === family && r.workload === workload);
    if (!best || others.length === 0) continue;
    for (const other of others) ratios.push({ workload, against: other.impl, ratio: other.secondsPerStep / best.secondsPerStep });
  }
  if (ratios.length === 0) return notMeasured(name);
  const worst = ratios.reduce((a, b) => (b.ratio < a.ratio ? b : a));
  const met = worst.ratio >= factor;
  return {
    name,
    met,
    measured: `smallest speed-up ${worst.ratio.toFixed(1)}× (${worst.against} at ${worst.workload})`,
    shortfall: met ? undefined : `a factor ${(factor / worst.ratio).toFixed(1)}`,
  };
}

function manySmallTarget(rows) {
  const many = bestNative(rows, MANY);
  const one = bestNative(rows, ONE_MILLION);
  return withinFactor(
    '10,000 × 100 costs ≤ 1.3× one 1,000,000-param tensor (best ISA, 1 thread)',
    many,
    one,
    1.3,
    (ratio) => `${ratio.toFixed(2)}× (${many.isa} vs ${one.isa})`,
  );
}

function notMeasured(name) {
  return { name, met: null, measured: 'not measured in this run' };
}
