// Issue #14's targets, checked against one bench/limits.js run (1 thread unless stated, the
// best ISA). A target whose cases were not in the run is "not measured", never met.

export function limitsTargets(cases) {
  return [
    pctTarget(cases, '4096-t1', 'adam-plain', 60),
    pctTarget(cases, '4096-t1', 'adam-arena', 70),
    ratioTarget(cases, 'adam-plain', 2),
    ratioTarget(cases, 'adam-arena', 1.1),
    pctTarget(cases, '33554432-t1', 'adam-arena', 93),
    pctTarget(cases, '33554432-t2', 'adam-arena', 93),
  ];
}

function rowOf(cases, caseId, rowId) {
  return cases.find((c) => c.id === caseId)?.rows.find((r) => r.id === rowId);
}

function pctTarget(cases, caseId, rowId, percent) {
  const c = cases.find((k) => k.id === caseId);
  const [size, threads] = caseId.split('-t');
  const name = `${label(rowId)} at ${Number(size).toLocaleString('en-US')} params, ${threads} thread${threads === '1' ? '' : 's'}: ≥ ${percent} % of the pure C++ same-traffic loop`;
  const row = rowOf(cases, caseId, rowId);
  if (!c || !row) return { name, met: null, measured: 'not measured in this run' };
  const met = row.pctOfLimit >= percent;
  return {
    name,
    met,
    measured: `${row.pctOfLimit.toFixed(1)} %`,
    shortfall: met ? undefined : `${(percent - row.pctOfLimit).toFixed(1)} points`,
  };
}

/** 10,000 tensors of 100 against one of 1,000,000: time per parameter, ratio of the medians (two cases, so not one round). */
function ratioTarget(cases, rowId, factor) {
  const name = `${label(rowId)}: 10,000 × 100 costs ≤ ${factor}× one 1,000,000-param tensor`;
  const many = rowOf(cases, '10000x100-t1', rowId);
  const one = rowOf(cases, '1000000-t1', rowId);
  if (!many || !one) return { name, met: null, measured: 'not measured in this run' };
  const ratio = many.nsPerParam / one.nsPerParam;
  const met = ratio <= factor;
  return { name, met, measured: `${ratio.toFixed(2)}×`, shortfall: met ? undefined : `a factor ${(ratio / factor).toFixed(2)}` };
}

function label(rowId) {
  return rowId === 'adam-plain' ? '`Adam` on plain Float32Arrays' : '`Adam` over createParameters';
}
