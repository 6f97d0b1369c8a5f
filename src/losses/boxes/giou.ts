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

type GiouPlan = BoxPairPlan<{ eps: number; geo: BoxGeo }>;

/**
 * torchvision `generalized_box_iou_loss`: IoU = I/(U + eps) with I = 0 unless the boxes overlap,
 * L = 1 − IoU + (C − U)/(C + eps), C the enclosing box's area.
 */
function giouAt(q: Float64Array, g: Float64Array, o: { eps: number; geo: BoxGeo }): number {
  const geo = o.geo;
  geo.set(q, 'mask', false);
  const eps = o.eps;
  const ue = geo.union + eps;
  const c = geo.cw * geo.ch;
  const ce = c + eps;
  const loss = 1 - geo.inter / ue + (c - geo.union) / ce;
  const gC = ue / (ce * ce);
  geo.back(-1 / ue, geo.inter / (ue * ue) - 1 / ce, gC * geo.ch, gC * geo.cw, 0, 0, 0, 0, g);
  return loss;
}

/** Generalized IoU loss (Rezatofighi et al. 2019), torchvision's semantics. */
export const giou = defineLoss({
  meta: {
    id: 'giou',
    task: 'boxes',
    title: 'Generalized IoU loss',
    summary:
      'One minus IoU plus the share of the enclosing box not covered by the union: a gradient even for disjoint boxes.',
    formula:
      '\\ell = 1 - \\frac{I}{U+\\epsilon} + \\frac{C - U}{C + \\epsilon},\\quad C = \\text{area of the smallest enclosing box}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: { format: FORMAT_OPTION, eps: EPS_OPTION },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Rezatofighi et al. (2019), Generalized Intersection over Union: A Metric and A Loss for Bounding Box Regression (CVPR)',
        url: 'https://arxiv.org/abs/1902.09630',
      },
      {
        title: 'torchvision.ops.generalized_box_iou_loss (0.14)',
        url: 'https://pytorch.org/vision/0.14/generated/torchvision.ops.generalized_box_iou_loss.html',
        implementation: 'torchvision.ops.generalized_box_iou_loss',
      },
    ],
    examples: [
      {
        title: 'An overlapping pair and a disjoint pair (xyxy)',
        inputs: OVERLAPPING_AND_DISJOINT,
      },
      {
        title: 'Centre + size boxes',
        inputs: {
          input: [[2.1, 1.9, 2.2, 1.3]],
          target: [[2, 2, 2, 2]],
        },
        options: { format: 'cxcywh', reduction: 'sum' },
      },
    ],
    whenToUse:
      'Box regression when predictions may not overlap their targets at all (early training, anchor-free heads): plain IoU loss is flat there, GIoU still pulls the box towards the target through the empty part of the enclosing box. Scale invariant, bounded in [0, 2). DETR-style set prediction uses it beside an l1 term.',
    caveats: [
      'Once the prediction encloses the target (or the reverse), the penalty is 0 and GIoU degrades to the IoU loss: convergence is slow for horizontal and vertical offsets (the DIoU paper), where diou or ciou converge faster.',
      'torchvision semantics: the intersection is 0 unless both overlaps are strictly positive (touching boxes get no intersection gradient), and eps sits in both denominators.',
    ],
    notes: [
      'GIoU = IoU exactly when the union fills the enclosing box, e.g. when one box contains the other.',
      'Gradients are with respect to the predicted coordinates in the chosen format; ties of max/min (equal edges) give half the slope to each box, as torch.',
    ],
  },
  prepare: (inputs, options, id): GiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      geo: new BoxGeo(),
    }),
  kernel: boxPairKernel(giouAt),
});
