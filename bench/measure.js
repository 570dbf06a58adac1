// Timing one case: warm up, then time repetitions of a batch of steps until a minimum time
// has passed, and keep every repetition's time per step.
//
// The median is what the tables show: this machine has 2 cores shared with other work, and
// the median ignores a repetition that another process slowed down without rewarding a lucky
// one. The minimum is kept in results.json too.

/**
 * @param {() => void} step one optimizer step
 * @param {{ minTime: number, maxCaseTime: number, minReps: number, maxReps: number }} budget seconds
 */
export function measure(step, budget) {
  const started = now();
  // Warm-up: lets the JIT compile JavaScript steps and brings the buffers into cache, for at
  // least 3 steps and a quarter of the minimum time, but a slow case warms up once only.
  let warmSteps = 0;
  let perStep = Infinity;
  while (warmSteps < 3 || now() - started < budget.minTime / 4) {
    const t0 = now();
    step();
    perStep = Math.min(perStep, now() - t0);
    warmSteps++;
    if (perStep * (warmSteps + 1) > budget.maxCaseTime / 3) break;
  }

  // A repetition lasts about minTime / minReps, so fast steps are batched above timer noise.
  const stepsPerRep = Math.max(1, Math.round(budget.minTime / budget.minReps / perStep));
  const samples = [];
  const timed = now();
  for (;;) {
    const t0 = now();
    for (let k = 0; k < stepsPerRep; k++) step();
    samples.push((now() - t0) / stepsPerRep);
    const elapsed = now() - timed;
    const enough = elapsed >= budget.minTime && samples.length >= budget.minReps;
    if (enough || samples.length >= budget.maxReps || now() - started >= budget.maxCaseTime) break;
  }
  return { median: median(samples), min: Math.min(...samples), reps: samples.length, stepsPerRep, warmSteps };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function now() {
  return performance.now() / 1e3;
}
