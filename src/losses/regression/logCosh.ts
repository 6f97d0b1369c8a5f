import { defineLoss } from '../../core/define.js';
import { logCosh as logCoshOf, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type LogCoshPlan = PairPlan<unknown>;

/** Log-cosh loss: log(cosh(x − y)) per element (Keras `LogCosh` element values), gradient tanh. */
export const logCosh = defineLoss({
  meta: {
    id: 'logCosh',
    task: 'regression',
    title: 'Log-cosh loss',
    summary:
      'Logarithm of the hyperbolic cosine of the residual: about d²/2 when small, |d| − log 2 when large.',
    formula: '\\ell_i = \\log\\cosh(x_i - y_i)',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras LogCosh',
        url: 'https://keras.io/api/losses/regression_losses/#logcosh-class',
        implementation: 'keras.losses.LogCosh (element values)',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, -1.0] },
      },
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements, and 'sum'/'none' work on the element values.",
      'Computed as |d| + log1p(exp(−2|d|)) − log 2: finite for every finite residual, +∞ for ±∞ (Keras gives NaN at −∞).',
    ],
  },
  prepare: (inputs, options, id): LogCoshPlan =>
    preparePair(id, inputs.input, inputs.target, options),
  forward(plan: LogCoshPlan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = logCoshOf(x[i] - y[i]);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: LogCoshPlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = Math.tanh(x[i] - y[i]) * c;
    }
  },
  fused(plan: LogCoshPlan, out, seed, scale, grads) {
    // One pass, but still logCosh and Math.tanh: the gradient is exactly Math.tanh (a test pins it),
    // which neither branch of logCosh's intermediates reproduces to the last bit.
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      const l = logCoshOf(d);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = Math.tanh(d) * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
