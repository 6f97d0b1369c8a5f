import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type L1Plan = PairPlan<unknown>;

/** Mean absolute error, torch `l1_loss`. The gradient at a zero residual is 0 (torch's sign). */
export const l1 = defineLoss({
  meta: {
    id: 'l1',
    aliases: ['mae'],
    task: 'regression',
    title: 'L1 loss (mean absolute error)',
    summary: 'Absolute difference between prediction and target, averaged over all elements.',
    formula: '\\ell_i = |x_i - y_i|',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch L1Loss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.L1Loss.html',
        implementation: 'torch.nn.functional.l1_loss',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 1.0] },
      },
    ],
    notes: [
      'The gradient at a zero residual is 0, as torch (sign(0) = 0); a NaN residual also gets gradient 0, as torch.',
    ],
  },
  prepare: (inputs, options, id): L1Plan => preparePair(id, inputs.input, inputs.target, options),
  forward(plan: L1Plan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = Math.abs(x[i] - y[i]);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: L1Plan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const d = x[i] - y[i];
      g[i] = d > 0 ? c : d < 0 ? -c : 0;
    }
  },
  fused(plan: L1Plan, out, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const l = Math.abs(d);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = d > 0 ? c : d < 0 ? -c : 0;
    }
    return neumaierResult(sum, comp);
  },
});
