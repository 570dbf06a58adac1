/**
 * The schedulers against torch.optim.lr_scheduler (fixtures from test/fixtures/generate_torch.py)
 * and their option validation.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  LinearWarmup,
  OneCycleLR,
  ReduceLROnPlateau,
  StepLR,
  type LrGroup,
} from '../lib/schedulers/index.js';

interface SchedulerCase {
  scheduler: 'StepLR' | 'ExponentialLR' | 'CosineAnnealingLR' | 'LinearLR' | 'OneCycleLR' | 'ReduceLROnPlateau';
  options: Record<string, unknown>;
  optimizer: 'sgd' | 'adam';
  lrs: number[][];
  momenta?: number[][];
  metrics?: number[];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/schedulers.json', import.meta.url), 'utf8')) as {
  torch: string;
  baseLrs: number[];
  cases: SchedulerCase[];
};

/** torch's optimizers as the schedulers see them: SGD(momentum=0.9) or Adam(betas=(0.9, 0.999)), two groups. */
function optimizerLike(kind: 'sgd' | 'adam'): { paramGroups: LrGroup[] } {
  return {
    paramGroups: fixture.baseLrs.map((lr) => (kind === 'adam' ? { lr, betas: [0.9, 0.999] as const } : { lr, momentum: 0.9 })),
  };
}

const epochSchedulers = { StepLR, ExponentialLR, CosineAnnealingLR, LinearLR, OneCycleLR } as const;

function momentaOf(groups: readonly LrGroup[]): number[] {
  return groups.map((g) => g.betas?.[0] ?? g.momentum!);
}

/**
 * torch computes with Python floats (float64) in the same order as lib/schedulers, so lrs agree
 * bit for bit, except where a cosine enters: V8's Math.cos (fdlibm) and glibc's cos may differ
 * by an ulp, and the schedulers' recursions carry such a difference on. The bound: 4 ulps of
 * float64 (relative 2⁻⁵⁰) per step of the recursion.
 */
function expectLrsMatch(actual: number[], expected: number[], step: number, usesCos: boolean, label: string): void {
  for (let i = 0; i < expected.length; i++) {
    if (usesCos) {
      const bound = Math.abs(expected[i]!) * 2 ** -50 * (step + 1);
      expect(Math.abs(actual[i]! - expected[i]!), `${label} step ${step} group ${i}`).toBeLessThanOrEqual(bound);
    } else {
      expect(actual[i], `${label} step ${step} group ${i}`).toBe(expected[i]);
    }
  }
}

describe(`schedulers agree with torch ${fixture.torch}`, () => {
  for (const c of fixture.cases) {
    const label = `${c.scheduler} ${JSON.stringify(c.options)}`;
    const usesCos = c.scheduler === 'CosineAnnealingLR' || (c.scheduler === 'OneCycleLR' && c.options.annealStrategy !== 'linear');
    it(label, () => {
      const optimizer = optimizerLike(c.optimizer);
      const scheduler =
        c.scheduler === 'ReduceLROnPlateau'
          ? new ReduceLROnPlateau(optimizer, c.options)
          : new (epochSchedulers[c.scheduler] as new (o: unknown, options: unknown) => StepLR)(optimizer, c.options);
      c.lrs.forEach((expected, step) => {
        if (step > 0) {
          if (scheduler instanceof ReduceLROnPlateau) scheduler.step(c.metrics![step - 1]!);
          else scheduler.step();
        }
        expectLrsMatch(scheduler.getLastLr(), expected, step, usesCos, label);
        expectLrsMatch(
          optimizer.paramGroups.map((g) => g.lr),
          expected,
          step,
          usesCos,
          label,
        );
        if (c.momenta) expectLrsMatch(momentaOf(optimizer.paramGroups), c.momenta[step]!, step, usesCos, `${label} momentum`);
      });
    });
  }

  it('covers every scheduler', () => {
    expect(new Set(fixture.cases.map((c) => c.scheduler))).toEqual(
      new Set(['StepLR', 'ExponentialLR', 'CosineAnnealingLR', 'LinearLR', 'OneCycleLR', 'ReduceLROnPlateau']),
    );
  });
});

describe('scheduler option validation', () => {
  const bad: Array<[string, () => unknown, ErrorConstructor, RegExp]> = [
    [
      'StepLR without stepSize',
      () => new StepLR(optimizerLike('sgd'), {} as never),
      TypeError,
      /StepLR: options\.stepSize must be a number, received undefined/,
    ],
    [
      'StepLR fractional stepSize',
      () => new StepLR(optimizerLike('sgd'), { stepSize: 2.5 }),
      RangeError,
      /stepSize must be an integer, received 2\.5/,
    ],
    [
      'StepLR gamma 0',
      () => new StepLR(optimizerLike('sgd'), { stepSize: 2, gamma: 0 }),
      RangeError,
      /StepLR: options\.gamma must be a number > 0, received 0/,
    ],
    [
      'ExponentialLR NaN gamma',
      () => new ExponentialLR(optimizerLike('sgd'), { gamma: NaN }),
      RangeError,
      /ExponentialLR: options\.gamma must be a finite number, received NaN/,
    ],
    [
      'CosineAnnealingLR tMax 0',
      () => new CosineAnnealingLR(optimizerLike('sgd'), { tMax: 0 }),
      RangeError,
      /tMax must be an integer ≥ 1, received 0/,
    ],
    [
      'CosineAnnealingLR negative etaMin',
      () => new CosineAnnealingLR(optimizerLike('sgd'), { tMax: 3, etaMin: -1 }),
      RangeError,
      /etaMin must be a number ≥ 0, received -1/,
    ],
    [
      'LinearWarmup startFactor 0',
      () => new LinearWarmup(optimizerLike('sgd'), { startFactor: 0 }),
      RangeError,
      /startFactor must be a number > 0 and ≤ 1, received 0/,
    ],
    [
      'LinearWarmup endFactor 2',
      () => new LinearWarmup(optimizerLike('sgd'), { endFactor: 2 }),
      RangeError,
      /endFactor must be a number ≥ 0 and ≤ 1, received 2/,
    ],
    [
      'LinearWarmup totalIters "5"',
      () => new LinearWarmup(optimizerLike('sgd'), { totalIters: '5' as never }),
      TypeError,
      /totalIters must be a number, received "5"/,
    ],
    [
      'LinearWarmup unknown option',
      () => new LinearWarmup(optimizerLike('sgd'), { total_iters: 5 } as never),
      TypeError,
      /unknown option 'total_iters'/,
    ],
    [
      'OneCycleLR without length',
      () => new OneCycleLR(optimizerLike('sgd'), { maxLr: 0.1 }),
      TypeError,
      /totalSteps, or both epochs and stepsPerEpoch/,
    ],
    [
      'OneCycleLR anneal strategy',
      () => new OneCycleLR(optimizerLike('sgd'), { maxLr: 0.1, totalSteps: 9, annealStrategy: 'exp' as never }),
      TypeError,
      /annealStrategy must be one of 'cos', 'linear', received "exp"/,
    ],
    [
      'OneCycleLR maxLr per group',
      () => new OneCycleLR(optimizerLike('sgd'), { maxLr: [0.1], totalSteps: 9 }),
      RangeError,
      /maxLr must have one value per parameter group \(2\), received 1/,
    ],
    [
      'OneCycleLR pctStart 1',
      () => new OneCycleLR(optimizerLike('sgd'), { maxLr: 0.1, totalSteps: 9, pctStart: 1 }),
      RangeError,
      /pctStart must be a number ≥ 0 and < 1, received 1/,
    ],
    [
      'OneCycleLR momentum without momentum',
      () => new OneCycleLR({ paramGroups: [{ lr: 0.1 }] }, { maxLr: 0.1, totalSteps: 9 }),
      TypeError,
      /paramGroups\[0\] must be a group with betas or momentum/,
    ],
    [
      'ReduceLROnPlateau mode',
      () => new ReduceLROnPlateau(optimizerLike('sgd'), { mode: 'minimum' as never }),
      TypeError,
      /mode must be one of 'min', 'max', received "minimum"/,
    ],
    [
      'ReduceLROnPlateau factor 1',
      () => new ReduceLROnPlateau(optimizerLike('sgd'), { factor: 1 }),
      RangeError,
      /factor must be a number > 0 and < 1, received 1/,
    ],
    [
      'ReduceLROnPlateau patience -1',
      () => new ReduceLROnPlateau(optimizerLike('sgd'), { patience: -1 }),
      RangeError,
      /patience must be an integer ≥ 0, received -1/,
    ],
    ['no paramGroups', () => new ExponentialLR({} as never, { gamma: 0.9 }), TypeError, /optimizer\.paramGroups must be a non-empty array/],
    [
      'negative group lr',
      () => new ExponentialLR({ paramGroups: [{ lr: -1 }] }, { gamma: 0.9 }),
      RangeError,
      /optimizer\.paramGroups\[0\]\.lr must be a number ≥ 0, received -1/,
    ],
  ];
  for (const [label, make, type, message] of bad) {
    it(`rejects ${label}`, () => {
      expect(make).toThrow(type);
      expect(make).toThrow(message);
    });
  }

  it('a rejected construction leaves the lrs and momenta untouched', () => {
    const optimizer = optimizerLike('adam');
    expect(() => new OneCycleLR(optimizer, { maxLr: [0.1, 0.2, 0.3], totalSteps: 5 })).toThrow(RangeError);
    expect(optimizer.paramGroups).toEqual(optimizerLike('adam').paramGroups);
  });

  it('ReduceLROnPlateau rejects a metric that is not a number', () => {
    const scheduler = new ReduceLROnPlateau(optimizerLike('sgd'));
    expect(() => scheduler.step('0.5' as never)).toThrow(/metric must be a number, received "0\.5"/);
    expect(scheduler.lastEpoch).toBe(0);
  });

  it('OneCycleLR refuses a step past totalSteps, as torch does, and changes nothing', () => {
    const optimizer = optimizerLike('sgd');
    const scheduler = new OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) scheduler.step();
    const lrs = scheduler.getLastLr();
    expect(() => scheduler.step()).toThrow(new RangeError('OneCycleLR was stepped 5 times but totalSteps is 3'));
    expect(optimizer.paramGroups.map((g) => g.lr)).toEqual(lrs);
    expect(scheduler.lastEpoch).toBe(3);
  });

  it('LinearLR is LinearWarmup', () => {
    expect(LinearLR).toBe(LinearWarmup);
  });
});
