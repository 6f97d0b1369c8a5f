import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import { CENTRE_SIZE_PAIR } from './examples.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  boxPairKernel,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  prepareBoxPair,
} from './common.js';

export interface EiouOptions {
  eps: number;
  geo: BoxGeo;
  /** Focal-EIoU's exponent γ of the constant weight IoU^γ; null for plain EIoU. */
  gamma: number | null;
}
type EiouPlan = BoxPairPlan<EiouOptions>;

/**
 * Efficient-IoU (Zhang et al.), with the catalog's eps placement for formula-defined rows:
 * 1 − I/(U + eps) + ρ²/(C_w² + C_h² + eps) + (w − w_g)²/(C_w² + eps) + (h − h_g)²/(C_h² + eps),
 * I = clamp(iw, 0)·clamp(ih, 0) as the YOLO-style codes. With `gamma`, the loss is multiplied by
 * IoU^γ, a constant in the gradient (Focal-EIoU).
 */
export function eiouAt(q: Float64Array, g: Float64Array, o: EiouOptions): number {
  const geo = o.geo;
  geo.set(q, 'clamp', false);
  const eps = o.eps;
  const ue = geo.union + eps;
  const iou = geo.inter / ue;
  const { cw, ch, dx, dy } = geo;
  const cw2 = cw * cw + eps;
  const ch2 = ch * ch + eps;
  const c2 = cw * cw + ch * ch + eps;
  const rho2 = dx * dx + dy * dy;
  const ddw = geo.pw - geo.tw;
  const ddh = geo.ph - geo.th;
  const loss = 1 - iou + rho2 / c2 + (ddw * ddw) / cw2 + (ddh * ddh) / ch2;
  const w = o.gamma === null ? 1 : Math.pow(iou, o.gamma);
  const gc2 = (-w * rho2) / (c2 * c2);
  const gcw = 2 * cw * (gc2 - (w * ddw * ddw) / (cw2 * cw2));
  const gch = 2 * ch * (gc2 - (w * ddh * ddh) / (ch2 * ch2));
  geo.back(
    -w / ue,
    (w * iou) / ue,
    gcw,
    gch,
    (2 * w * dx) / c2,
    (2 * w * dy) / c2,
    (2 * w * ddw) / cw2,
    (2 * w * ddh) / ch2,
    g,
  );
  return w * loss;
}

/** Efficient-IoU loss (Zhang et al. 2022). */
export const eiou = defineLoss({
  meta: {
    id: 'eiou',
    task: 'boxes',
    title: 'Efficient-IoU loss',
    summary:
      'IoU loss plus normalised penalties on the centre distance and on the width and height differences.',
    formula:
      '\\ell = 1 - \\frac{I}{U+\\epsilon} + \\frac{\\rho^2}{C_w^2 + C_h^2 + \\epsilon} + \\frac{(w - w^{gt})^2}{C_w^2 + \\epsilon} + \\frac{(h - h^{gt})^2}{C_h^2 + \\epsilon}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: { format: FORMAT_OPTION, eps: EPS_OPTION },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Zhang et al. (2022), Focal and Efficient IOU Loss for Accurate Bounding Box Regression (Neurocomputing; arXiv 2101.08158)',
        url: 'https://arxiv.org/abs/2101.08158',
        implementation: 'the paper’s formula (YOLO-style ports: bbox_iou(..., EIoU=True))',
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
        title: 'Centre + size boxes',
        inputs: CENTRE_SIZE_PAIR,
        options: { format: 'cxcywh' },
      },
    ],
    whenToUse:
      'Box regression where CIoU\u2019s aspect-ratio term is too weak or ambiguous: EIoU penalises the width and height differences directly (each normalised by the enclosing box), so width and height converge independently and faster; the centre term keeps DIoU\u2019s pull for disjoint and enclosing boxes.',
    caveats: [
      'Not mmdet\u2019s EIoULoss, which is an "Extended IoU" (a smooth-L1 on 1 − IoU); nor the Wise-IoU repository\u2019s _EIoU, which penalises centre offsets per axis.',
      'The width and height penalties are normalised by the enclosing box, so for very large boxes relative to their offsets they become small.',
    ],
    notes: [
      'eps as the catalog places it for formula-defined rows: IoU = I/(U + eps) and + eps on every squared enclosing quantity (c², C_w², C_h²).',
      'The intersection is clamp(iw, 0)·clamp(ih, 0) with torch\u2019s clamp gradient, as the YOLO-style codes that carry EIoU.',
    ],
  },
  prepare: (inputs, options, id): EiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      geo: new BoxGeo(),
      gamma: null,
    }),
  kernel: boxPairKernel(eiouAt),
});
