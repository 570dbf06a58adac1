/**
 * Schedules that would set a NaN or infinite lr (issue 15, item 9) are refused when built, or
 * the epoch that would overflow is refused, leaving the optimizer as it was.
 */
import { describe, expect, it } from 'vitest';
import { ExponentialLR, OneCycleLR, StepLR, type LrGroup } from '../lib/schedulers/index.js';

function sgdLike(lr = 0.1): { paramGroups: LrGroup[] } {
  return { paramGroups: [{ lr, momentum: 0.9 }] };
}

describe('OneCycleLR refuses schedules with an empty phase or overflowing lrs', () => {
  it.each([
    [{ totalSteps: 2, pctStart: 0.5 }],
    [{ totalSteps: 4, pctStart: 0.25 }],
    [{ totalSteps: 10, pctStart: 0.1, threePhase: true }],
    [{ epochs: 2, stepsPerEpoch: 5, pctStart: 0.1 }],
  ])('%o: RangeError naming pctStart and totalSteps, optimizer untouched', (options) => {
    const opt = sgdLike();
    expect(() => new OneCycleLR(opt, { maxLr: 1, ...options })).toThrow(RangeError);
    expect(() => new OneCycleLR(opt, { maxLr: 1, ...options })).toThrow(
      /pctStart \(0\.\d+\) × totalSteps \(\d+\) = 1 leaves the rising phase no steps/,
    );
    expect(opt.paramGroups[0]).toEqual({ lr: 0.1, momentum: 0.9 });
  });

  it('neighbouring schedules still give finite lrs and momenta at every step', () => {
    for (const [totalSteps, pctStart, threePhase] of [
      [2, 0.3, false],
      [2, 0.0, false],
      [3, 0.5, true],
      [1, 0.5, false],
      [5, 0.25, true],
    ] as const) {
      const opt = sgdLike();
      const s = new OneCycleLR(opt, { maxLr: 1, totalSteps, pctStart, threePhase });
      for (let step = 0; step < totalSteps; step++) {
        expect(Number.isFinite(opt.paramGroups[0]!.lr), `lr at ${step} of ${totalSteps}/${pctStart}`).toBe(true);
        expect(Number.isFinite(opt.paramGroups[0]!.momentum), `momentum at ${step}`).toBe(true);
        if (step + 1 < totalSteps) s.step();
      }
    }
  });

  it('an initial or final lr that overflows is refused by name', () => {
    const opt = sgdLike();
    expect(() => new OneCycleLR(opt, { maxLr: 1e300, divFactor: 1e-10, totalSteps: 10 })).toThrow(
      /OneCycleLR: options: maxLr \/ divFactor \/ finalDivFactor must stay finite, received maxLr 1e\+300 \(group 0\), divFactor 1e-10/,
    );
    expect(() => new OneCycleLR(opt, { maxLr: 1e300, finalDivFactor: 1e-10, divFactor: 1, totalSteps: 10 })).toThrow(RangeError);
    expect(opt.paramGroups[0]).toEqual({ lr: 0.1, momentum: 0.9 });
  });

  it('epochs × stepsPerEpoch past 2⁵³ is refused', () => {
    expect(() => new OneCycleLR(sgdLike(), { maxLr: 1, epochs: 2 ** 30, stepsPerEpoch: 2 ** 30 })).toThrow(
      /epochs \(1073741824\) × stepsPerEpoch \(1073741824\) must be at most/,
    );
  });
});

describe('chained schedulers refuse an epoch whose lr overflows', () => {
  it.each([
    ['ExponentialLR', (o: { paramGroups: LrGroup[] }) => new ExponentialLR(o, { gamma: 1e200 })],
    ['StepLR', (o: { paramGroups: LrGroup[] }) => new StepLR(o, { stepSize: 1, gamma: 1e200 })],
  ] as const)('%s', (name, make) => {
    const opt = sgdLike(1e10);
    const s = make(opt);
    s.step(); // 1e210; the next would overflow
    expect(opt.paramGroups[0]!.lr).toBe(1e210);
    expect(() => s.step()).toThrow(new RangeError(`${name}.step: epoch 2 would set optimizer.paramGroups[0].lr to Infinity (not finite)`));
    expect(opt.paramGroups[0]!.lr).toBe(1e210);
    expect(s.lastEpoch).toBe(1);
  });
});
