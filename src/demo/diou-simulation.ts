/**
 * The simulation experiment of the DIoU paper (Zheng et al., AAAI 2020, Fig. 3b), reproduced as the
 * official MATLAB script `simulation experiment/test_1715k.m` of Zzh-tju/DIoU (commit be00841) runs
 * it: 5,000 anchor centres in a disc of radius 3 around (10, 10), drawn from MATLAB's default
 * Mersenne Twister stream (seed 5489); 7 targets of area 1 and aspect ratios 1:4 … 4:1; anchors of 7
 * scales × 7 aspect ratios at every centre, each regressed to every target: 1,715,000 cases. Each
 * case runs 200 steps B ← B + η·(2 − IoU)·∇B with η = 0.1 (t ≤ 160), 0.01 (t ≤ 180), 0.001, where
 * ∇B is the ascent direction of the IoU-type score in (x, y, w, h).
 *
 * Two gradient modes:
 * - 'paper': the script's hand-written gradients (dIOU.m, dGIOU.m, dDIOU.m, dCIOU.m and helpers),
 *   transcribed with their conventions: the edge → (x, y, w, h) map without the ½ of the chain rule
 *   for w and h, unclamped intersections, the DIoU enclosing-box term's sign for x and y, and CIoU's
 *   aspect gradient without its 1/(w² + h²) factor.
 * - 'exact': losskit's own analytic gradients (iouLoss linear, giou, diou, ciou, format 'cxcywh').
 *
 * The error after step t is e_t = |x − x_g| + |y − y_g| + |w − w_g| + |h − h_g|, summed over cases.
 */
import type { FloatArray } from '../core/tensor.js';
import { ciou } from '../losses/boxes/ciou.js';
import { diou } from '../losses/boxes/diou.js';
import { giou } from '../losses/boxes/giou.js';
import { iouLoss } from '../losses/boxes/iouLoss.js';

export const SIM_LOSSES = ['IoU', 'GIoU', 'DIoU', 'CIoU'] as const;
export type SimLoss = (typeof SIM_LOSSES)[number];
export type GradMode = 'paper' | 'exact';

/** Iterations whose error sums the result reports. */
export const REPORTED_STEPS = [1, 10, 50, 100, 160, 180, 200] as const;
export const STEPS = 200;

/**
 * MT19937 seeded with init_genrand(seed), returning doubles in [0, 1) with 53-bit resolution
 * ((a >>> 5)·2^26 + (b >>> 6))/2^53: MATLAB's `rand` under its default generator (seed 5489), and
 * NumPy's RandomState(seed).random_sample.
 */
export function mersenneTwister(seed = 5489): () => number {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const p = mt[i - 1] ^ (mt[i - 1] >>> 30);
    // 1812433253·p + i modulo 2^32, split to stay exact in doubles
    mt[i] = ((((p & 0xffff0000) >>> 16) * 1812433253) << 16) + (p & 0x0000ffff) * 1812433253 + i;
  }
  let idx = 624;
  const next = (): number => {
    if (idx >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      idx = 0;
    }
    let y = mt[idx++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
  return () => {
    const a = next() >>> 5;
    const b = next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  };
}

/** The 1,715,000 (or 343·points) regression cases: anchors and targets as (x, y, w, h) centre + size. */
export interface SimCases {
  count: number;
  points: number;
  anchors: Float64Array;
  targets: Float64Array;
}

/** Builds the cases of `test_1715k.m` for the first `points` of its 5,000 centres. */
export function buildCases(points = 5000): SimCases {
  if (!Number.isInteger(points) || points < 1 || points > 5000)
    throw new RangeError(`points must be an integer in [1, 5000], got ${points}`);
  const rand = mersenneTwister(5489);
  const u1 = Float64Array.from({ length: 5000 }, rand);
  const u2 = Float64Array.from({ length: 5000 }, rand);
  const c1 = Math.sqrt(3);
  const c2 = Math.sqrt(2);
  // (w, h) of the seven aspect ratios, as the script writes them
  const ratios: [number, number][] = [
    [0.5, 2.0],
    [c1 / 3, c1],
    [c2 / 2, c2],
    [1, 1],
    [c2, c2 / 2],
    [c1, c1 / 3],
    [2.0, 0.5],
  ];
  const scales = [0.5, 0.67, 0.75, 1, 1.33, 1.5, 2.0];
  const count = points * 343;
  const anchors = new Float64Array(4 * count);
  const targets = new Float64Array(4 * count);
  let k = 0;
  for (let i = 0; i < points; i++) {
    const rr = 3 * Math.sqrt(u1[i]);
    const seta = 2 * Math.PI * u2[i];
    const x = 10 + rr * Math.cos(seta);
    const y = 10 + rr * Math.sin(seta);
    for (const [gw, gh] of ratios) {
      for (const sc of scales) {
        const s = Math.sqrt(sc * gw * gh);
        for (const [aw, ah] of ratios) {
          anchors.set([x, y, aw * s, ah * s], 4 * k);
          targets.set([10, 10, gw, gh], 4 * k);
          k++;
        }
      }
    }
  }
  return { count, points, anchors, targets };
}

/** The step size of iteration t (1-based). */
export function stepSize(t: number): number {
  return t <= 160 ? 0.1 : t <= 180 ? 0.01 : 0.001;
}

/** iou.m: I/U of (x, y, w, h) boxes when the boxes overlap, else 0. */
export function simIou(p: FloatArray, i: number, g: FloatArray, j: number): number {
  const pt = p[i + 1] - p[i + 3] / 2;
  const pb = p[i + 1] + p[i + 3] / 2;
  const pl = p[i] - p[i + 2] / 2;
  const pr = p[i] + p[i + 2] / 2;
  const gt = g[j + 1] - g[j + 3] / 2;
  const gb = g[j + 1] + g[j + 3] / 2;
  const gl = g[j] - g[j + 2] / 2;
  const gr = g[j] + g[j + 2] / 2;
  const it = Math.max(pt, gt);
  const ib = Math.min(pb, gb);
  const il = Math.max(pl, gl);
  const ir = Math.min(pr, gr);
  const inter = (ib - it) * (ir - il);
  const union = (pb - pt) * (pr - pl) + (gb - gt) * (gr - gl) - inter;
  return it < ib && il < ir ? inter / union : 0;
}

/**
 * Corrections of the official gradients, one quirk at a time (ablations; all false = the code):
 * `half` restores the ½ of ∂/∂w = (∂/∂r − ∂/∂l)/2 in to_xywh; `clampUnion` clamps the
 * intersection at 0 in GIoU's union and its gradient for disjoint boxes; `distance` uses the exact
 * gradient of ρ²/c² (sign of the enclosing term in x, y; ∂C_w/∂y = ∂C_h/∂x = 0; +1, not −1, when
 * the prediction encloses the target); `aspect` keeps CIoU's 1/(w² + h²) factor.
 */
export interface PaperFixes {
  half?: boolean;
  clampUnion?: boolean;
  distance?: boolean;
  aspect?: boolean;
}

export const PAPER_FIXES = ['half', 'clampUnion', 'distance', 'aspect'] as const;

/**
 * The official code's ascent direction (dx, dy, dw, dh) for one case, written into out[0..3]:
 * dIOU/dGIOU (through to_xywh) or dDIOU/dCIOU, with every quirk of the MATLAB files unless `fix`
 * corrects it.
 */
export function paperGradient(
  loss: SimLoss,
  p: FloatArray,
  i: number,
  g: FloatArray,
  j: number,
  out: Float64Array,
  fix: PaperFixes = {},
): void {
  const wh = fix.half === true ? 0.5 : 1;
  const ax = p[i];
  const ay = p[i + 1];
  const aw = p[i + 2];
  const ah = p[i + 3];
  const bx = g[j];
  const by = g[j + 1];
  const bw = g[j + 2];
  const bh = g[j + 3];
  // to_tblr
  const pt = ay - ah / 2;
  const pb = ay + ah / 2;
  const pl = ax - aw / 2;
  const pr = ax + aw / 2;
  const gt = by - bh / 2;
  const gb = by + bh / 2;
  const gl = bx - bw / 2;
  const gr = bx + bw / 2;
  // In.m, unclamped I, U
  const it = Math.max(pt, gt);
  const ib = Math.min(pb, gb);
  const il = Math.max(pl, gl);
  const ir = Math.min(pr, gr);
  const overlap = it < ib && il < ir;
  const clamp = fix.clampUnion === true && !overlap;
  const inter = clamp ? 0 : (ib - it) * (ir - il);
  const union = (pb - pt) * (pr - pl) + (gb - gt) * (gr - gl) - inter;
  // dIbox, dXbox, dUbox
  const dIt = !clamp && pt > gt ? -(ir - il) : 0;
  const dIb = !clamp && pb < gb ? ir - il : 0;
  const dIl = !clamp && pl > gl ? -(ib - it) : 0;
  const dIr = !clamp && pr < gr ? ib - it : 0;
  const dUt = -(pr - pl) - dIt;
  const dUb = pr - pl - dIb;
  const dUl = -(pb - pt) - dIl;
  const dUr = pb - pt - dIr;
  // dIOU.m
  let st = 0;
  let sb = 0;
  let sl = 0;
  let sr = 0;
  if (overlap && union > 0) {
    const u2 = union ** 2;
    st = (union * dIt - inter * dUt) / u2;
    sb = (union * dIb - inter * dUb) / u2;
    sl = (union * dIl - inter * dUl) / u2;
    sr = (union * dIr - inter * dUr) / u2;
  }
  if (!(pt < pb)) st = sb;
  if (!(pl < pr)) sl = sr;
  if (loss === 'IoU' || loss === 'GIoU') {
    if (loss === 'GIoU') {
      // dGIOU.m: cover box, dCbox
      const ct = Math.min(pt, gt);
      const cb = Math.max(pb, gb);
      const cl = Math.min(pl, gl);
      const cr = Math.max(pr, gr);
      const c = (cb - ct) * (cr - cl);
      const dCt = pt < gt ? -(cr - cl) : 0;
      const dCb = pb > gb ? cr - cl : 0;
      const dCl = pl < gl ? -(cb - ct) : 0;
      const dCr = pr > gr ? cb - ct : 0;
      const c2 = c ** 2;
      const gtTerm = (c * dUt - union * dCt) / c2;
      const gbTerm = (c * dUb - union * dCb) / c2;
      const glTerm = (c * dUl - union * dCl) / c2;
      const grTerm = (c * dUr - union * dCr) / c2;
      if (overlap) {
        if (c > 0) {
          st += gtTerm;
          sb += gbTerm;
          sl += glTerm;
          sr += grTerm;
        }
      } else {
        st = gtTerm;
        sb = gbTerm;
        sl = glTerm;
        sr = grTerm;
      }
    }
    // to_xywh: no ½ on w and h
    out[0] = sl + sr;
    out[1] = st + sb;
    out[2] = (sr - sl) * wh;
    out[3] = (sb - st) * wh;
    return;
  }
  // dDIOU.m / dCIOU.m
  const ct = Math.min(pt, gt);
  const cb = Math.max(pb, gb);
  const cl = Math.min(pl, gl);
  const cr = Math.max(pr, gr);
  const c = (cb - ct) * (cb - ct) + (cr - cl) * (cr - cl);
  const ccw = cr - cl;
  const cch = cb - ct;
  const ctDy = pt < gt ? 1 : 0;
  const ctDh = pt < gt ? -0.5 : 0;
  const cbDy = pb > gb ? 1 : 0;
  const cbDh = pb > gb ? 0.5 : 0;
  const clDx = pl < gl ? 1 : 0;
  const clDw = pl < gl ? -0.5 : 0;
  const crDx = pr > gr ? 1 : 0;
  const crDw = pr > gr ? 0.5 : 0;
  // the script builds Cw and Ch with the same formulas, then overrides dw / dh when enclosing
  const exactC = fix.distance === true;
  const cwDx = crDx - clDx;
  const cwDy = exactC ? 0 : cbDy - ctDy;
  let cwDw = crDw - clDw;
  const cwDh = exactC ? 0 : cbDh - ctDh;
  const chDx = exactC ? 0 : cwDx;
  const chDy = cbDy - ctDy;
  const chDw = exactC ? 0 : crDw - clDw;
  let chDh = cbDh - ctDh;
  if (!exactC && pl < gl && pr > gr) cwDw = -1;
  if (!exactC && pt < gt && pb > gb) chDh = -1;
  const d = (ax - bx) * (ax - bx) + (ay - by) * (ay - by);
  const cc = c * c;
  const sgn = exactC ? 1 : -1;
  let dx = (2 * (bx - ax) * c + sgn * (2 * ccw * cwDx + 2 * cch * chDx) * d) / cc;
  let dy = (2 * (by - ay) * c + sgn * (2 * ccw * cwDy + 2 * cch * chDy) * d) / cc;
  let dw = ((2 * ccw * cwDw + 2 * cch * chDw) * d) / cc;
  let dh = ((2 * ccw * cwDh + 2 * cch * chDh) * d) / cc;
  if (loss === 'CIoU') {
    const iou = overlap ? inter / union : 0;
    const a = Math.atan(bw / bh) - Math.atan(aw / ah);
    const lLoss = (4 / (Math.PI * Math.PI)) * a * a;
    const alpha = lLoss / (1 - iou + lLoss + 0.0000001);
    const k = fix.aspect === true ? 1 / (aw * aw + ah * ah) : 1;
    dw += alpha * ((8 / (Math.PI * Math.PI)) * a * ah) * k;
    dh += alpha * ((-8 / (Math.PI * Math.PI)) * a * aw) * k;
  }
  dx += sl + sr;
  dy += st + sb;
  dw += (sr - sl) * wh;
  dh += (sb - st) * wh;
  out[0] = dx;
  out[1] = dy;
  out[2] = dw;
  out[3] = dh;
}

/** Error sums of one loss: e_t summed over cases after each step t = 1..200, and their total. */
export interface LossCurve {
  sumEAtT: Float64Array;
  total: number;
}

const EXACT = {
  IoU: { fn: iouLoss, options: { format: 'cxcywh', reduction: 'sum', mode: 'linear' } },
  GIoU: { fn: giou, options: { format: 'cxcywh', reduction: 'sum' } },
  DIoU: { fn: diou, options: { format: 'cxcywh', reduction: 'sum' } },
  CIoU: { fn: ciou, options: { format: 'cxcywh', reduction: 'sum' } },
} as const;

/**
 * Runs the 200 steps of one loss over every case. `onStep(t)` is called after each step (for a
 * progress bar).
 */
export function runLoss(
  loss: SimLoss,
  mode: GradMode,
  cases: SimCases,
  onStep?: (t: number) => void,
  fix: PaperFixes = {},
): LossCurve {
  const { count, targets } = cases;
  const box = Float64Array.from(cases.anchors);
  const grad = new Float64Array(4 * count);
  const sumEAtT = new Float64Array(STEPS);
  const tensor = { data: box, shape: [count, 4] };
  const target = { data: targets, shape: [count, 4] };
  const g = new Float64Array(4);
  for (let t = 1; t <= STEPS; t++) {
    const eta = stepSize(t);
    if (mode === 'exact') {
      const { fn, options } = EXACT[loss];
      // ∂L/∂(x, y, w, h); the ascent direction of the score is its negative
      (fn.valueAndGrad as (...a: unknown[]) => unknown)(tensor, target, options, {
        into: { input: grad },
      });
    }
    let e = 0;
    for (let k = 0; k < count; k++) {
      const o = 4 * k;
      const io = simIou(box, o, targets, o);
      const f = eta * (2 - io);
      if (mode === 'paper') {
        paperGradient(loss, box, o, targets, o, g, fix);
        box[o] += f * g[0];
        box[o + 1] += f * g[1];
        box[o + 2] += f * g[2];
        box[o + 3] += f * g[3];
      } else {
        box[o] -= f * grad[o];
        box[o + 1] -= f * grad[o + 1];
        box[o + 2] -= f * grad[o + 2];
        box[o + 3] -= f * grad[o + 3];
      }
      e +=
        Math.abs(box[o] - targets[o]) +
        Math.abs(box[o + 1] - targets[o + 1]) +
        Math.abs(box[o + 2] - targets[o + 2]) +
        Math.abs(box[o + 3] - targets[o + 3]);
    }
    sumEAtT[t - 1] = e;
    onStep?.(t);
  }
  let total = 0;
  for (const v of sumEAtT) total += v;
  return { sumEAtT, total };
}

/** The result file's shape: `{ losses: { IoU: { sum_e_at_t: {...}, total_sum_over_t }, ... } }`. */
export interface SimulationResult {
  losses: Record<SimLoss, { sum_e_at_t: Record<string, number>; total_sum_over_t: number }>;
  meta: {
    mode: GradMode;
    /** Corrections applied to the official gradients (mode 'paper' ablations). */
    fixes: string[];
    points: number;
    cases: number;
    steps: number;
    seconds: number;
    curves: Record<SimLoss, number[]>;
  };
}

/** Runs the four losses and assembles the result (curves included for the plot). */
export function runSimulation(
  mode: GradMode,
  points = 5000,
  onStep?: (loss: SimLoss, t: number) => void,
  fix: PaperFixes = {},
): SimulationResult {
  const start = Date.now();
  const cases = buildCases(points);
  const losses = {} as SimulationResult['losses'];
  const curves = {} as Record<SimLoss, number[]>;
  for (const loss of SIM_LOSSES) {
    const curve = runLoss(loss, mode, cases, (t) => onStep?.(loss, t), fix);
    const at: Record<string, number> = {};
    for (const t of REPORTED_STEPS) at[String(t)] = curve.sumEAtT[t - 1];
    losses[loss] = { sum_e_at_t: at, total_sum_over_t: curve.total };
    curves[loss] = Array.from(curve.sumEAtT);
  }
  return {
    losses,
    meta: {
      mode,
      fixes: PAPER_FIXES.filter((f) => fix[f] === true),
      points,
      cases: cases.count,
      steps: STEPS,
      seconds: (Date.now() - start) / 1000,
      curves,
    },
  };
}

/** A markdown table of the reported steps and totals. */
export function markdownTable(r: SimulationResult): string {
  const head = `| loss | ${REPORTED_STEPS.map((t) => `t=${t}`).join(' | ')} | total over t |`;
  const sep = `|---|${REPORTED_STEPS.map(() => '---:').join('|')}|---:|`;
  const fmt = (v: number) => v.toExponential(4);
  const rows = SIM_LOSSES.map((l) => {
    const x = r.losses[l];
    return `| ${l} | ${REPORTED_STEPS.map((t) => fmt(x.sum_e_at_t[String(t)])).join(' | ')} | ${fmt(x.total_sum_over_t)} |`;
  });
  return [
    `DIoU simulation, gradient mode '${r.meta.mode}'${r.meta.fixes.length ? ` with fixes ${r.meta.fixes.join(', ')}` : ''}: ${r.meta.cases.toLocaleString('en-US')} cases (${r.meta.points} points × 343), ${r.meta.steps} steps; Σ over cases of e_t = |x − x_g| + |y − y_g| + |w − w_g| + |h − h_g| after step t.`,
    '',
    head,
    sep,
    ...rows,
    '',
  ].join('\n');
}

/** An SVG line plot of the four error curves (the paper's Fig. 3b). */
export function svgPlot(r: SimulationResult): string {
  const W = 640;
  const H = 400;
  const m = { l: 70, r: 20, t: 30, b: 45 };
  const colors: Record<SimLoss, string> = {
    IoU: '#1f77b4',
    GIoU: '#2ca02c',
    DIoU: '#d62728',
    CIoU: '#9467bd',
  };
  let ymax = 0;
  for (const l of SIM_LOSSES) for (const v of r.meta.curves[l]) ymax = Math.max(ymax, v);
  const x = (t: number) => m.l + ((t - 1) / (STEPS - 1)) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / ymax) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="18" text-anchor="middle">Regression error sum (mode '${r.meta.mode}', ${r.meta.cases.toLocaleString('en-US')} cases)</text>`,
    `<line x1="${m.l}" y1="${H - m.b}" x2="${W - m.r}" y2="${H - m.b}" stroke="black"/>`,
    `<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${H - m.b}" stroke="black"/>`,
  ];
  for (const t of [1, 40, 80, 120, 160, 200]) {
    parts.push(`<text x="${x(t)}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  }
  for (let k = 0; k <= 4; k++) {
    const v = (ymax * k) / 4;
    parts.push(
      `<text x="${m.l - 6}" y="${y(v) + 4}" text-anchor="end">${v.toExponential(1)}</text>`,
    );
  }
  parts.push(`<text x="${W / 2}" y="${H - 8}" text-anchor="middle">iteration</text>`);
  SIM_LOSSES.forEach((l, i) => {
    const pts = r.meta.curves[l]
      .map((v, k) => `${x(k + 1).toFixed(1)},${y(v).toFixed(1)}`)
      .join(' ');
    parts.push(`<polyline fill="none" stroke="${colors[l]}" stroke-width="1.8" points="${pts}"/>`);
    parts.push(
      `<line x1="${W - 120}" y1="${m.t + 12 + 16 * i}" x2="${W - 100}" y2="${m.t + 12 + 16 * i}" stroke="${colors[l]}" stroke-width="2"/>`,
    );
    parts.push(`<text x="${W - 94}" y="${m.t + 16 + 16 * i}">${l}</text>`);
  });
  parts.push('</svg>', '');
  return parts.join('\n');
}
