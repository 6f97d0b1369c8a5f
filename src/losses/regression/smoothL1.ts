import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type SmoothL1Plan = PairPlan<{ beta: number }>;

/** Smooth L1 loss, torch `smooth_l1_loss`: quadratic below beta (scaled by 1/beta), L1 beyond. */
export const smoothL1 = defineLoss({
  meta: {
    id: 'smoothL1',
    task: 'regression',
    title: 'Smooth L1 loss',
    summary: 'L1 loss with a quadratic zone of width beta around zero; beta = 0 is exactly L1.',
    formula:
      '\\ell_i = \\begin{cases} \\tfrac{1}{2\\beta} d_i^2 & |d_i| < \\beta \\\\ |d_i| - \\tfrac12\\beta & \\text{otherwise} \\end{cases},\\quad d_i = x_i - y_i',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {
      beta: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Residual magnitude where the loss turns from quadratic to linear (0 gives L1).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      { title: 'Girshick (2015), Fast R-CNN', url: 'https://arxiv.org/abs/1504.08083' },
      {
        title: 'PyTorch SmoothL1Loss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html',
        implementation: 'torch.nn.functional.smooth_l1_loss',
      },
    ],
    examples: [
      {
        title: 'Residuals on both sides of beta = 1',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, -1.0] },
      },
      {
        title: 'A smaller beta',
        inputs: { input: [0.3, -2.0], target: [0.0, 0.0] },
        options: { beta: 0.5 },
      },
    ],
    notes: [
      'huber(delta) = delta · smoothL1(beta = delta).',
      "beta = 0 gives the L1 value; its gradient at a zero residual is −1, not 0: torch's kernel takes its `d <= −beta` branch there, and losskit follows torch.",
    ],
  },
  prepare: (inputs, options, id): SmoothL1Plan =>
    preparePair(id, inputs.input, inputs.target, { beta: options.beta }),
  forward(plan: SmoothL1Plan, out) {
    const { x, y } = plan;
    const beta = plan.options.beta;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const z = Math.abs(x[i] - y[i]);
      // torch's kernel: z < beta ? 0.5·z·z / beta : z − 0.5·beta (beta = 0 never takes the first branch)
      const l = z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: SmoothL1Plan, seed, scale, grads) {
    const { x, y } = plan;
    const beta = plan.options.beta;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const d = x[i] - y[i];
      // torch's backward kernel, branch for branch (so beta = 0, d = 0 gives −1).
      g[i] = d <= -beta ? -c : d >= beta ? c : (d / beta) * c;
    }
  },
  fused(plan: SmoothL1Plan, out, seed, scale, grads) {
    const { x, y } = plan;
    const beta = plan.options.beta;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const z = Math.abs(d);
      const l = z < beta ? (0.5 * z * z) / beta : z - 0.5 * beta;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = d <= -beta ? -c : d >= beta ? c : (d / beta) * c;
    }
    return neumaierResult(sum, comp);
  },
});
