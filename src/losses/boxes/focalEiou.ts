import { defineLoss } from '../../core/define.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BoxPairPlan } from './common.js';
import { TWO_OVERLAPPING } from './examples.js';
import {
  BOX_INPUT,
  BOX_TARGET,
  BoxGeo,
  EPS_OPTION,
  FORMAT_OPTION,
  pairKernel,
  prepareBoxPair,
} from './common.js';
import type { EiouOptions } from './eiou.js';
import { eiouAt } from './eiou.js';

type FocalEiouPlan = BoxPairPlan<EiouOptions>;

/** Focal-EIoU (Zhang et al.): IoU^γ · L_EIoU with IoU^γ a constant weight in the gradient. */
export const focalEiou = defineLoss({
  meta: {
    id: 'focalEiou',
    task: 'boxes',
    title: 'Focal-EIoU loss',
    summary:
      'The EIoU loss re-weighted by IoU^γ, so well-overlapping (high-quality) boxes dominate the regression gradient.',
    formula:
      '\\ell = \\mathrm{IoU}^{\\gamma}\\,\\ell_{\\mathrm{EIoU}},\\quad \\mathrm{IoU} = \\frac{I}{U + \\epsilon},\\ \\mathrm{IoU}^{\\gamma}\\ \\text{constant in the gradient}',
    inputs: [BOX_INPUT, BOX_TARGET],
    options: {
      format: FORMAT_OPTION,
      eps: EPS_OPTION,
      gamma: {
        type: 'number',
        default: 0.5,
        min: 0,
        doc: 'Exponent γ of the IoU weight (the paper uses 0.5; 0 gives plain EIoU).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Zhang et al. (2022), Focal and Efficient IOU Loss for Accurate Bounding Box Regression (Neurocomputing; arXiv 2101.08158)',
        url: 'https://arxiv.org/abs/2101.08158',
        implementation: 'IoU^γ · L_EIoU with the weight detached, as the YOLO-style ports',
      },
    ],
    examples: [
      {
        title:
          'gamma = 0 (plain EIoU; with γ > 0 the detached weight makes finite differences of the value disagree with the gradient by design)',
        inputs: TWO_OVERLAPPING,
        options: { gamma: 0 },
      },
      {
        title: 'A disjoint pair: IoU = 0 gives weight 0 and no gradient',
        inputs: { input: [[0, 0, 1, 1.3]], target: [[1.5, 2, 3, 3.5]] },
      },
    ],
    whenToUse:
      'Box regression with many low-quality anchors or proposals (dense detectors): the IoU^γ weight suppresses the large gradients of poorly overlapping boxes, which otherwise dominate the loss, and focuses the regression on the high-IoU examples that matter for precise localisation (the paper\u2019s class-imbalance argument for regression).',
    caveats: [
      'IoU^γ is a constant in the gradient (detached, as the ports do): the gradient is IoU^γ·∇L_EIoU, not the derivative of the product.',
      'Disjoint boxes get weight 0 and no gradient at all, like the plain IoU loss: do not use it alone from a random initialisation.',
    ],
    notes: [
      'The paper also describes a "Focal L1" form; this entry is the IoU^γ re-weighting that is implemented in practice.',
    ],
  },
  prepare: (inputs, options, id): FocalEiouPlan =>
    prepareBoxPair(id, inputs.input, inputs.target, options.format, {
      eps: options.eps,
      geo: new BoxGeo(),
      gamma: options.gamma,
    }),
  kernel: (plan: FocalEiouPlan, out, grads, seed, scale) =>
    pairKernel(plan, out, grads === null ? null : grads.input, seed, scale, eiouAt),
});
