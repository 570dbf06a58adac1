/**
 * Every public constructor and factory of lib/index.ts refuses a misspelled option and a
 * wrong-typed value with a TypeError that names the argument (lib/validate.ts). The table
 * has one row per runtime export, checked against the exports themselves: a new export
 * without a row fails here until someone says how it is validated.
 */
import { describe, expect, it, vi } from 'vitest';
import * as lib from '../lib/index.js';
import { datasetFromRecords } from '../lib/data/records.js';

const {
  Adam,
  AdamW,
  SGD,
  Adagrad,
  RMSprop,
  Lion,
  createParameters,
  clipGradNorm,
  LinearRegression,
  Trainer,
  Sequential,
  Dense,
  matrixFromRows,
  vectorFrom,
} = lib;

const params = () => createParameters({ w: 4 }).params;
const optimizer = () => new SGD(params(), { lr: 0.1, momentum: 0.9 });

interface Checked {
  /** The call with a valid argument plus the unknown key `bogus`; absent where the export takes no options object. */
  unknownKey?: () => unknown;
  /** The argument name the unknown-key TypeError must start with. */
  options?: string;
  /** The call with one wrong-typed value, and the text its TypeError must contain. */
  wrongType: () => unknown;
  names: string;
}

/** Exports that take no options and no argument to type-check, and why. */
type Exempt = { exempt: string };

const table: Record<keyof typeof lib, Checked | Exempt> = {
  Adam: {
    unknownKey: () => new Adam(params(), { lr: 0.1, bogus: 1 } as never),
    options: 'Adam: options',
    wrongType: () => new Adam(params(), { lr: '0.1' } as never),
    names: 'Adam: options.lr must be a number, received "0.1"',
  },
  AdamW: {
    unknownKey: () => new AdamW(params(), { bogus: 1 } as never),
    options: 'AdamW: options',
    wrongType: () => new AdamW(params(), { amsgrad: 1 } as never),
    names: 'AdamW: options.amsgrad must be a boolean, received 1',
  },
  SGD: {
    unknownKey: () => new SGD(params(), { momentum: 0.9, bogus: 1 } as never),
    options: 'SGD: options',
    wrongType: () => new SGD(params(), { nesterov: 'yes' } as never),
    names: 'SGD: options.nesterov must be a boolean, received "yes"',
  },
  Adagrad: {
    unknownKey: () => new Adagrad(params(), { bogus: 1 } as never),
    options: 'Adagrad: options',
    wrongType: () => new Adagrad(params(), { lrDecay: '0' } as never),
    names: 'Adagrad: options.lrDecay must be a number, received "0"',
  },
  RMSprop: {
    unknownKey: () => new RMSprop(params(), { bogus: 1 } as never),
    options: 'RMSprop: options',
    wrongType: () => new RMSprop(params(), { centered: 'yes' } as never),
    names: 'RMSprop: options.centered must be a boolean, received "yes"',
  },
  Lion: {
    unknownKey: () => new Lion(params(), { bogus: 1 } as never),
    options: 'Lion: options',
    wrongType: () => new Lion(params(), { weightDecay: '0' } as never),
    names: 'Lion: options.weightDecay must be a number, received "0"',
  },
  createParameters: {
    unknownKey: () => createParameters({ w: 2 }, { dtype: 'float32', bogus: 1 } as never),
    options: 'createParameters: options',
    wrongType: () => createParameters({ w: 2 }, { shared: 'no' } as never),
    names: 'createParameters: options.shared must be a boolean, received "no"',
  },
  clipGradNorm: {
    unknownKey: () => clipGradNorm([new Float32Array(2)], 1, { bogus: 1 } as never),
    options: 'clipGradNorm: options',
    wrongType: () => clipGradNorm([new Float32Array(2)], '1' as never),
    names: 'clipGradNorm: maxNorm must be a number, received "1"',
  },
  clipGradValue: {
    wrongType: () => clipGradValue([new Float32Array(2)], '1' as never),
    names: 'clipGradValue: clipValue must be a number, received "1"',
  },
  info: { exempt: 'takes no argument' },
  reference: { exempt: 'a namespace of kernels, checked by test/reference-agreement.test.ts and test/binding-errors.test.ts' },
  scalars: { exempt: 'a namespace of scalar packers, checked by test/scalars-range.test.ts' },
  LinearRegression: {
    unknownKey: () => new LinearRegression(2, { seed: 1, bogus: 1 } as never),
    options: 'LinearRegression: options',
    wrongType: () => new LinearRegression('2' as never),
    names: 'LinearRegression: features must be a number, received "2"',
  },
  regressionMetrics: {
    wrongType: () => lib.regressionMetrics([1] as never, new Float64Array(1)),
    names: 'regressionMetrics: predicted must be a Float32Array or Float64Array, received an array of length 1',
  },
  readModelFile: { wrongType: () => lib.readModelFile(7 as never), names: 'readModelFile: path must be a string, received 7' },
  predictWithFile: {
    wrongType: () => lib.predictWithFile({} as never, matrixFromRows([[1, 2]])),
    names: 'predictWithFile: file must be a model file (from readModelFile), received an object',
  },
  solveLeastSquares: {
    wrongType: () => lib.solveLeastSquares({} as never, new Float64Array(1)),
    names: 'solveLeastSquares: X must be a Matrix { data, rows, cols }',
  },
  Trainer: {
    unknownKey: () => new Trainer(new LinearRegression(2), optimizer() as never, { epochs: 10, bogus: 1 } as never),
    options: 'Trainer: options',
    wrongType: () => new Trainer(new LinearRegression(2), optimizer() as never, { epochs: '10' } as never),
    names: 'Trainer: options.epochs must be a number, received "10"',
  },
  DivergenceError: { exempt: 'an error class the Trainer throws, made with its numbers' },
  matrixFromRows: {
    wrongType: () => matrixFromRows([[1]], 32 as never),
    names: "matrixFromRows: dtype must be one of 'float32', 'float64', received 32",
  },
  vectorFrom: {
    wrongType: () => vectorFrom([1], 'float16' as never),
    names: "vectorFrom: dtype must be one of 'float32', 'float64', received \"float16\"",
  },
  alignedArray: {
    wrongType: () => lib.alignedArray(Array as never, 2),
    names: 'alignedArray: Ctor must be Float32Array or Float64Array, received a function',
  },
  Sequential: {
    unknownKey: () => new Sequential([new Dense({ units: 1, inputSize: 2 })], { seed: 1, bogus: 1 } as never),
    options: 'Sequential: options',
    wrongType: () => new Sequential([new Dense({ units: 1, inputSize: 2 })], { seed: '1' } as never),
    names: 'Sequential: options.seed must be a number, received "1"',
  },
  Dense: {
    unknownKey: () => new Dense({ units: 2, bogus: 1 } as never),
    options: 'Dense: options',
    wrongType: () => new Dense({ units: 2, useBias: 0 } as never),
    names: 'Dense: options.useBias must be a boolean, received 0',
  },
  INITIALIZERS: { exempt: 'a list of names' },
  LRScheduler: { exempt: 'the abstract base of the schedulers below (its constructor is protected)' },
  StepLR: {
    unknownKey: () => new lib.StepLR(optimizer(), { stepSize: 2, bogus: 1 } as never),
    options: 'StepLR: options',
    wrongType: () => new lib.StepLR(optimizer(), { stepSize: '2' } as never),
    names: 'StepLR: options.stepSize must be a number, received "2"',
  },
  ExponentialLR: {
    unknownKey: () => new lib.ExponentialLR(optimizer(), { gamma: 0.9, bogus: 1 } as never),
    options: 'ExponentialLR: options',
    wrongType: () => new lib.ExponentialLR(optimizer(), { gamma: '0.9' } as never),
    names: 'ExponentialLR: options.gamma must be a number, received "0.9"',
  },
  CosineAnnealingLR: {
    unknownKey: () => new lib.CosineAnnealingLR(optimizer(), { tMax: 5, bogus: 1 } as never),
    options: 'CosineAnnealingLR: options',
    wrongType: () => new lib.CosineAnnealingLR(optimizer(), { tMax: 5, etaMin: '0' } as never),
    names: 'CosineAnnealingLR: options.etaMin must be a number, received "0"',
  },
  LinearLR: {
    unknownKey: () => new lib.LinearLR(optimizer(), { bogus: 1 } as never),
    options: 'LinearWarmup: options',
    wrongType: () => new lib.LinearLR(optimizer(), { totalIters: [5] } as never),
    names: 'LinearWarmup: options.totalIters must be a number, received an array of length 1',
  },
  LinearWarmup: {
    unknownKey: () => new lib.LinearWarmup(optimizer(), { bogus: 1 } as never),
    options: 'LinearWarmup: options',
    wrongType: () => new lib.LinearWarmup(optimizer(), { startFactor: null } as never),
    names: 'LinearWarmup: options.startFactor must be a number, received null',
  },
  OneCycleLR: {
    unknownKey: () => new lib.OneCycleLR(optimizer(), { maxLr: 1, totalSteps: 10, bogus: 1 } as never),
    options: 'OneCycleLR: options',
    wrongType: () => new lib.OneCycleLR(optimizer(), { maxLr: 1, totalSteps: 10, threePhase: 'no' } as never),
    names: 'OneCycleLR: options.threePhase must be a boolean, received "no"',
  },
  ReduceLROnPlateau: {
    unknownKey: () => new lib.ReduceLROnPlateau(optimizer(), { bogus: 1 } as never),
    options: 'ReduceLROnPlateau: options',
    wrongType: () => new lib.ReduceLROnPlateau(optimizer(), { patience: '3' } as never),
    names: 'ReduceLROnPlateau: options.patience must be a number, received "3"',
  },
};
const { clipGradValue } = lib;

describe('every public export', () => {
  it('has a row in the table (a new export needs one)', () => {
    expect(Object.keys(table).sort()).toEqual(Object.keys(lib).sort());
  });

  for (const [name, row] of Object.entries(table)) {
    if ('exempt' in row) continue;
    it(`${name}: an unknown key and a wrong-typed value are TypeErrors naming the argument`, () => {
      if (row.unknownKey) {
        const known = new RegExp(
          `^${row.options!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has an unknown option 'bogus' \\(known options: \\w+`,
        );
        expect(row.unknownKey).toThrow(TypeError);
        expect(row.unknownKey).toThrow(known);
      }
      expect(row.wrongType).toThrow(TypeError);
      expect(row.wrongType).toThrow(row.names);
    });
  }
});

describe('the rest of the option-taking API', () => {
  const model = () => new Sequential([new Dense({ units: 1, inputSize: 1 })], { dtype: 'float64' });
  const x = matrixFromRows([[1], [2]]);
  const y = vectorFrom([1, 2]);
  it.each([
    ['fit', () => model().fit(x, y, { epoch: 3 } as never), /^fit: options has an unknown option 'epoch' \(known options: epochs, /],
    ['fit', () => model().fit(x, y, { epochs: '3' } as never), /^fit: options\.epochs must be a number, received "3"$/],
    ['fit', () => model().fit(x, y, { log: 'console' } as never), /^fit: options\.log must be a function, received "console"$/],
    ['lossGrad', () => model().evaluate(x, y, { los: 'mae' } as never), /^lossGrad: options has an unknown option 'los'/],
    [
      'predict',
      () => model().predict(x, { thread: 2 } as never),
      /^predict: options has an unknown option 'thread' \(known options: threads\)$/,
    ],
    [
      'datasetFromRecords',
      () => datasetFromRecords([{ a: 1, y: 2 }], 'y', 'a' as never, 'float64'),
      /^datasetFromRecords: features must be an array of column names/,
    ],
    [
      'datasetFromRecords',
      () => datasetFromRecords([{ a: 1, y: 2 }], 'y', undefined, 'double' as never),
      /^datasetFromRecords: dtype must be one of 'float32', 'float64', received "double"$/,
    ],
    // The example: this used to train the default 1,000 epochs without a word.
    [
      'Trainer epoch',
      () => new Trainer(new LinearRegression(1), optimizer() as never, { epoch: 10 } as never),
      /^Trainer: options has an unknown option 'epoch' \(known options: epochs, batchSize, /,
    ],
    [
      'Trainer earlyStopping',
      () => new Trainer(new LinearRegression(1), optimizer() as never, { earlyStopping: { patience: 2, min: 0 } } as never),
      /^Trainer: options\.earlyStopping has an unknown option 'min'/,
    ],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('out-of-range values are RangeErrors naming the argument and the bound', () => {
    expect(() => new LinearRegression(0)).toThrow(RangeError);
    expect(() => new LinearRegression(0)).toThrow('LinearRegression: features must be an integer ≥ 1, received 0');
    expect(() => model().fit(x, y, { validationSplit: 1 })).toThrow(
      /^fit: options\.validationSplit must be a number ≥ 0 and < 1, received 1$/,
    );
    expect(() => new Trainer(new LinearRegression(1), optimizer() as never, { epochs: 0 })).toThrow(RangeError);
  });
});

describe("the old dtype spelling 'f32' / 'f64'", () => {
  it('still works everywhere public, mapped to the new one', () => {
    expect(new LinearRegression(2, { dtype: 'f32' }).dtype).toBe('float32');
    expect(new Sequential([new Dense({ units: 1, inputSize: 1 })], { dtype: 'f64' }).dtype).toBe('float64');
    expect(createParameters({ w: 2 }, { dtype: 'f64' }).allParams).toBeInstanceOf(Float64Array);
    expect(matrixFromRows([[1]], 'f32').data).toBeInstanceOf(Float32Array);
    expect(vectorFrom([1], 'f64')).toBeInstanceOf(Float64Array);
    // A model file of an older version loads as it did.
    expect(LinearRegression.fromJSON({ dtype: 'f32', weights: [1.5], bias: 0.25 }).dtype).toBe('float32');
  });

  it('warns once per process, with a code, and not for the new spelling', async () => {
    // A fresh copy of lib/validate.ts: the warning's once-per-process flag lives there.
    vi.resetModules();
    const { checkDtype } = await import('../lib/validate.js');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(checkDtype('LinearRegression: options.dtype', 'float32')).toBe('float32');
      expect(warn).not.toHaveBeenCalled();
      expect(checkDtype('LinearRegression: options.dtype', 'f32')).toBe('float32');
      expect(checkDtype('matrixFromRows: dtype', 'f64')).toBe('float64');
      expect(checkDtype('LinearRegression.fromJSON: json.dtype', 'f64', 'silent')).toBe('float64');
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn).toHaveBeenCalledWith("LinearRegression: options.dtype: the dtype spelling 'f32' is deprecated; use 'float32'", {
        type: 'DeprecationWarning',
        code: 'ADAM_SIMD_DTYPE_SPELLING',
      });
    } finally {
      warn.mockRestore();
    }
  });

  it('a file of an older version reads without a warning', async () => {
    vi.resetModules();
    const { checkDtype } = await import('../lib/validate.js');
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      expect(checkDtype('LinearRegression.fromJSON: json.dtype', 'f32', 'silent')).toBe('float32');
      expect(warn).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
