/**
 * A small command-line parser over node's util.parseArgs (node ≥ 18.3), so the CLI needs no
 * runtime dependency (#15 item 19): subcommands, `<required>` arguments, `--name <value>`
 * options with a parser, choices and a default, boolean and `--no-x` flags, and help. The
 * help layout and the error messages are commander's (which the CLI used before), so scripts
 * and users see the same text: "error: option '--lr <rate>' argument '-1' is invalid. …".
 */
import { parseArgs } from 'node:util';
import { suggestSimilar } from './suggest.js';

/** A usage mistake (unknown option, bad value, missing argument): main prints it as is. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An option value the user wrote that its parser refuses; the message says why. */
export class InvalidArgumentError extends Error {
  override name = 'InvalidArgumentError';
}

export interface OptionSpec {
  /** `--lr <rate>` (takes a value), `--standardize` (a flag) or `--no-progress` (sets progress to false). */
  flags: string;
  description: string;
  /** Turns the text into the value; throws InvalidArgumentError saying what was expected. */
  parse?: (value: string) => unknown;
  choices?: readonly string[];
  /** Not parsed; a `--no-x` flag's default is true. */
  default?: unknown;
}

export interface CommandSpec {
  name: string;
  description: string;
  /** Required positional arguments, in order. */
  arguments?: readonly { name: string; description: string }[];
  options?: readonly OptionSpec[];
  action: (...args: never[]) => unknown;
}

export interface ProgramSpec {
  name: string;
  description: string;
  commands: readonly CommandSpec[];
}

interface Option {
  spec: OptionSpec;
  long: string;
  /** The key of the parsed options object: camelCase, without `no-`. */
  key: string;
  takesValue: boolean;
  negate: boolean;
}

function optionOf(spec: OptionSpec): Option {
  const [long, value] = spec.flags.split(' ') as [string, string | undefined];
  const negate = long.startsWith('--no-');
  const key = long.slice(negate ? 5 : 2).replace(/-(\w)/g, (_, c: string) => c.toUpperCase());
  return { spec, long, key, takesValue: value !== undefined, negate };
}

const HELP_ITEM = { term: '-h, --help', description: 'display help for command' };

/** The width commander wrapped help at: the terminal's, or 80 columns when not a terminal. */
export function terminalWidth(): number {
  return (process.stdout.isTTY && process.stdout.columns) || 80;
}

export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * Runs the command `argv` names (argv without node and the script). Help goes to `io.out`;
 * without a command the program's help goes to `io.err` and this throws a UsageError.
 */
export async function run(program: ProgramSpec, argv: readonly string[], io: Output, width = 80): Promise<void> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new UsageError(programHelp(program, width).trimEnd());
  if (first === '-h' || first === '--help') return io.out(programHelp(program, width));
  if (first === 'help') {
    const named = rest[0] === undefined ? undefined : program.commands.find((c) => c.name === rest[0]);
    return io.out(named ? commandHelp(`${program.name} ${named.name}`, named, width) : programHelp(program, width));
  }
  if (first.startsWith('-')) throw new UsageError(`error: unknown option '${first}'`);
  const command = program.commands.find((c) => c.name === first);
  if (!command)
    throw new UsageError(`error: unknown command '${first}'${suggestSimilar(first, [...program.commands.map((c) => c.name), 'help'])}`);
  const parsed = parseCommand(command, rest);
  if (parsed === 'help') return io.out(commandHelp(`${program.name} ${command.name}`, command, width));
  await (command.action as (...a: unknown[]) => unknown)(...parsed.positionals, parsed.options);
}

/**
 * The options of a script with no subcommand (bench/*.js), by the same rules: `--help`
 * prints its help and exits, a usage mistake prints its message and exits with status 1.
 */
export function parseScriptOptions(
  script: Omit<CommandSpec, 'action' | 'arguments'>,
  argv: readonly string[] = process.argv.slice(2),
): Record<string, unknown> {
  try {
    const parsed = parseCommand({ ...script, action: () => undefined }, argv);
    if (parsed !== 'help') return parsed.options;
    process.stdout.write(commandHelp(script.name, script, terminalWidth()));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  process.exit(0);
}

function parseCommand(command: CommandSpec, argv: readonly string[]): 'help' | { positionals: string[]; options: Record<string, unknown> } {
  const options = (command.options ?? []).map(optionOf);
  const byName = new Map(options.map((o) => [o.long.slice(2), o]));
  const config = Object.fromEntries(
    [...byName.keys()].map((name) => [name, { type: byName.get(name)!.takesValue ? 'string' : 'boolean' } as const]),
  );
  // Not strict: parseArgs would refuse `--lr -1`, whose value is the parser's to judge.
  const { tokens } = parseArgs({
    args: [...argv],
    options: { ...config, help: { type: 'boolean', short: 'h' } },
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const values: Record<string, unknown> = {};
  for (const o of options) {
    if (o.negate) values[o.key] = true;
    else if (o.spec.default !== undefined) values[o.key] = o.spec.default;
  }
  const positionals: string[] = [];
  const unknown: string[] = [];
  let help = false;
  for (const token of tokens) {
    if (token.kind === 'positional') positionals.push(token.value);
    if (token.kind !== 'option') continue;
    if (token.name === 'help' && token.value === undefined) {
      help = true;
      continue;
    }
    const o = byName.get(token.name);
    if (!o || (!o.takesValue && token.value !== undefined)) {
      unknown.push(token.value === undefined ? token.rawName : `${token.rawName}=${token.value}`);
      continue;
    }
    if (!o.takesValue) {
      values[o.key] = !o.negate;
      continue;
    }
    if (token.value === undefined) throw new UsageError(`error: option '${o.spec.flags}' argument missing`);
    values[o.key] = parseValue(o, token.value);
  }
  if (help) return 'help';
  if (unknown.length > 0) {
    const flag = unknown[0]!;
    throw new UsageError(
      `error: unknown option '${flag}'${flag.startsWith('--') ? suggestSimilar(flag, [...options.map((o) => o.long), '--help']) : ''}`,
    );
  }
  const expected = command.arguments ?? [];
  if (positionals.length < expected.length)
    throw new UsageError(`error: missing required argument '${expected[positionals.length]!.name}'`);
  if (positionals.length > expected.length) {
    const n = expected.length;
    throw new UsageError(
      `error: too many arguments for '${command.name}'. Expected ${n} argument${n === 1 ? '' : 's'} but got ${positionals.length}.`,
    );
  }
  return { positionals, options: values };
}

function parseValue(o: Option, value: string): unknown {
  const invalid = (why: string) => new UsageError(`error: option '${o.spec.flags}' argument '${value}' is invalid. ${why}`);
  if (o.spec.choices && !o.spec.choices.includes(value)) throw invalid(`Allowed choices are ${o.spec.choices.join(', ')}.`);
  if (!o.spec.parse) return value;
  try {
    return o.spec.parse(value);
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw invalid(error.message);
    throw error;
  }
}

function usage(command: Pick<CommandSpec, 'arguments'>): string {
  return ['[options]', ...(command.arguments ?? []).map((a) => `<${a.name}>`)].join(' ');
}

function programHelp(program: ProgramSpec, width: number): string {
  const commands = [
    ...program.commands.map((c) => ({
      term: `${c.name}${c.options?.length ? ' [options]' : ''}${(c.arguments ?? []).map((a) => ` <${a.name}>`).join('')}`,
      description: c.description,
    })),
    { term: 'help [command]', description: 'display help for command' },
  ];
  return layout(
    `${program.name} [options] [command]`,
    program.description,
    [
      ['Options:', [HELP_ITEM]],
      ['Commands:', commands],
    ],
    width,
  );
}

function commandHelp(prefix: string, command: Pick<CommandSpec, 'description' | 'arguments' | 'options'>, width: number): string {
  const args = (command.arguments ?? []).map((a) => ({ term: a.name, description: a.description }));
  const options = (command.options ?? []).map((o) => ({ term: o.flags, description: describeOption(o) }));
  const sections: [string, Item[]][] = [
    ...(args.length ? [['Arguments:', args] as [string, Item[]]] : []),
    ['Options:', [...options, HELP_ITEM]],
  ];
  return layout(`${prefix} ${usage(command)}`, command.description, sections, width);
}

/** The description with commander's "(choices: …, default: …)" suffix. */
function describeOption(o: OptionSpec): string {
  const extra: string[] = [];
  if (o.choices) extra.push(`choices: ${o.choices.map((c) => JSON.stringify(c)).join(', ')}`);
  if (o.default !== undefined) extra.push(`default: ${typeof o.default === 'string' ? JSON.stringify(o.default) : String(o.default)}`);
  return extra.length ? `${o.description} (${extra.join(', ')})` : o.description;
}

interface Item {
  term: string;
  description: string;
}

/** Usage line, description, then each section's items in two columns, descriptions wrapped to `width`. */
function layout(usageLine: string, description: string, sections: [string, Item[]][], width: number): string {
  const termWidth = Math.max(...sections.flatMap(([, items]) => items.map((i) => i.term.length)));
  const lines = [`Usage: ${usageLine}`, '', wrap(description, width), ''];
  for (const [title, items] of sections) {
    lines.push(title, ...items.map((i) => item(i, termWidth, width)), '');
  }
  return lines.join('\n');
}

function item({ term, description }: Item, termWidth: number, width: number): string {
  const room = width - termWidth - 4;
  const text = room < MIN_WRAP ? description : wrap(description, room).replace(/\n/g, `\n${' '.repeat(termWidth + 4)}`);
  return `  ${term.padEnd(termWidth)}  ${text}`;
}

/** Below this many columns commander leaves a description on one line. */
const MIN_WRAP = 40;

/** Greedy word wrap at `width` columns (commander's boxWrap). */
function wrap(text: string, width: number): string {
  if (width < MIN_WRAP) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return [...lines, line].join('\n');
}
