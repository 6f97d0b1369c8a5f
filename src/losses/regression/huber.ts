import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type HuberPlan = PairPlan<{ delta: number }>;

/** Huber loss, torch `huber_loss`: quadratic below delta, linear with slope delta beyond. */
export const huber = defineLoss({
  meta: {
    id: 'huber',
    task: 'regression',
    title: 'Huber loss',
    summary: 'Squared error for small residuals and delta-scaled absolute error for large ones.',
    formula:
      '\\ell_i = \\begin{cases} \\tfrac12 d_i^2 & |d_i| < \\delta \\\\ \\delta\\,(|d_i| - \\tfrac12\\delta) & \\text{otherwise} \\end{cases},\\quad d_i = x_i - y_i',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {
      delta: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'Residual magnitude where the loss turns from quadratic to linear.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Huber (1964), Robust Estimation of a Location Parameter',
        url: 'https://doi.org/10.1214/aoms/1177703732',
      },
      {
        title: 'PyTorch HuberLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html',
        implementation: 'torch.nn.functional.huber_loss',
      },
    ],
    examples: [
      {
        title: 'Residuals on both sides of delta = 1',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, -1.0] },
      },
      {
        title: 'A smaller delta',
        inputs: { input: [0.3, -2.0], target: [0.0, 0.0] },
        options: { delta: 0.5 },
      },
    ],
    notes: [
      'huber(delta) = delta · smoothL1(beta = delta).',
      'Value and gradient are continuous at |d| = delta (gradient ±delta there, as torch).',
    ],
  },
  prepare: (inputs, options, id): HuberPlan =>
    preparePair(id, inputs.input, inputs.target, { delta: options.delta }),
  forward(plan: HuberPlan, out) {
    const { x, y } = plan;
    const delta = plan.options.delta;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const z = Math.abs(x[i] - y[i]);
      // torch's kernel: z < delta ? 0.5·z·z : delta·(z − 0.5·delta)
      const l = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: HuberPlan, seed, scale, grads) {
    const { x, y } = plan;
    const delta = plan.options.delta;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const d = x[i] - y[i];
      g[i] = (d <= -delta ? -delta : d >= delta ? delta : d) * c;
    }
  },
  fused(plan: HuberPlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const delta = plan.options.delta;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const z = Math.abs(d);
      const l = z < delta ? 0.5 * z * z : delta * (z - 0.5 * delta);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] =
        (d <= -delta ? -delta : d >= delta ? delta : d) * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
