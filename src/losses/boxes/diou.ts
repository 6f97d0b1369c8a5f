import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import { OVERLAPPING_AND_DISJOINT } from './examples.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  boxPairKernel,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  prepareBoxPair,
} from './common.js';

type DiouPlan = BoxPairPlan<{ eps: number; geo: BoxGeo }>;

/**
 * torchvision `_diou_iou_loss` on one pair: 1 − I/(U + eps) + ρ²/(C_w² + C_h² + eps). Fills `geo`
 * and returns the loss; the IoU is left in `iouOut[0]` (CIoU needs it) and the corner gradient of
 * `coef`·loss in g.
 */
export function diouPair(
  q: Float64Array,
  g: Float64Array,
  geo: BoxGeo,
  eps: number,
  iouOut: Float64Array | null,
): number {
  geo.set(q, 'mask', false);
  const ue = geo.union + eps;
  const iou = geo.inter / ue;
  if (iouOut !== null) iouOut[0] = iou;
  const { cw, ch, dx, dy } = geo;
  const c2 = cw ** 2 + ch ** 2 + eps;
  const rho2 = dx ** 2 + dy ** 2;
  const gc2 = -rho2 / (c2 * c2);
  geo.back(-1 / ue, iou / ue, 2 * cw * gc2, 2 * ch * gc2, (2 * dx) / c2, (2 * dy) / c2, 0, 0, g);
  return 1 - iou + rho2 / c2;
}

function diouAt(q: Float64Array, g: Float64Array, o: { eps: number; geo: BoxGeo }): number {
  return diouPair(q, g, o.geo, o.eps, null);
}

/** Distance-IoU loss (Zheng et al. 2020), torchvision's semantics. */
export const diou = defineLoss({
  meta: {
    id: 'diou',
    task: 'boxes',
    title: 'Distance-IoU loss',
    summary:
      'One minus IoU plus the squared centre distance over the squared diagonal of the enclosing box.',
    formula:
      '\\ell = 1 - \\frac{I}{U+\\epsilon} + \\frac{\\rho^2(b, b^{gt})}{C_w^2 + C_h^2 + \\epsilon}',
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
        title: 'torchvision.ops.distance_box_iou_loss (0.14)',
        url: 'https://pytorch.org/vision/0.14/generated/torchvision.ops.distance_box_iou_loss.html',
        implementation: 'torchvision.ops.distance_box_iou_loss',
      },
    ],
    examples: [
      {
        title: 'An overlapping pair and a disjoint pair (xyxy)',
        inputs: OVERLAPPING_AND_DISJOINT,
      },
      {
        title: 'Corner + size boxes',
        inputs: { input: [[0.2, 0.1, 2.3, 1.7]], target: [[0, 0, 2, 2]] },
        options: { format: 'xywh' },
      },
    ],
    whenToUse:
      'Box regression that should converge fast: the centre-distance penalty pulls the prediction straight towards the target even when one box encloses the other, where GIoU degrades to IoU. Also the criterion of DIoU-NMS. Prefer ciou when the aspect ratio matters too.',
    caveats: [
      'The penalty ignores the aspect ratio: boxes with the same centre and IoU but different shapes score the same (ciou adds that term).',
      'torchvision semantics: no intersection (and no intersection gradient) unless both overlaps are strictly positive; eps in the IoU and in the squared diagonal.',
    ],
    notes: [
      'The distance term is 0 when the centres coincide; then DIoU equals the IoU loss.',
      'Gradients are with respect to the predicted coordinates in the chosen format; ties of max/min give half the slope to each box, as torch.',
    ],
  },
  prepare: (inputs, options, id): DiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      geo: new BoxGeo(),
    }),
  kernel: boxPairKernel(diouAt),
});
