/**
 * The data half of the test registry (optimizer-cases.json; what each field means is said
 * there), read and expanded. Imports nothing of the project, so that scripts run by plain
 * Node (scripts/isa-bits-check.ts, with type stripping) can use it as the tests do.
 */
import { readFileSync } from 'node:fs';

export interface OptionGrid {
  base: object;
  vary: object[][];
}

export interface OptimizerCases {
  grid: OptionGrid;
  longestPath: object;
  options: object;
  nonNegativeState: string[];
  firstStepOverwrites: string[];
}

const parsed = JSON.parse(readFileSync(new URL('./optimizer-cases.json', import.meta.url), 'utf8')) as Record<
  string,
  OptimizerCases | string
>;

/** By optimizer name (OptimizerDefinition.name). */
export const optimizerCases: Readonly<Record<string, OptimizerCases>> = Object.fromEntries(
  Object.entries(parsed).filter((entry): entry is [string, OptimizerCases] => typeof entry[1] === 'object'),
);

/** The cases of the optimizer `name`; throws when it has none (a new optimizer needs its entry). */
export function casesOf(name: string): OptimizerCases {
  const cases = optimizerCases[name];
  if (!cases) throw new Error(`test/helpers/optimizer-cases.json has no entry for the optimizer ${name}`);
  return cases;
}

/** Every combination of the grid, each over `defaults` (so every option has a value), in order. */
export function expandGrid<O>(defaults: O, grid: OptionGrid): O[] {
  let combinations: object[] = [grid.base];
  for (const choices of grid.vary) combinations = combinations.flatMap((c) => choices.map((choice) => ({ ...c, ...choice })));
  return combinations.map((c) => ({ ...defaults, ...c }));
}
