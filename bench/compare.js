// Ratios derived from the measured rows: % of the same-traffic limit, and speed-up over the
// plain JavaScript loop.

/**
 * The limit at a size is the fastest adamTraffic of any ISA there (same thread count): the
 * least time the hardware needs to move an Adam step's 28 bytes per parameter.
 */
export function limitSeconds(rows, workload, threads) {
  const times = rows
    .filter((r) => r.ok && r.family === 'traffic' && r.workload === workload && r.threads === threads)
    .map((r) => r.secondsPerStep);
  return times.length > 0 ? Math.min(...times) : undefined;
}

export function addComparisons(rows) {
  for (const row of rows) {
    if (!row.ok) continue;
    const limit = limitSeconds(rows, row.workload, row.threads);
    if (limit !== undefined) row.pctOfLimit = (limit / row.secondsPerStep) * 100;
    const plain = rows.find((r) => r.ok && r.family === 'plain-js' && r.workload === row.workload);
    if (plain) row.speedupVsPlainJs = plain.secondsPerStep / row.secondsPerStep;
  }
}

/** The fastest native Adam row at a workload and thread count (the "best ISA"). */
export function bestNative(rows, workload, threads = 1) {
  return rows
    .filter((r) => r.ok && r.family === 'native' && r.workload === workload && r.threads === threads)
    .reduce((best, r) => (best === undefined || r.secondsPerStep < best.secondsPerStep ? r : best), undefined);
}
