/**
 * A small, dependency-free SVG line-chart writer for `losskit plot`: one or two stacked panels
 * (the loss, and its gradient) sharing the x axis, several series per panel with a legend. Points
 * whose y is not finite break the line. Output is deterministic text.
 */

export interface Series {
  label: string;
  /** y values aligned with the chart's xs; NaN or ±Infinity leaves a gap. */
  ys: readonly number[];
}

export interface Panel {
  title: string;
  series: readonly Series[];
}

export interface Chart {
  title: string;
  xLabel: string;
  xs: readonly number[];
  panels: readonly Panel[];
}

const WIDTH = 720;
const PANEL_HEIGHT = 260;
const MARGIN = { left: 70, right: 180, top: 40, bottom: 40 };
const COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
];

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  const r = Math.round(v * 100) / 100;
  return Object.is(r, -0) ? '0' : String(r);
}

/** "Nice" tick values covering [lo, hi] (1, 2, 5 × 10^k steps). */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return out;
}

function label(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(4)));
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

function renderPanel(chart: Chart, panel: Panel, top: number, xLo: number, xHi: number): string[] {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const [yLo, yHi] = extent(panel.series.flatMap((s) => s.ys));
  const sx = (x: number): number => MARGIN.left + ((x - xLo) / (xHi - xLo)) * plotW;
  const sy = (y: number): number => top + MARGIN.top + (1 - (y - yLo) / (yHi - yLo)) * plotH;
  const out: string[] = [];
  const y0 = top + MARGIN.top;
  out.push(
    `<text x="${MARGIN.left}" y="${fmt(y0 - 10)}" font-size="13" font-weight="bold">${esc(panel.title)}</text>`,
    `<rect x="${MARGIN.left}" y="${fmt(y0)}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
  );
  for (const t of ticks(yLo, yHi)) {
    const y = sy(t);
    out.push(
      `<line x1="${MARGIN.left}" y1="${fmt(y)}" x2="${MARGIN.left + plotW}" y2="${fmt(y)}" stroke="#eee"/>`,
      `<text x="${MARGIN.left - 6}" y="${fmt(y + 4)}" font-size="11" text-anchor="end">${esc(label(t))}</text>`,
    );
  }
  for (const t of ticks(xLo, xHi)) {
    const x = sx(t);
    out.push(
      `<line x1="${fmt(x)}" y1="${fmt(y0)}" x2="${fmt(x)}" y2="${fmt(y0 + plotH)}" stroke="#eee"/>`,
      `<text x="${fmt(x)}" y="${fmt(y0 + plotH + 15)}" font-size="11" text-anchor="middle">${esc(label(t))}</text>`,
    );
  }
  if (yLo < 0 && yHi > 0) {
    out.push(
      `<line x1="${MARGIN.left}" y1="${fmt(sy(0))}" x2="${MARGIN.left + plotW}" y2="${fmt(sy(0))}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    );
  }
  panel.series.forEach((s, si) => {
    const color = COLORS[si % COLORS.length];
    let d = '';
    let pen = false;
    for (let i = 0; i < chart.xs.length; i++) {
      const y = s.ys[i];
      if (!Number.isFinite(y)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${fmt(sx(chart.xs[i]))} ${fmt(sy(y))}`;
      pen = true;
    }
    if (d !== '') {
      out.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"/>`);
    }
    const ly = y0 + 12 + si * 18;
    const lx = MARGIN.left + plotW + 12;
    out.push(
      `<line x1="${lx}" y1="${fmt(ly - 4)}" x2="${lx + 18}" y2="${fmt(ly - 4)}" stroke="${color}" stroke-width="2"/>`,
      `<text x="${lx + 24}" y="${fmt(ly)}" font-size="11">${esc(s.label)}</text>`,
    );
  });
  out.push(
    `<text x="${fmt(MARGIN.left + plotW / 2)}" y="${fmt(y0 + plotH + 32)}" font-size="12" text-anchor="middle">${esc(chart.xLabel)}</text>`,
  );
  return out;
}

/** The chart as a standalone SVG document. */
export function renderSvg(chart: Chart): string {
  const height = 30 + chart.panels.length * PANEL_HEIGHT;
  const [xLo, xHi] = [chart.xs[0], chart.xs[chart.xs.length - 1]];
  const body: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="${WIDTH}" height="${height}" fill="white"/>`,
    `<text x="${WIDTH / 2}" y="20" font-size="15" text-anchor="middle">${esc(chart.title)}</text>`,
  ];
  chart.panels.forEach((p, i) =>
    body.push(...renderPanel(chart, p, 30 + i * PANEL_HEIGHT, xLo, xHi)),
  );
  body.push('</svg>', '');
  return body.join('\n');
}
