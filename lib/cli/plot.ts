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

export function lossSvg(losses: readonly number[], title: string): string {
  const w = 640;
  const h = 320;
  const pad = 48;
  const points = logScale(downsample(losses, 600));
  const lo = Math.min(...points);
  const hi = Math.max(...points);
  const span = hi - lo || 1;
  const px = (k: number) => pad + (k / Math.max(points.length - 1, 1)) * (w - 2 * pad);
  const py = (v: number) => h - pad - ((v - lo) / span) * (h - 2 * pad);
  const path = points.map((v, k) => `${k === 0 ? 'M' : 'L'}${px(k).toFixed(1)},${py(v).toFixed(1)}`).join(' ');
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${w / 2}" y="20" text-anchor="middle" font-size="14">${esc(title)}</text>
<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="black"/>
<line x1="${pad}" y1="${pad}" x2="${pad}" y2="${h - pad}" stroke="black"/>
<text x="${pad - 4}" y="${py(hi) + 4}" text-anchor="end">1e${hi.toFixed(1)}</text>
<text x="${pad - 4}" y="${py(lo) + 4}" text-anchor="end">1e${lo.toFixed(1)}</text>
<text x="${pad}" y="${h - pad + 16}">1</text>
<text x="${w - pad}" y="${h - pad + 16}" text-anchor="end">${losses.length}</text>
<text x="${w / 2}" y="${h - 12}" text-anchor="middle">epoch</text>
<path d="${path}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>
</svg>
`;
}
