import { defineLoss } from '../../core/define.js';
import { LOG_2PI, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';

/** torch `poisson_nll_loss`'s default eps (added to the rate inside the log when logInput is false). */
const TORCH_POISSON_EPS = 1e-8;

type PoissonPlan = PairPlan<{ logInput: boolean; full: boolean; eps: number }>;

/** Stirling's approximation of log(y!), added by `full` where y > 1 (torch masks y <= 1 to 0). */
function stirling(y: number): number {
  return y > 1 ? y * Math.log(y) - y + 0.5 * (LOG_2PI + Math.log(y)) : 0;
}

/** Poisson negative log-likelihood, torch `poisson_nll_loss`. */
export const poissonNll = defineLoss({
  meta: {
    id: 'poissonNll',
    task: 'regression',
    title: 'Poisson negative log-likelihood',
    summary:
      'Negative log-likelihood of counts under a Poisson rate given as a log-rate (default) or a rate.',
    formula:
      '\\ell_i = \\begin{cases} e^{x_i} - y_i x_i & \\text{logInput} \\\\ x_i - y_i \\log(x_i + \\epsilon) & \\text{otherwise} \\end{cases} \\;+\\; [\\text{full}, y_i > 1]\\,\\bigl(y_i \\log y_i - y_i + \\tfrac12 \\log(2\\pi y_i)\\bigr)',
    inputs: [
      {
        name: 'input',
        role: 'values',
        shape: '(*)',
        differentiable: true,
        kind: 'float',
        doc: 'Predicted log-rates (logInput: true) or rates (logInput: false), any shape.',
      },
      {
        name: 'target',
        role: 'targets',
        shape: '(*) same as input',
        differentiable: false,
        kind: 'float',
        doc: 'Observed counts, same shape as input.',
      },
    ],
    options: {
      logInput: {
        type: 'boolean',
        default: true,
        doc: 'Whether input holds log-rates (true) or rates (false).',
      },
      full: {
        type: 'boolean',
        default: false,
        doc: "Add Stirling's approximation of log(target!) where target > 1.",
      },
      eps: {
        type: 'number',
        default: TORCH_POISSON_EPS,
        min: 0,
        doc: 'Added to the rate inside the log when logInput is false.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch PoissonNLLLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.PoissonNLLLoss.html',
        implementation: 'torch.nn.functional.poisson_nll_loss',
      },
    ],
    examples: [
      {
        title: 'Log-rates against observed counts',
        inputs: { input: [0.5, -1.0, 1.5], target: [2, 0, 3] },
      },
      {
        title: 'Rates, with the Stirling term',
        inputs: { input: [1.5, 0.25, 4.0], target: [2, 0, 3] },
        options: { logInput: false, full: true },
      },
    ],
    notes: [
      'The Stirling term is added only where target > 1 (torch masks the others to 0); it does not depend on input.',
      'Only input is differentiable; NaN from a negative rate (logInput: false) propagates, as torch.',
    ],
  },
  prepare: (inputs, options, id): PoissonPlan =>
    preparePair(id, inputs.input, inputs.target, {
      logInput: options.logInput,
      full: options.full,
      eps: options.eps,
    }),
  forward(plan: PoissonPlan, out) {
    const { x, y } = plan;
    const { logInput, full, eps } = plan.options;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const yi = y[i];
      let l = logInput ? Math.exp(xi) - yi * xi : xi - yi * Math.log(xi + eps);
      if (full) l += stirling(yi);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: PoissonPlan, seed, scale, grads) {
    const { x, y } = plan;
    const { logInput, eps } = plan.options;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const xi = x[i];
      const yi = y[i];
      g[i] = (logInput ? Math.exp(xi) - yi : 1 - yi / (xi + eps)) * c;
    }
  },
  fused(plan: PoissonPlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const { logInput, full, eps } = plan.options;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const yi = y[i];
      let l: number;
      let d: number;
      if (logInput) {
        const ex = Math.exp(xi); // once, for the value and the gradient
        l = ex - yi * xi;
        d = ex - yi;
      } else {
        const r = xi + eps;
        l = xi - yi * Math.log(r);
        d = 1 - yi / r;
      }
      if (full) l += stirling(yi);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = d * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
