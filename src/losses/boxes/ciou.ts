import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import {
  aspectTerm,
  BOX_INPUT,
  BOX_TARGET,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  pairKernel,
  prepareBoxPair,
} from './common.js';
import { diouPair } from './diou.js';
import { ciouFast } from '../../wasm/boxes.js';

interface CiouOptions {
  eps: number;
  geo: BoxGeo;
  iou: Float64Array;
  vg: Float64Array;
}
type CiouPlan = BoxPairPlan<CiouOptions>;

/**
 * torchvision 0.14 `_diou_iou_loss` is called without `eps`, so the DIoU part always uses its
 * default 1e-7; only α sees the option.
 */
const TORCHVISION_DIOU_EPS = 1e-7;

/**
 * torchvision 0.14 `complete_box_iou_loss`: DIoU loss + α·v, v = 4/π²(atan(w_g/h_g) − atan(w/h))²,
 * α = v/(1 − IoU + v + eps) held constant in the gradient (computed under no_grad).
 */
function ciouAt(q: Float64Array, g: Float64Array, o: CiouOptions): number {
  const d = diouPair(q, g, o.geo, TORCHVISION_DIOU_EPS, o.iou);
  const geo = o.geo;
  const iou = o.iou[0];
  // v first with coef 1 to get α, then the gradient of α·v with α fixed.
  const v = aspectTerm(geo.pw, geo.ph, geo.tw, geo.th, 1, o.vg);
  const alpha = v / (1 - iou + v + o.eps);
  const gw = alpha * o.vg[0];
  const gh = alpha * o.vg[1];
  // pw = x2 − x1, ph = y2 − y1
  g[0] -= gw;
  g[1] -= gh;
  g[2] += gw;
  g[3] += gh;
  return d + alpha * v;
}

/** Complete-IoU loss (Zheng et al.), torchvision 0.14's semantics. */
export const ciou = defineLoss({
  meta: {
    id: 'ciou',
    task: 'boxes',
    title: 'Complete-IoU loss',
    summary:
      'DIoU loss plus an aspect-ratio consistency term α·v, with the trade-off α held constant in the gradient.',
    formula:
      '\\ell = 1 - \\mathrm{IoU} + \\frac{\\rho^2}{C_w^2 + C_h^2 + \\epsilon} + \\alpha v,\\quad v = \\tfrac{4}{\\pi^2}\\Big(\\arctan\\tfrac{w^{gt}}{h^{gt}} - \\arctan\\tfrac{w}{h}\\Big)^2,\\quad \\alpha = \\frac{v}{1 - \\mathrm{IoU} + v + \\epsilon}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: { format: FORMAT_OPTION, eps: EPS_OPTION },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Zheng et al. (2020), Distance-IoU Loss: Faster and Better Learning for Bounding Box Regression (AAAI)',
        url: 'https://arxiv.org/abs/1911.08287',
      },
      {
        title: 'torchvision.ops.complete_box_iou_loss (0.14)',
        url: 'https://pytorch.org/vision/0.14/generated/torchvision.ops.complete_box_iou_loss.html',
        implementation: 'torchvision.ops.complete_box_iou_loss (0.14)',
      },
    ],
    examples: [
      {
        title: 'An overlapping pair and a disjoint pair of nearly equal shapes (xyxy)',
        inputs: {
          input: [
            [1, 1, 3.05, 3],
            [0, 0, 1, 1.02],
          ],
          target: [
            [0, 0, 2, 2],
            [1.5, 2, 3, 3.5],
          ],
        },
      },
      {
        title: 'Centre + size boxes',
        inputs: { input: [[2.1, 1.9, 2.05, 2]], target: [[2, 2, 2, 2]] },
        options: { format: 'cxcywh' },
      },
    ],
    whenToUse:
      'The default IoU-family loss of many YOLO detectors: DIoU (overlap + centre distance) plus aspect-ratio consistency, so the prediction matches the target\u2019s shape too. Converges fastest in the DIoU paper\u2019s simulation; pick it over diou when box shapes vary a lot.',
    caveats: [
      'α is a constant in the gradient (torchvision computes it under no_grad); the gradient is not the derivative of the printed formula with α a function of the boxes.',
      'A box of zero height gives NaN (w/h has no eps in torchvision), and torchvision 0.14 applies the eps option only to α: the DIoU part always uses 1e-7.',
      'The v term is small and saturates for extreme aspect ratios; it also pushes w and h in opposite directions, so it cannot grow or shrink both at once.',
    ],
    notes: [
      'The examples use nearly equal aspect ratios: with α held constant, finite differences of the value match the gradient only where v is tiny.',
      'For square boxes v = 0 and CIoU equals DIoU.',
      'Other codes differ in α: ultralytics/YOLOv6 v/(v − IoU + 1 + eps), mmdet v3 (IoU > 0.5)·v/(1 − IoU + v); this entry is torchvision 0.14.',
    ],
  },
  prepare: (inputs, options, id): CiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      geo: new BoxGeo(),
      iou: new Float64Array(1),
      vg: new Float64Array(2),
    }),
  kernel(plan: CiouPlan, out, grads, seed, scale) {
    const g = grads === null ? null : grads.input;
    const { x, t, format, size } = plan;
    const fast = ciouFast(x, t, size, format, plan.o.eps, out, g, seed, scale);
    if (fast !== undefined) return fast;
    return pairKernel(plan, out, g, seed, scale, ciouAt);
  },
});
