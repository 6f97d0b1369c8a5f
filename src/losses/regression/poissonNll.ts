import { defineLoss } from '../../core/define.js';
import { CompensatedSum, LOG_2PI, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

/** torch `poisson_nll_loss`'s default eps (added to the rate inside the log when logInput is false). */
const TORCH_POISSON_EPS = 1e-8;

type PoissonPlan = PairPlan<{ logInput: boolean; full: boolean; eps: number }>;

/**
 * Stirling's approximation of log(y!), added by `full` where y > 1 (torch masks y <= 1 to 0): a
 * select of the computed term, as torch's masked_fill (the term is NaN at y = 0 and is dropped).
 */
function stirling(y: number): number {
  const logY = Math.log(y);
  const term = y * logY - y + 0.5 * (LOG_2PI + logY);
  return y > 1 ? term : 0;
}

/**
 * One element's loss and its derivative in the input. logInput: e^x − y·x and e^x − y (one exp for
 * both); rates: x − y·log(x + ε) and 1 − y/(x + ε). The tests of logInput and full are on options,
 * the same for every element.
 */
function poissonNllAt(x: number, y: number, logInput: boolean, full: boolean, eps: number): Elem {
  let l: number;
  let g: number;
  if (logInput) {
    const ex = Math.exp(x);
    l = ex - y * x;
    g = ex - y;
  } else {
    const r = x + eps;
    l = x - y * Math.log(r);
    g = 1 - y / r;
  }
  return { l: full ? l + stirling(y) : l, g };
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
    whenToUse:
      'Count targets (events per interval, clicks, photon or cell counts): the negative log-likelihood of a Poisson rate, so the model learns a rate whose mean and variance grow together. Predict the log-rate (the default) so that any real output is a valid rate; pick it over mse or msle on counts when small counts are common and their noise is Poisson-like.',
    caveats: [
      'With logInput (the default) the loss contains e^x: a large log-rate overflows to Infinity (beyond about 709) and the gradient e^x − y grows without bound, so initialise the output near log(mean count).',
      'With logInput: false the input must stay positive: a negative rate gives NaN and eps (1e-8) only guards x = 0. Put a softplus or exp on the output.',
      "The Poisson model forces variance = mean; over-dispersed counts (variance much larger than the mean) are fitted with overconfident rates. full only adds Stirling's log(y!) approximation, a constant that does not change the gradient.",
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
  writesEveryGrad: true,
  kernel(plan: PoissonPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const { logInput, full, eps } = plan.options;
    const g = grads === null ? null : grads.input;
    const fast = full
      ? undefined
      : logInput
        ? pairFast('poissonNllLog', x, y, out, g, seed, scale)
        : pairFast('poissonNll', x, y, out, g, seed, scale, eps);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = poissonNllAt(x[i], y[i], logInput, full, eps);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = poissonNllAt(x[i], y[i], logInput, full, eps);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
