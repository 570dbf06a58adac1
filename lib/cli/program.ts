/** The `adam-simd` command line: train, predict, info, bench (main.ts runs it; lib/cli/args.ts parses). */
import { InvalidArgumentError, run, terminalWidth, type Output, type ProgramSpec } from './args.js';
import { info } from '../backend.js';
import { loadNative } from '../native.js';
import { bench } from './bench.js';
import { OPTIMIZER_NAMES } from './optimizers.js';
import { checkDelimiter } from '../data/csv.js';
import { ACTIVATIONS } from '../reference/mlp.js';
import { predict, type PredictOptions } from './predict.js';
import { train, type TrainOptions } from './train.js';

function positiveNumber(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, received "${v}"`);
  return n;
}

function positiveInteger(v: string): number {
  const n = positiveNumber(v);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected a whole number > 0, received "${v}"`);
  return n;
}

function wholeNumber(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number ≥ 0, received "${v}"`);
  return n;
}

/** "64,64": the units of each hidden layer. */
function layerSizes(v: string): number[] {
  return v.split(',').map((s) => positiveInteger(s.trim()));
}

function fraction(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0 || n >= 1)
    throw new InvalidArgumentError(`expected a fraction of the rows in (0, 1), such as 0.2, received "${v}"`);
  return n;
}

/** One character; "tab" and "\\t" for a tab, as a shell cannot easily pass one. */
function delimiter(v: string): string {
  const d = v === 'tab' || v === '\\t' ? '\t' : v;
  try {
    return checkDelimiter(d);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** 'f32' / 'f64' on the command line (kept: scripts use them), the library's spelling inside. */
const DTYPES = { f32: 'float32', f64: 'float64' } as const;

export const program: ProgramSpec = {
  name: 'adam-simd',
  description: 'SIMD Adam-family optimizers: fit linear models from the command line',
  commands: [
    {
      name: 'train',
      description:
        'fit a linear model (or with --hidden a neural network) on a CSV file (header row required), or on the shipped cars table with "cars"',
      arguments: [{ name: 'file', description: 'CSV file, or "cars"' }],
      options: [
        { flags: '--target <column>', description: 'the column to predict (cars: Miles_per_Gallon)' },
        {
          flags: '--features <columns>',
          description: 'comma-separated feature columns (default: every other numeric column; each one left out is listed)',
          parse: (v) => v.split(',').map((s) => s.trim()),
        },
        {
          flags: '--delimiter <char>',
          description: 'field delimiter, or "tab" (default: detected from the header line among , ; tab |)',
          parse: delimiter,
        },
        {
          flags: '--hidden <units>',
          description: 'train a network: comma-separated units of the hidden layers, e.g. 64,64 (then one linear output)',
          parse: layerSizes,
        },
        {
          flags: '--activation <name>',
          description: 'activation of the hidden layers',
          choices: ACTIVATIONS.filter((a) => a !== 'linear'),
          default: 'relu',
        },
        {
          flags: '--validation <fraction>',
          description: 'hold out this fraction of the rows (seeded by --seed) and report validation MSE/R²',
          parse: fraction,
        },
        { flags: '--optimizer <name>', description: 'optimizer', choices: OPTIMIZER_NAMES, default: 'adam' },
        { flags: '--lr <rate>', description: 'learning rate', parse: positiveNumber, default: 0.01 },
        { flags: '--epochs <n>', description: 'epochs', parse: positiveInteger, default: 1000 },
        { flags: '--batch-size <n>', description: 'rows per step (default: full batch)', parse: positiveInteger },
        { flags: '--loss <name>', description: 'loss', choices: ['mse', 'mae', 'huber'], default: 'mse' },
        { flags: '--delta <d>', description: 'Huber threshold', parse: positiveNumber, default: 1 },
        { flags: '--standardize', description: 'standardise features (coefficients are reported in raw units)', default: false },
        { flags: '--seed <n>', description: 'seed of initialisation and shuffling', parse: wholeNumber, default: 0 },
        { flags: '--threads <n>', description: 'most threads of the native loss kernel (default: every core)', parse: positiveInteger },
        { flags: '--dtype <type>', description: 'float type', choices: Object.keys(DTYPES), default: 'f64' },
        {
          flags: '--save <model.json>',
          description: 'write the fitted model, its feature columns and standardisation as JSON (for predict)',
        },
        { flags: '--plot <out.svg>', description: 'write the loss curves (training, validation) as SVG' },
        { flags: '--no-progress', description: 'no progress bar' },
      ],
      action: (file: string, o: Omit<TrainOptions, 'dtype'> & { dtype: keyof typeof DTYPES }) =>
        train(file, { ...o, dtype: DTYPES[o.dtype] }),
    },
    {
      name: 'predict',
      description: 'apply a model saved by train --save to the rows of a CSV file (same feature columns, same standardisation)',
      arguments: [
        { name: 'model.json', description: 'a file written by train --save' },
        { name: 'file', description: "CSV file with the model's feature columns" },
      ],
      options: [
        { flags: '--out <predictions.csv>', description: 'write the predictions here (default: stdout)' },
        { flags: '--delimiter <char>', description: 'field delimiter, or "tab" (default: detected)', parse: delimiter },
      ],
      action: (model: string, file: string, o: PredictOptions) => predict(model, file, o),
    },
    {
      name: 'info',
      description: 'backend, instruction set in use and available, and where the native binary came from',
      action: () => {
        const i = info();
        const native = loadNative();
        console.log(`backend   ${i.backend}`);
        console.log(`isa       ${i.isa ?? '-'}`);
        console.log(`isas      ${i.isas.join(', ') || '-'}`);
        console.log(`binding   ${i.binding}${native.ok ? ` (${native.path})` : ''}`);
        if (i.reason) console.log(`reason    ${i.reason}`);
      },
    },
    {
      name: 'bench',
      description: 'short throughput check of the fused linear-regression kernel',
      options: [
        { flags: '--rows <n>', description: 'rows', parse: positiveInteger, default: 100_000 },
        { flags: '--cols <n>', description: 'columns', parse: positiveInteger, default: 32 },
        { flags: '--repeats <n>', description: 'timed runs', parse: positiveInteger, default: 20 },
        { flags: '--threads <n>', description: 'most threads (default: every core)', parse: positiveInteger },
      ],
      action: (o: { rows: number; cols: number; repeats: number; threads?: number }) => bench(o.rows, o.cols, o.repeats, o.threads),
    },
  ],
};

const stdio: Output = { out: (text) => void process.stdout.write(text), err: (text) => void process.stderr.write(text) };

/** Runs `adam-simd <argv…>`; usage mistakes throw a UsageError whose message is what to print. */
export function runCli(argv: readonly string[], io: Output = stdio): Promise<void> {
  return run(program, argv, io, terminalWidth());
}
