/**
 * "(Did you mean --epochs?)" after an unknown option or command, as commander (which the CLI
 * used before) words it: the candidates at the smallest edit distance (at most 3, and sharing
 * more than 40 % of the longer name), with adjacent swaps counting as one edit.
 */
const MAX_DISTANCE = 3;

export function suggestSimilar(word: string, candidates: readonly string[]): string {
  const options = word.startsWith('--');
  const target = options ? word.slice(2) : word;
  let best = MAX_DISTANCE;
  let similar: string[] = [];
  for (const candidate of new Set(candidates.map((c) => (options ? c.slice(2) : c)))) {
    if (candidate.length <= 1) continue;
    const distance = editDistance(target, candidate);
    const length = Math.max(target.length, candidate.length);
    if ((length - distance) / length <= 0.4) continue;
    if (distance < best) [best, similar] = [distance, [candidate]];
    else if (distance === best) similar.push(candidate);
  }
  const named = similar.sort((a, b) => a.localeCompare(b)).map((c) => (options ? `--${c}` : c));
  if (named.length > 1) return `\n(Did you mean one of ${named.join(', ')}?)`;
  return named.length === 1 ? `\n(Did you mean ${named[0]}?)` : '';
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_DISTANCE) return Math.max(a.length, b.length);
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let j = 1; j <= b.length; j++) {
    for (let i = 1; i <= a.length; i++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}
