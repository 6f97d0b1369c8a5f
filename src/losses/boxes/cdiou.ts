import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  pairKernel,
  prepareBoxPair,
} from './common.js';

interface CdiouOptions {
  eps: number;
  lambda: number;
  geo: BoxGeo;
}
type CdiouPlan = BoxPairPlan<CdiouOptions>;

/** Euclidean distance between (px, py) and (tx, ty). */
function distance(px: number, py: number, tx: number, ty: number): number {
  return Math.sqrt((px - tx) ** 2 + (py - ty) ** 2);
}

/** Unit vector from (tx, ty) to (px, py), scaled by coef; 0 when the points coincide. */
function unitScaled(d: number, delta: number, coef: number): number {
  return d > 0 ? (coef * delta) / d : 0;
}

/**
 * CDIoU, the catalog's definition: 1 − I/(U + eps) + λ·(Σ of the distances between the four
 * corresponding corners)/(4·√(C_w² + C_h² + eps)).
 */
function cdiouAt(q: Float64Array, g: Float64Array, o: CdiouOptions): number {
  const geo = o.geo;
  geo.set(q, 'clamp', false);
  const { eps, lambda } = o;
  const ue = geo.union + eps;
  const iou = geo.inter / ue;
  const { px1, py1, px2, py2, tx1, ty1, tx2, ty2, cw, ch } = geo;
  const d1 = distance(px1, py1, tx1, ty1);
  const d2 = distance(px2, py1, tx2, ty1);
  const d3 = distance(px2, py2, tx2, ty2);
  const d4 = distance(px1, py2, tx1, ty2);
  const sum = d1 + d2 + d3 + d4;
  const diag = Math.sqrt(cw * cw + ch * ch + eps);
  const k = lambda / (4 * diag);
  const loss = 1 - iou + k * sum;
  // d/d diag of λ·sum/(4·diag) = −k·sum/diag; d diag/d cw = cw/diag
  const gDiag = (-k * sum) / diag;
  geo.back(-1 / ue, iou / ue, (gDiag * cw) / diag, (gDiag * ch) / diag, 0, 0, 0, 0, g);
  const ex = px1 - tx1;
  const fx = px2 - tx2;
  const ey = py1 - ty1;
  const fy = py2 - ty2;
  // corner 1 (x1, y1), 2 (x2, y1), 3 (x2, y2), 4 (x1, y2)
  g[0] += unitScaled(d1, ex, k) + unitScaled(d4, ex, k);
  g[1] += unitScaled(d1, ey, k) + unitScaled(d2, ey, k);
  g[2] += unitScaled(d2, fx, k) + unitScaled(d3, fx, k);
  g[3] += unitScaled(d3, fy, k) + unitScaled(d4, fy, k);
  return loss;
}

/** Control Distance IoU loss (Chen & Miao 2021), the catalog's definition. */
export const cdiou = defineLoss({
  meta: {
    id: 'cdiou',
    task: 'boxes',
    title: 'Control Distance IoU loss',
    summary:
      'IoU loss plus the mean distance between the four corresponding corners, normalised by the enclosing box diagonal.',
    formula:
      '\\ell = 1 - \\frac{I}{U + \\epsilon} + \\lambda\\,\\frac{\\sum_{k=1}^{4} \\|p_k - p_k^{gt}\\|}{4\\sqrt{C_w^2 + C_h^2 + \\epsilon}}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      eps: EPS_OPTION,
      lambda: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Weight λ of the corner-distance term.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Chen & Miao (2021), Control Distance IoU and Control Distance IoU Loss Function for Better Bounding Box Regression (arXiv 2103.11696)',
        url: 'https://arxiv.org/abs/2103.11696',
        implementation: 'no official code found; the catalog\u2019s definition',
      },
    ],
    examples: [
      {
        title: 'An overlapping pair and a disjoint pair (xyxy)',
        inputs: {
          input: [
            [1, 1, 4, 3],
            [0, 0, 1, 1.3],
          ],
          target: [
            [0, 0, 2, 2],
            [1.5, 2, 3, 3.5],
          ],
        },
      },
      {
        title: 'A smaller lambda, corner + size boxes',
        inputs: { input: [[0.2, 0.1, 2.3, 1.7]], target: [[0, 0, 2, 2]] },
        options: { lambda: 0.5, format: 'xywh' },
      },
    ],
    whenToUse:
      'Box regression where both position and shape should be pulled at once with one cheap term: the corner distances measure centre offset and size mismatch together (every corner must match), normalised by the enclosing diagonal like DIoU, and still give a gradient for disjoint boxes.',
    caveats: [
      'No official code: the formula here is the catalog\u2019s reading of the paper (mean corner distance over the enclosing diagonal, added with weight λ to 1 − IoU).',
      'A corner distance that is exactly 0 contributes no gradient (the subgradient 0 of the Euclidean norm at 0).',
    ],
    notes: [
      'The intersection is clamp(iw, 0)·clamp(ih, 0) with torch\u2019s clamp gradient; eps as for the other formula-defined rows.',
    ],
  },
  prepare: (inputs, options, id): CdiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      lambda: options.lambda,
      geo: new BoxGeo(),
    }),
  kernel: (plan: CdiouPlan, out, grads, seed, scale) =>
    pairKernel(plan, out, grads === null ? null : grads.input, seed, scale, cdiouAt),
});
