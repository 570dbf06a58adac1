// A dependency-free SVG line chart: effective throughput (GB/s at 28 bytes per parameter, log
// scale) per workload, one line per implementation. Log scale because TF.js and the native
// core are orders of magnitude apart.

const W = 900;
const H = 520;
const PLOT = { left: 70, right: 250, top: 50, bottom: 70 };
const COLORS = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
  '#393b79',
  '#637939',
];

export function chartSvg(results) {
  const workloads = results.workloads;
  const series = [...new Map(results.rows.map((r) => [`${r.impl}/${r.threads}`, r])).values()].map((first) => ({
    label: first.threads === 1 ? first.label : `${first.label} (${first.threads} threads)`,
    dashed: first.family === 'traffic',
    points: workloads.map((w, x) => {
      const r = results.rows.find((row) => row.impl === first.impl && row.threads === first.threads && row.workload === w.id);
      return r?.ok ? { x, y: r.gbPerS } : undefined;
    }),
  }));
  const values = series.flatMap((s) => s.points.filter(Boolean).map((p) => p.y));
  const lo = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const hi = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const plotW = W - PLOT.left - PLOT.right;
  const plotH = H - PLOT.top - PLOT.bottom;
  const px = (x) => PLOT.left + (workloads.length === 1 ? plotW / 2 : (x / (workloads.length - 1)) * plotW);
  const py = (y) => PLOT.top + plotH - ((Math.log10(y) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;

  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${PLOT.left}" y="24" font-size="15" font-weight="bold">f32 Adam step: effective throughput (28 B/param, higher is better)</text>`,
    `<text x="${PLOT.left}" y="40" fill="#555">${escapeXml(results.machine.cpu)}, Node ${results.machine.node}, ${results.date.slice(0, 10)}, median</text>`,
  ];
  for (let d = lo; d <= hi * 1.0001; d *= 10) {
    out.push(`<line x1="${PLOT.left}" x2="${PLOT.left + plotW}" y1="${py(d)}" y2="${py(d)}" stroke="#ddd"/>`);
    out.push(`<text x="${PLOT.left - 6}" y="${py(d) + 4}" text-anchor="end">${formatGb(d)}</text>`);
  }
  out.push(`<text transform="translate(18 ${PLOT.top + plotH / 2}) rotate(-90)" text-anchor="middle">GB/s (log)</text>`);
  workloads.forEach((w, x) => {
    out.push(`<line x1="${px(x)}" x2="${px(x)}" y1="${PLOT.top}" y2="${PLOT.top + plotH}" stroke="#eee"/>`);
    out.push(`<text x="${px(x)}" y="${PLOT.top + plotH + 18}" text-anchor="middle">${escapeXml(w.label)}</text>`);
  });
  out.push(`<text x="${PLOT.left + plotW / 2}" y="${H - 20}" text-anchor="middle">parameters (one tensor, or count × size)</text>`);

  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const dash = s.dashed ? ' stroke-dasharray="5 4"' : '';
    const pts = s.points.filter(Boolean);
    if (pts.length > 1) {
      out.push(
        `<polyline fill="none" stroke="${color}" stroke-width="2"${dash} points="${pts.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}"/>`,
      );
    }
    for (const p of pts) out.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3.5" fill="${color}"/>`);
    const ly = PLOT.top + 10 + k * 20;
    out.push(
      `<line x1="${W - PLOT.right + 20}" x2="${W - PLOT.right + 48}" y1="${ly}" y2="${ly}" stroke="${color}" stroke-width="2"${dash}/>`,
    );
    out.push(`<text x="${W - PLOT.right + 54}" y="${ly + 4}">${escapeXml(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function formatGb(x) {
  return x >= 1 ? String(x) : x.toPrecision(1);
}

function escapeXml(text) {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
