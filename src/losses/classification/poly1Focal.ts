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

type Poly1FocalPlan = PairPlan<{ alpha: number; gamma: number; epsilon: number }>;

/** Poly-1 focal loss (PolyLoss): sigmoid focal + ε(1 − p_t)^(γ+1). */
export const poly1Focal = defineLoss({
  meta: {
    id: 'poly1Focal',
    task: 'classification',
    title: 'Poly-1 focal loss',
    summary:
      'Sigmoid focal loss plus the first polynomial term ε(1 − p_t)^(γ+1) of the PolyLoss expansion.',
    formula:
      '\\ell_i = \\alpha_t (1 - p_t)^{\\gamma}\\, \\mathrm{BCE}(x_i, y_i) + \\varepsilon (1 - p_t)^{\\gamma + 1}',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      epsilon: {
        type: 'number',
        default: 1,
        doc: 'Coefficient ε of the poly-1 term (the paper suggests starting from 1; −1 is used for detection).',
      },
      alpha: FOCAL_ALPHA_OPTION,
      gamma: FOCAL_GAMMA_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Leng et al., PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions (ICLR 2022), poly1_focal_loss listing',
        url: 'https://arxiv.org/abs/2204.12511',
        implementation: 'torchvision.ops.sigmoid_focal_loss + ε·(1 − p_t)^(γ+1)',
      },
    ],
    examples: [
      {
        title: 'Four logits against binary targets',
        inputs: { input: [1.5, -0.5, 0.2, -2.5], target: [1, 0, 0, 1] },
      },
      {
        title: 'A negative ε on soft targets',
        inputs: { input: [0.4, -1.2, 2.2], target: [0.9, 0.2, 0.6] },
        options: { epsilon: -1, gamma: 1 },
      },
    ],
    notes: [
      'The poly term is not α-weighted (the paper listing adds it to the α-weighted focal loss).',
      'epsilon = 0 equals sigmoidFocal.',
    ],
  },
  prepare: (inputs, options, id): Poly1FocalPlan =>
    preparePair(id, inputs.input, inputs.target, {
      alpha: options.alpha,
      gamma: options.gamma,
      epsilon: options.epsilon,
    }),
  forward(plan: Poly1FocalPlan, out) {
    const { x, y } = plan;
    const { alpha, gamma, epsilon } = plan.options;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = focalElement(x[i], y[i], alpha, gamma, epsilon);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: Poly1FocalPlan, seed, scale, grads) {
    const { x, y } = plan;
    const { alpha, gamma, epsilon } = plan.options;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = c * focalElementGrad(x[i], y[i], alpha, gamma, epsilon);
    }
  },
  fused(plan: Poly1FocalPlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const { alpha, gamma, epsilon } = plan.options;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const l = focalElementFused(x[i], y[i], alpha, gamma, epsilon, c, g, i);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
});
