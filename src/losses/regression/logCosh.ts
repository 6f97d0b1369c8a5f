import { defineLoss } from '../../core/define.js';
import { CompensatedSum, logCosh as logCoshOf } from '../../core/numerics.js';
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
    const acc = new CompensatedSum();
    for (let i = 0; i < x.length; i++) {
      const l = logCoshOf(x[i] - y[i]);
      if (out !== null) out[i] = l;
      acc.add(l);
    }
    return acc.value();
  },
  backward(plan: LogCoshPlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = Math.tanh(x[i] - y[i]) * c;
    }
  },
});
