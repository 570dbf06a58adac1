// The results table, as padded text for the terminal and as Markdown for RESULTS.md.

const HEADER = ['size', 'implementation', 'threads', 'ns/param', 'GB/s', '% of limit', '× plain JS', 'reps'];
const RIGHT = [true, false, true, true, true, true, true, true];

function cells(results) {
  const labels = new Map(results.workloads.map((w) => [w.id, w.label]));
  return results.rows.map((r) => {
    const head = [labels.get(r.workload), r.label, String(r.threads)];
    if (!r.ok) return [...head, r.error, '', '', '', ''];
    return [
      ...head,
      r.nsPerParam.toFixed(r.nsPerParam < 10 ? 3 : 1),
      r.gbPerS.toFixed(r.gbPerS < 1 ? 3 : 1),
      r.pctOfLimit === undefined ? '' : r.pctOfLimit.toFixed(1),
      r.speedupVsPlainJs === undefined ? '' : r.speedupVsPlainJs.toFixed(1),
      String(r.reps),
    ];
  });
}

export function terminalTable(results) {
  const body = cells(results);
  // A failed row's message spans the figure columns, so it sets no column's width.
  const failed = (row) => row[4] === '' && row[7] === '';
  const widths = HEADER.map((h, c) => Math.max(h.length, ...body.map((row) => (failed(row) && c >= 3 ? 0 : row[c].length))));
  const line = (row) =>
    row
      .map((cell, c) => (failed(row) && c >= 3 ? cell : RIGHT[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  return [line(HEADER), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}

export function markdownTable(results) {
  const align = RIGHT.map((r) => (r ? '---:' : '---'));
  return [HEADER, align, ...cells(results)].map((row) => `| ${row.join(' | ')} |`).join('\n');
}
