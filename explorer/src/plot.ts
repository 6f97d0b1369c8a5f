/**
 * Hand-written SVG line charts: a few dozen lines do what the explorer needs (lines with gaps at
 * non-finite values, point overlays, axes, a legend), stay crisp at any width, and leave every curve
 * an inspectable <path>.
 */
const SVG = 'http://www.w3.org/2000/svg';
export const PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
];

export interface Series {
  label: string;
  xs: readonly number[];
  ys: readonly number[];
  color: string;
  /** 'line' draws a path; 'points' draws circles (the finite-difference overlay). */
  style: 'line' | 'points';
}

export interface ChartSpec {
  title: string;
  xLabel: string;
  yLabel: string;
  series: Series[];
}

function el<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** About five round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
    out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return out;
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-3 ? v.toExponential(1) : String(Number(v.toPrecision(3)));
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= Math.max(1, Math.abs(lo)) * 0.5;
    hi += Math.max(1, Math.abs(hi)) * 0.5;
  }
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** One chart as an <svg> with role="img" and an accessible title. */
export function chart(spec: ChartSpec): SVGSVGElement {
  const W = 640;
  // The legend flows in rows below the x axis, so it never hides a curve.
  const place: { x: number; row: number }[] = [];
  let lx = 60;
  let row = 0;
  for (const s of spec.series) {
    const w = 30 + 6.5 * s.label.length + 18;
    if (lx + w > W - 16 && lx > 60) {
      lx = 60;
      row += 1;
    }
    place.push({ x: lx, row });
    lx += w;
  }
  const plotH = 280;
  const H = plotH + 18 * (row + 1) + 4;
  const m = { l: 60, r: 16, t: 28, b: 42 + H - plotH };
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', class: 'chart' });
  svg.append(el('title', {}, spec.title));
  const [x0, x1] = extent(spec.series.flatMap((s) => [...s.xs]));
  const [y0, y1] = extent(spec.series.flatMap((s) => [...s.ys]));
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0)) * (H - m.t - m.b);

  const axes = el('g', { class: 'axes' });
  for (const t of ticks(x0, x1)) {
    axes.append(el('line', { x1: sx(t), x2: sx(t), y1: m.t, y2: H - m.b, class: 'grid' }));
    axes.append(el('text', { x: sx(t), y: H - m.b + 16, 'text-anchor': 'middle' }, fmt(t)));
  }
  for (const t of ticks(y0, y1)) {
    axes.append(el('line', { x1: m.l, x2: W - m.r, y1: sy(t), y2: sy(t), class: 'grid' }));
    axes.append(el('text', { x: m.l - 6, y: sy(t) + 4, 'text-anchor': 'end' }, fmt(t)));
  }
  if (y0 < 0 && y1 > 0) {
    axes.append(el('line', { x1: m.l, x2: W - m.r, y1: sy(0), y2: sy(0), class: 'zero' }));
  }
  axes.append(
    el('text', { x: (m.l + W - m.r) / 2, y: plotH - 6, 'text-anchor': 'middle' }, spec.xLabel),
  );
  axes.append(el('text', { x: m.l, y: 16, 'text-anchor': 'start', class: 'ylabel' }, spec.yLabel));
  svg.append(axes);

  const legend = el('g', { class: 'legend' });
  spec.series.forEach((s, i) => {
    if (s.style === 'line') {
      let d = '';
      let pen = false;
      s.xs.forEach((x, k) => {
        const y = s.ys[k];
        if (!Number.isFinite(x) || !Number.isFinite(y)) {
          pen = false;
          return;
        }
        d += `${pen ? 'L' : 'M'}${sx(x).toFixed(2)},${sy(y).toFixed(2)}`;
        pen = true;
      });
      const p = el('path', { d, stroke: s.color, class: 'series', fill: 'none' });
      p.dataset.label = s.label;
      svg.append(p);
    } else {
      const g = el('g', { class: 'fd', fill: 'none', stroke: s.color });
      s.xs.forEach((x, k) => {
        const y = s.ys[k];
        if (Number.isFinite(x) && Number.isFinite(y)) {
          g.append(el('circle', { cx: sx(x).toFixed(2), cy: sy(y).toFixed(2), r: 4 }));
        }
      });
      svg.append(g);
    }
    const lx = place[i].x;
    const ly = plotH + 12 + 18 * place[i].row;
    legend.append(
      s.style === 'line'
        ? el('line', { x1: lx, x2: lx + 22, y1: ly, y2: ly, stroke: s.color, 'stroke-width': 2 })
        : el('circle', { cx: lx + 11, cy: ly, r: 4, stroke: s.color, fill: 'none' }),
    );
    legend.append(el('text', { x: lx + 28, y: ly + 4, 'text-anchor': 'start' }, s.label));
  });
  svg.append(legend);
  return svg;
}
