/** The loss curve: a one-line Unicode sparkline for the terminal, and a small SVG chart. */

const BARS = '▁▂▃▄▅▆▇█';

/** Averages `values` down to at most `width` points. */
function downsample(values: readonly number[], width: number): number[] {
  if (values.length <= width) return [...values];
  const out: number[] = [];
  for (let k = 0; k < width; k++) {
    const from = Math.floor((k * values.length) / width);
    const to = Math.floor(((k + 1) * values.length) / width);
    let s = 0;
    for (let i = from; i < to; i++) s += values[i]!;
    out.push(s / (to - from));
  }
  return out;
}

/** log10 of the loss (losses span many decades), floored so 0 stays drawable. */
function logScale(values: readonly number[]): number[] {
  return values.map((v) => Math.log10(Math.max(v, 1e-300)));
}

export function sparkline(losses: readonly number[], width = 60): string {
  const points = logScale(downsample(losses, width));
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  return points.map((p) => BARS[hi === lo ? 0 : Math.round(((p - lo) / (hi - lo)) * (BARS.length - 1))]).join('');
}

export interface Curve {
  label: string;
  /** One value per epoch, from epoch 1. */
  values: readonly number[];
  color: string;
}

/** Round numbers for the epoch axis: about five ticks of 1, 2 or 5 × 10^k. */
function epochTicks(last: number): number[] {
  const raw = last / 5;
  const step = [1, 2, 5, 10].map((m) => m * 10 ** Math.floor(Math.log10(Math.max(raw, 1)))).find((s) => s >= raw) ?? 1;
  const ticks = [1];
  for (let t = step; t <= last; t += step) if (t > 1) ticks.push(t);
  return ticks;
}

/** Ticks of the log axis: each decade, or 1, 2, 5 of each when the curve spans under three. */
function logTicks(lo: number, hi: number): number[] {
  const decades: number[] = [];
  for (let e = Math.ceil(lo); e <= Math.floor(hi); e++) decades.push(e);
  if (decades.length >= 3) return decades;
  const out: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) for (const m of [1, 2, 5]) out.push(e + Math.log10(m));
  return out.filter((t) => t >= lo && t <= hi);
}

function tickLabel(exponent: number): string {
  const v = 10 ** exponent;
  return Math.abs(exponent) <= 3 ? String(Number(v.toPrecision(2))) : v.toExponential(0);
}

/**
 * A chart of loss per epoch: the title, an epoch axis, a log-scale loss axis (marked so),
 * one line per curve and a legend. Curves are averaged down to 600 points.
 */
export function lossSvg(curves: readonly Curve[], title: string, lossName: string): string {
  const w = 720;
  const h = 400;
  const left = 72;
  const right = 24;
  const top = 40;
  const bottom = 52;
  const epochs = Math.max(...curves.map((c) => c.values.length));
  const points = curves.map((c) => ({ ...c, logs: logScale(downsample(c.values, 600)) }));
  const all = points.flatMap((p) => p.logs);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  // A margin, so the lowest and highest points do not sit on the frame.
  const margin = (hi - lo) * 0.04;
  lo -= margin;
  hi += margin;
  const px = (epoch: number) => left + ((epoch - 1) / Math.max(epochs - 1, 1)) * (w - left - right);
  const py = (v: number) => h - bottom - ((v - lo) / (hi - lo)) * (h - top - bottom);
  const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const lines: string[] = [];
  for (const e of logTicks(lo, hi)) {
    const y = py(e).toFixed(1);
    lines.push(
      `<line x1="${left}" y1="${y}" x2="${w - right}" y2="${y}" stroke="#e0e0e0"/>`,
      `<text x="${left - 6}" y="${Number(y) + 4}" text-anchor="end">${tickLabel(e)}</text>`,
    );
  }
  for (const t of epochTicks(epochs)) {
    const x = px(t).toFixed(1);
    lines.push(
      `<line x1="${x}" y1="${h - bottom}" x2="${x}" y2="${h - bottom + 5}" stroke="black"/>`,
      `<text x="${x}" y="${h - bottom + 18}" text-anchor="middle">${t}</text>`,
    );
  }
  for (const p of points) {
    // A downsampled point k stands for the epochs around (k + 0.5) / n of the run.
    const epochOf = (k: number) => (p.logs.length === p.values.length ? k + 1 : 1 + ((k + 0.5) / p.logs.length) * (p.values.length - 1));
    const d = p.logs.map((v, k) => `${k === 0 ? 'M' : 'L'}${px(epochOf(k)).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
    lines.push(`<path d="${d}" fill="none" stroke="${p.color}" stroke-width="1.8"/>`);
  }
  points.forEach((p, k) => {
    const y = top + 14 + k * 18;
    lines.push(
      `<line x1="${w - right - 150}" y1="${y - 4}" x2="${w - right - 126}" y2="${y - 4}" stroke="${p.color}" stroke-width="2.5"/>`,
      `<text x="${w - right - 120}" y="${y}">${esc(p.label)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${w / 2}" y="22" text-anchor="middle" font-size="15">${esc(title)}</text>
${lines.join('\n')}
<line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="black"/>
<line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="black"/>
<text x="${(left + w - right) / 2}" y="${h - 12}" text-anchor="middle" font-size="13">epoch</text>
<text transform="translate(18 ${(top + h - bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(lossName)} loss (log scale)</text>
</svg>
`;
}
