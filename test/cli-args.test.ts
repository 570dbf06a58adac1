/**
 * The command line's own parser (lib/cli/args.ts over util.parseArgs) and progress line
 * (lib/cli/progress.ts), which replaced commander and cli-progress: the help text and the
 * usage errors are the ones commander printed (the expected strings below are commander
 * 14's output for the same program, recorded before the switch).
 */
import { describe, expect, it, vi } from 'vitest';
import { UsageError } from '../lib/cli/args.js';
import { runCli } from '../lib/cli/program.js';
import { ProgressLine } from '../lib/cli/progress.js';

async function cli(...args: string[]): Promise<{ out: string; err: string }> {
  const io = { out: '', err: '' };
  await runCli(args, { out: (s) => void (io.out += s), err: (s) => void (io.err += s) });
  return io;
}

async function usageError(...args: string[]): Promise<string> {
  const error = await cli(...args).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  return (error as Error).message;
}

describe('help', () => {
  it("bench --help: commander's layout, defaults and the help option", async () => {
    expect((await cli('bench', '--help')).out).toBe(
      [
        'Usage: adam-simd bench [options]',
        '',
        'short throughput check of the fused linear-regression kernel',
        '',
        'Options:',
        '  --rows <n>     rows (default: 100000)',
        '  --cols <n>     columns (default: 32)',
        '  --repeats <n>  timed runs (default: 20)',
        '  --threads <n>  most threads (default: every core)',
        '  -h, --help     display help for command',
        '',
      ].join('\n'),
    );
  });

  it('train --help (and help train): arguments, choices, and descriptions wrapped at 80 columns under their column', async () => {
    const { out } = await cli('train', '-h');
    expect((await cli('help', 'train')).out).toBe(out);
    expect(out).toContain(
      'Usage: adam-simd train [options] <file>\n\nfit a linear model (or with --hidden a neural network) on a CSV file (header row\nrequired), or on the shipped cars table with "cars"\n\nArguments:\n  file                     CSV file, or "cars"\n\nOptions:\n',
    );
    expect(out).toContain(
      '  --activation <name>      activation of the hidden layers (choices: "relu",\n                           "tanh", "sigmoid", default: "relu")\n',
    );
    expect(out).toContain(
      '  --standardize            standardise features (coefficients are reported in\n                           raw units) (default: false)\n',
    );
    expect(out).toContain('  --dtype <type>           float type (choices: "f32", "f64", default: "f64")\n  --save <model.json>');
    expect(out).toContain('  --no-progress            no progress bar\n  -h, --help               display help for command\n');
    expect(out.split('\n').every((line) => line.length <= 80)).toBe(true);
  });

  it('the program: every command, unwrapped when the column leaves under 40 characters; without a command, on stderr as an error', async () => {
    const { out } = await cli('--help');
    expect(out).toMatch(
      /^Usage: adam-simd \[options\] \[command\]\n\nSIMD Adam-family optimizers: fit linear models from the command line\n\nOptions:\n {2}-h, --help {29}display help for command\n\nCommands:\n/,
    );
    expect(out).toContain(
      '  predict [options] <model.json> <file>  apply a model saved by train --save to the rows of a CSV file (same feature columns, same standardisation)\n',
    );
    expect(out).toContain('  info                                   backend,');
    expect(out.endsWith('  help [command]                         display help for command\n')).toBe(true);
    expect(await usageError()).toBe(out.trimEnd());
  });
});

describe('usage errors, worded as commander worded them', () => {
  it.each([
    [
      ['train', 'x', '--optimizer', 'adadelta'],
      "error: option '--optimizer <name>' argument 'adadelta' is invalid. Allowed choices are adam, adamw, sgd, adagrad, rmsprop, lion.",
    ],
    [['train', 'x', '--lr', '-1'], "error: option '--lr <rate>' argument '-1' is invalid. expected a number > 0, received \"-1\""],
    [['train', 'x', '--lr=-1'], "error: option '--lr <rate>' argument '-1' is invalid. expected a number > 0, received \"-1\""],
    [
      ['train', 'x', '--hidden', '8,0'],
      "error: option '--hidden <units>' argument '8,0' is invalid. expected a number > 0, received \"0\"",
    ],
    [['bench', '--rows', '0'], "error: option '--rows <n>' argument '0' is invalid. expected a number > 0, received \"0\""],
    [['train', 'x', '--lr'], "error: option '--lr <rate>' argument missing"],
    [['train', 'x', '--foo'], "error: unknown option '--foo'"],
    [['train', 'x', '--epoch', '3'], "error: unknown option '--epoch'\n(Did you mean --epochs?)"],
    [['train', 'x', '--no-progress=3'], "error: unknown option '--no-progress=3'\n(Did you mean --no-progress?)"],
    [['train', 'x', '--standardize=yes'], "error: unknown option '--standardize=yes'"],
    [['-x'], "error: unknown option '-x'"],
    [['--version'], "error: unknown option '--version'"],
    [['foo'], "error: unknown command 'foo'"],
    [['trian'], "error: unknown command 'trian'\n(Did you mean train?)"],
    [['train'], "error: missing required argument 'file'"],
    [['predict', 'm.json'], "error: missing required argument 'file'"],
    [['train', 'a', 'b'], "error: too many arguments for 'train'. Expected 1 argument but got 2."],
    [['info', 'extra'], "error: too many arguments for 'info'. Expected 0 arguments but got 1."],
  ])('%j', async (args, message) => {
    expect(await usageError(...args)).toBe(message);
  });

  it("a value that starts with a dash is the option's (as commander took it), and options may follow the arguments", async () => {
    // --delimiter takes "-" itself; the file does not exist, so the run fails only after parsing.
    await expect(cli('train', '/nonexistent/x.csv', '--target', 'y', '--delimiter', '-', '--no-progress')).rejects.toThrow(/x\.csv/);
  });
});

describe('the progress line', () => {
  function recorder(isTTY: boolean) {
    const writes: string[] = [];
    let t = 0;
    const clock = { advance: (ms: number) => void (t += ms) };
    const bar = (format: string) => new ProgressLine(format, { isTTY, write: (s: string) => void writes.push(s) }, () => t);
    return { writes, clock, bar };
  }

  it('off a terminal: a line at start, at most one a second, and the final state at stop', () => {
    const { writes, clock, bar } = recorder(false);
    const line = bar('training |{bar}| {value}/{total} epochs | loss {loss}');
    line.start(200, 0, { loss: '-' });
    clock.advance(10);
    line.update(50, { loss: '0.5' }); // within the second: not written
    clock.advance(1000);
    line.update(100, { loss: '0.25' });
    line.update(200, { loss: '0.125' });
    line.stop();
    expect(writes).toEqual([
      `training |${'░'.repeat(40)}| 0/200 epochs | loss -\n`,
      `training |${'█'.repeat(20)}${'░'.repeat(20)}| 100/200 epochs | loss 0.25\n`,
      `training |${'█'.repeat(40)}| 200/200 epochs | loss 0.125\n`,
    ]);
  });

  it('on a terminal: redrawn in place (carriage return, erase to the end), a newline at stop; nothing after stop', () => {
    const { writes, clock, bar } = recorder(true);
    const line = bar('reading  |{bar}| {percentage}%');
    line.start(100);
    clock.advance(150);
    line.update(33);
    line.stop();
    line.update(50);
    expect(writes).toEqual([
      `\rreading  |${'░'.repeat(40)}| 0%\x1b[K`,
      `\rreading  |${'█'.repeat(13)}${'░'.repeat(27)}| 33%\x1b[K`,
      `\rreading  |${'█'.repeat(13)}${'░'.repeat(27)}| 33%\x1b[K`,
      '\n',
    ]);
  });

  it('never started (--no-progress): writes nothing', () => {
    const write = vi.fn();
    const line = new ProgressLine('x {bar}', { isTTY: false, write });
    line.update(3);
    line.stop();
    expect(write).not.toHaveBeenCalled();
  });
});
