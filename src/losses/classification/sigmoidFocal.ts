import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';
import {
  BINARY_TARGET,
  FOCAL_ALPHA_OPTION,
  FOCAL_GAMMA_OPTION,
  focalElement,
  focalElementFused,
  focalElementGrad,
  LOGITS_INPUT,
} from './sigmoid-common.js';

type FocalPlan = PairPlan<{ alpha: number; gamma: number }>;

/** Sigmoid focal loss, torchvision `sigmoid_focal_loss` (RetinaNet). */
export const sigmoidFocal = defineLoss({
  meta: {
    id: 'sigmoidFocal',
    task: 'classification',
    title: 'Sigmoid focal loss',
    summary:
      'Binary cross-entropy on logits scaled by (1 − p_t)^γ to down-weight easy examples, α-balanced (RetinaNet).',
    formula:
      '\\ell_i = \\alpha_t (1 - p_t)^{\\gamma}\\, \\mathrm{BCE}(x_i, y_i),\\quad p_t = p y + (1-p)(1-y),\\ \\alpha_t = \\alpha y + (1-\\alpha)(1-y)',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      alpha: FOCAL_ALPHA_OPTION,
      gamma: FOCAL_GAMMA_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Lin et al., Focal Loss for Dense Object Detection (ICCV 2017)',
        url: 'https://arxiv.org/abs/1708.02002',
        implementation: 'torchvision.ops.sigmoid_focal_loss',
      },
    ],
    examples: [
      {
        title: 'An easy positive, a hard negative and an uncertain positive',
        inputs: { input: [2.0, 2.0, 0.1], target: [1, 0, 1] },
      },
      {
        title: 'Soft targets without α balancing',
        inputs: {
          input: [
            [0.5, -1.5],
            [3.0, -0.2],
          ],
          target: [
            [0.8, 0.1],
            [1, 0.4],
          ],
        },
        options: { alpha: -1, gamma: 1.5 },
      },
    ],
    notes: [
      "The default reduction is 'mean' (torchvision's is 'none').",
      'gamma = 0 with alpha < 0 equals bceWithLogits in value and gradient.',
      '1 − p_t is computed as p(1 − y) + σ(−x)·y, so it does not round to 0 for large logits as torchvision’s 1 − p_t does; where torchvision’s gradient is NaN (0 < gamma < 1 with p_t rounded to 1) it is finite here.',
    ],
  },
  prepare: (inputs, options, id): FocalPlan =>
    preparePair(id, inputs.input, inputs.target, { alpha: options.alpha, gamma: options.gamma }),
  forward(plan: FocalPlan, out) {
    const { x, y } = plan;
    const { alpha, gamma } = plan.options;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = focalElement(x[i], y[i], alpha, gamma, 0);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: FocalPlan, seed, scale, grads) {
    const { x, y } = plan;
    const { alpha, gamma } = plan.options;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = c * focalElementGrad(x[i], y[i], alpha, gamma, 0);
    }
  },
  fused(plan: FocalPlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const { alpha, gamma } = plan.options;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const l = focalElementFused(x[i], y[i], alpha, gamma, 0, c, g, i);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
});
