/** The `adam-simd` command line: train, info, bench (main.ts runs it). */
import { Command, InvalidArgumentError, Option } from 'commander';
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
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw new InvalidArgumentError(`expected a fraction of the rows in (0, 1), such as 0.2, received "${v}"`);
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

export function buildProgram(): Command {
  const program = new Command('adam-simd').description('SIMD Adam-family optimizers: fit linear models from the command line');

  program
    .command('train')
    .description('fit a linear model (or with --hidden a neural network) on a CSV file (header row required), or on the shipped cars table with "cars"')
    .argument('<file>', 'CSV file, or "cars"')
    .option('--target <column>', 'the column to predict (cars: Miles_per_Gallon)')
    .option('--features <columns>', 'comma-separated feature columns (default: every other numeric column; each one left out is listed)', (v) => v.split(',').map((s) => s.trim()))
    .option('--delimiter <char>', 'field delimiter, or "tab" (default: detected from the header line among , ; tab |)', delimiter)
    .option('--hidden <units>', 'train a network: comma-separated units of the hidden layers, e.g. 64,64 (then one linear output)', layerSizes)
    .addOption(new Option('--activation <name>', 'activation of the hidden layers').choices(ACTIVATIONS.filter((a) => a !== 'linear')).default('relu'))
    .option('--validation <fraction>', 'hold out this fraction of the rows (seeded by --seed) and report validation MSE/R²', fraction)
    .addOption(new Option('--optimizer <name>', 'optimizer').choices(OPTIMIZER_NAMES).default('adam'))
    .option('--lr <rate>', 'learning rate', positiveNumber, 0.01)
    .option('--epochs <n>', 'epochs', positiveInteger, 1000)
    .option('--batch-size <n>', 'rows per step (default: full batch)', positiveInteger)
    .addOption(new Option('--loss <name>', 'loss').choices(['mse', 'mae', 'huber']).default('mse'))
    .option('--delta <d>', 'Huber threshold', positiveNumber, 1)
    .option('--standardize', 'standardise features (coefficients are reported in raw units)', false)
    .option('--seed <n>', 'seed of initialisation and shuffling', wholeNumber, 0)
    .option('--threads <n>', 'most threads of the native loss kernel (default: every core)', positiveInteger)
    .addOption(new Option('--dtype <type>', 'float type').choices(['f32', 'f64']).default('f64'))
    .option('--save <model.json>', 'write the fitted model, its feature columns and standardisation as JSON (for predict)')
    .option('--plot <out.svg>', 'write the loss curves (training, validation) as SVG')
    .option('--no-progress', 'no progress bar')
    .action((file: string, o: TrainOptions) => train(file, o));

  program
    .command('predict')
    .description('apply a model saved by train --save to the rows of a CSV file (same feature columns, same standardisation)')
    .argument('<model.json>', 'a file written by train --save')
    .argument('<file>', 'CSV file with the model\'s feature columns')
    .option('--out <predictions.csv>', 'write the predictions here (default: stdout)')
    .option('--delimiter <char>', 'field delimiter, or "tab" (default: detected)', delimiter)
    .action((model: string, file: string, o: PredictOptions) => predict(model, file, o));

  program
    .command('info')
    .description('backend, instruction set in use and available, and where the native binary came from')
    .action(() => {
      const i = info();
      const native = loadNative();
      console.log(`backend   ${i.backend}`);
      console.log(`isa       ${i.isa ?? '-'}`);
      console.log(`isas      ${i.isas.join(', ') || '-'}`);
      console.log(`binding   ${i.binding}${native.ok ? ` (${native.path})` : ''}`);
      if (i.reason) console.log(`reason    ${i.reason}`);
    });

  program
    .command('bench')
    .description('short throughput check of the fused linear-regression kernel')
    .option('--rows <n>', 'rows', positiveInteger, 100_000)
    .option('--cols <n>', 'columns', positiveInteger, 32)
    .option('--repeats <n>', 'timed runs', positiveInteger, 20)
    .option('--threads <n>', 'most threads (default: every core)', positiveInteger)
    .action((o: { rows: number; cols: number; repeats: number; threads?: number }) => bench(o.rows, o.cols, o.repeats, o.threads));
  return program;
}
