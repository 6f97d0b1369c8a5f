import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { BoxFormat } from '../../core/layout.js';
import { addBoxGrad, boxRows, boxToXyxy } from '../../core/layout.js';
import { formatShape } from '../../core/tensor.js';
import { BoxGeo, EPS_OPTION, FORMAT_OPTION } from './common.js';

interface RepulsionPlan extends Plan {
  n: number;
  format: BoxFormat;
  alpha: number;
  beta: number;
  sigmaGt: number;
  sigmaBox: number;
  eps: number;
  /** Corners of predictions, attraction targets and ground truths (float64). */
  p: Float64Array;
  t: Float64Array;
  gt: Float64Array;
  assigned: Int32Array;
  /** Per prediction: index of its repulsion ground truth G_i, or −1 when there is none. */
  rep: Int32Array;
  /** Scratch: corner gradients of every prediction, and one pair of boxes for BoxGeo. */
  gc: Float64Array;
  q: Float64Array;
  g: Float64Array;
  geo: BoxGeo;
  d: Float64Array;
}

/** Smooth_ln(x, σ) of the paper: −ln(1 − x) for x ≤ σ, (x − σ)/(1 − σ) − ln(1 − σ) beyond; and its slope. */
function smoothLn(x: number, sigma: number, d: Float64Array): number {
  if (x <= sigma) {
    d[0] = 1 / (1 - x);
    return -Math.log1p(-x);
  }
  d[0] = 1 / (1 - sigma);
  return (x - sigma) / (1 - sigma) - Math.log1p(-sigma);
}

/** IoU = I/U of corner boxes a and b (torchvision box_iou: clamped sides, no eps). */
function iouCorners(a: Float64Array, i: number, b: Float64Array, j: number): number {
  const iw = Math.max(Math.min(a[i + 2], b[j + 2]) - Math.max(a[i], b[j]), 0);
  const ih = Math.max(Math.min(a[i + 3], b[j + 3]) - Math.max(a[i + 1], b[j + 1]), 0);
  const inter = iw * ih;
  const union =
    (a[i + 2] - a[i]) * (a[i + 3] - a[i + 1]) + (b[j + 2] - b[j]) * (b[j + 3] - b[j + 1]) - inter;
  return inter / union;
}

function load(q: Float64Array, a: Float64Array, i: number, b: Float64Array, j: number): void {
  for (let c = 0; c < 4; c++) {
    q[c] = a[i + c];
    q[4 + c] = b[j + c];
  }
}

const SIGMA_SPEC = (which: string) =>
  ({
    type: 'number',
    default: 0.5,
    min: 0,
    max: 1,
    exclusiveMax: true,
    doc: `σ of Smooth_ln in the ${which} term, in [0, 1): below it −ln(1 − x), above it linear.`,
  }) as const;

/** Repulsion loss (Wang et al., CVPR 2018) for crowded scenes, the catalog's definition. */
export const repulsion = defineLoss({
  meta: {
    id: 'repulsion',
    task: 'boxes',
    title: 'Repulsion loss',
    summary:
      'Attraction of each prediction to its target (smooth L1) plus repulsion from the other ground truths (RepGT, on IoG) and from predictions of other objects (RepBox, on IoU).',
    formula:
      'L = \\tfrac1N\\sum_i \\mathrm{SmoothL1}(B_i - T_i) + \\alpha\\,\\tfrac1N\\sum_i \\mathrm{Smooth}_{\\ln}\\big(\\mathrm{IoG}(B_i, G_i^{rep}), \\sigma_{gt}\\big) + \\beta\\,\\frac{\\sum_{i<j,\\,a_i \\ne a_j} \\mathrm{Smooth}_{\\ln}(\\mathrm{IoU}(B_i, B_j), \\sigma_{box})}{\\#\\{i<j,\\ a_i \\ne a_j,\\ \\mathrm{IoU} > 0\\} + \\epsilon}',
    inputs: [
      {
        name: 'input',
        role: 'boxes',
        shape: '(N, 4)',
        differentiable: true,
        kind: 'float',
        doc: 'Predicted boxes (the positive proposals of one image), in the chosen format.',
      },
      {
        name: 'target',
        role: 'boxes',
        shape: '(N, 4)',
        differentiable: false,
        kind: 'float',
        doc: 'The attraction target of each prediction (its own ground truth box).',
      },
      {
        name: 'gtBoxes',
        role: 'boxes',
        shape: '(M, 4)',
        differentiable: false,
        kind: 'float',
        doc: 'All ground-truth boxes of the image.',
      },
      {
        name: 'assigned',
        role: 'indices',
        shape: '(N)',
        differentiable: false,
        kind: 'index',
        doc: 'For each prediction, the index into gtBoxes of its own ground truth.',
      },
    ],
    options: {
      format: FORMAT_OPTION,
      alpha: { type: 'number', default: 0.5, min: 0, doc: 'Weight α of the RepGT term.' },
      beta: { type: 'number', default: 0.5, min: 0, doc: 'Weight β of the RepBox term.' },
      sigmaRepGt: SIGMA_SPEC('RepGT'),
      sigmaRepBox: SIGMA_SPEC('RepBox'),
      eps: { ...EPS_OPTION, doc: 'Added to the RepBox pair count (the paper\u2019s ε).' },
    },
    reductions: ['mean'],
    references: [
      {
        title:
          'Wang, Xiao, Jiang, Shao, Sun, Shen (2018), Repulsion Loss: Detecting Pedestrians in a Crowd (CVPR)',
        url: 'https://arxiv.org/abs/1711.07752',
        implementation:
          'no official code; the catalog\u2019s definition (Smooth_ln as meituan/YOLOv6 RepulsionLoss.py)',
      },
    ],
    examples: [
      {
        title: 'Three proposals for two overlapping pedestrians',
        inputs: {
          input: [
            [0.1, 0.05, 1.1, 2.2],
            [0.75, 0.1, 1.85, 2.05],
            [0.2, -0.1, 1.15, 1.9],
          ],
          target: [
            [0, 0, 1, 2],
            [0.8, 0, 1.8, 2],
            [0, 0, 1, 2],
          ],
          gtBoxes: [
            [0, 0, 1, 2],
            [0.8, 0, 1.8, 2],
          ],
          assigned: [0, 1, 0],
        },
      },
    ],
    whenToUse:
      'Crowded scenes (pedestrians, packed objects) where predictions drift onto neighbouring objects or merge two of them: besides attracting each box to its target, RepGT pushes it away from the most overlapping other ground truth and RepBox keeps predictions of different objects apart, which makes NMS less likely to suppress true neighbours.',
    caveats: [
      'Needs per-image structure: all ground truths and each prediction\u2019s assignment; call it once per image (the RepBox term couples every pair of predictions, O(N²)).',
      'The choice of the repulsion ground truth (highest IoU among the others, first index on ties) carries no gradient; IoG has no eps, so a zero-area ground truth gives NaN.',
      'σ trades robustness against strength: small σ makes the penalty linear early (less sensitive to outliers), σ → 1 approaches −ln(1 − x).',
    ],
    notes: [
      'Everything is computed in xyxy after format conversion; the attraction term is smooth L1 with β = 1 summed over the four corner coordinates and averaged over predictions.',
      'RepBox IoU between predictions is torchvision box_iou (no eps); pairs with the same assignment are skipped.',
    ],
  },
  prepare(inputs, options, id): RepulsionPlan {
    const n = boxRows(id, 'input', inputs.input);
    const nt = boxRows(id, 'target', inputs.target);
    const m = boxRows(id, 'gtBoxes', inputs.gtBoxes);
    if (nt !== n)
      fail(
        'E_SHAPE',
        id,
        "input 'target'",
        `boxes of shape (${n}, 4), one per prediction`,
        `shape ${formatShape(inputs.target.shape)}`,
      );
    const a = inputs.assigned;
    if (a.shape.length !== 1 || a.shape[0] !== n)
      fail(
        'E_SHAPE',
        id,
        "input 'assigned'",
        `indices of shape (${n}), one per prediction`,
        `shape ${formatShape(a.shape)}`,
      );
    for (let i = 0; i < n; i++) {
      if (a.data[i] < 0 || a.data[i] >= m)
        fail(
          'E_RANGE',
          id,
          "input 'assigned'",
          `indices into gtBoxes in [0, ${m - 1}]`,
          `${a.data[i]} at position ${i}`,
        );
    }
    const format = options.format;
    const p = new Float64Array(4 * n);
    const t = new Float64Array(4 * n);
    const gt = new Float64Array(4 * m);
    for (let i = 0; i < n; i++) {
      boxToXyxy(inputs.input.data, i, format, p, 4 * i);
      boxToXyxy(inputs.target.data, i, format, t, 4 * i);
    }
    for (let j = 0; j < m; j++) boxToXyxy(inputs.gtBoxes.data, j, format, gt, 4 * j);
    const rep = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      let best = -Infinity;
      for (let j = 0; j < m; j++) {
        if (j === a.data[i]) continue;
        const v = iouCorners(p, 4 * i, gt, 4 * j);
        if (rep[i] < 0 || v > best) {
          best = v;
          rep[i] = j;
        }
      }
    }
    return {
      size: n > 0 ? 1 : 0,
      outShape: [],
      divisors: { mean: 1 },
      n,
      format,
      alpha: options.alpha,
      beta: options.beta,
      sigmaGt: options.sigmaRepGt,
      sigmaBox: options.sigmaRepBox,
      eps: options.eps,
      p,
      t,
      gt,
      assigned: a.data,
      rep,
      gc: new Float64Array(4 * n),
      q: new Float64Array(8),
      g: new Float64Array(4),
      geo: new BoxGeo(),
      d: new Float64Array(1),
    };
  },
  kernel(pl: RepulsionPlan, _out, grads, seed, scale) {
    const { n, p, t, gt, rep, q, g, geo, gc, assigned } = pl;
    if (n === 0) return 0;
    const c = seed === null ? scale : seed[0] * scale;
    const want = grads !== null;
    if (want) gc.fill(0);
    const d = pl.d;
    // attraction: smooth L1 (β = 1) on the corners, mean over predictions
    let attr = 0;
    for (let k = 0; k < 4 * n; k++) {
      const r = p[k] - t[k];
      const cl = Math.min(Math.max(r, -1), 1);
      attr += cl * (r - 0.5 * cl);
      if (want) gc[k] += (c * cl) / n;
    }
    // RepGT: Smooth_ln of IoG with the repulsion ground truth
    let repGt = 0;
    for (let i = 0; i < n; i++) {
      const j = rep[i];
      if (j < 0) continue;
      load(q, p, 4 * i, gt, 4 * j);
      geo.set(q, 'clamp', false);
      const iog = geo.inter / geo.at;
      repGt += smoothLn(iog, pl.sigmaGt, d);
      if (!want) continue;
      geo.back((c * pl.alpha * d[0]) / (n * geo.at), 0, 0, 0, 0, 0, 0, 0, g);
      for (let k = 0; k < 4; k++) gc[4 * i + k] += g[k];
    }
    // RepBox: Smooth_ln of the IoU of predictions assigned to different ground truths
    let repBox = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (assigned[i] === assigned[j]) continue;
        load(q, p, 4 * i, p, 4 * j);
        geo.set(q, 'clamp', false);
        const iou = geo.inter / geo.union;
        repBox += smoothLn(iou, pl.sigmaBox, d);
        if (iou > 0) count++;
      }
    }
    const denom = count + pl.eps;
    if (want && pl.beta !== 0) {
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          if (assigned[i] === assigned[j]) continue;
          // d IoU/d box_i and d IoU/d box_j (IoU is symmetric: swap the roles)
          for (const [a, b] of [
            [i, j],
            [j, i],
          ]) {
            load(q, p, 4 * a, p, 4 * b);
            geo.set(q, 'clamp', false);
            const iou = geo.inter / geo.union;
            smoothLn(iou, pl.sigmaBox, d);
            const k = (c * pl.beta * d[0]) / denom;
            geo.back(
              k / geo.union,
              (-k * geo.inter) / (geo.union * geo.union),
              0,
              0,
              0,
              0,
              0,
              0,
              g,
            );
            for (let e = 0; e < 4; e++) gc[4 * a + e] += g[e];
          }
        }
      }
    }
    if (want) {
      for (let i = 0; i < n; i++)
        addBoxGrad(
          grads.input,
          i,
          pl.format,
          gc[4 * i],
          gc[4 * i + 1],
          gc[4 * i + 2],
          gc[4 * i + 3],
        );
    }
    return attr / n + (pl.alpha * repGt) / n + (pl.beta * repBox) / denom;
  },
});
