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
  ];
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
  const name = '10,000 × 100 costs ≤ 1.3× one 1,000,000-param tensor (best ISA, 1 thread)';
  const many = bestNative(rows, MANY);
  const one = bestNative(rows, ONE_MILLION);
  if (!many || !one) return notMeasured(name);
  const ratio = many.secondsPerStep / one.secondsPerStep;
  return {
    name,
    met: ratio <= 1.3,
    measured: `${ratio.toFixed(2)}× (${many.isa} vs ${one.isa})`,
    shortfall: ratio <= 1.3 ? undefined : `a factor ${(ratio / 1.3).toFixed(1)}`,
  };
}

function notMeasured(name) {
  return { name, met: null, measured: 'not measured in this run' };
}
