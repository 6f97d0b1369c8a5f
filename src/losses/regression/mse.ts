import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type MsePlan = PairPlan<unknown>;

/** Mean squared error, torch `mse_loss`. */
export const mse = defineLoss({
  meta: {
    id: 'mse',
    task: 'regression',
    title: 'Mean squared error',
    summary: 'Squared difference between prediction and target, averaged over all elements.',
    formula: '\\ell_i = (x_i - y_i)^2',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MSELoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html',
        implementation: 'torch.nn.functional.mse_loss',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 2.0] },
      },
    ],
  },
  prepare: (inputs, options, id): MsePlan => preparePair(id, inputs.input, inputs.target, options),
  forward(plan: MsePlan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const l = d * d;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: MsePlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = 2 * (x[i] - y[i]) * c;
    }
  },
  fused(plan: MsePlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const l = d * d;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = 2 * d * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
