import { defineLoss } from '../../core/define.js';
import { KERAS_EPSILON, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type MslePlan = PairPlan<unknown>;

/** Mean squared logarithmic error, Keras `MeanSquaredLogarithmicError` element values. */
export const msle = defineLoss({
  meta: {
    id: 'msle',
    task: 'regression',
    title: 'Mean squared logarithmic error',
    summary: 'Squared difference of log(1 + value), with values below 1e-7 clamped to 1e-7.',
    formula:
      '\\ell_i = \\bigl(\\log(1 + \\max(x_i, \\epsilon)) - \\log(1 + \\max(y_i, \\epsilon))\\bigr)^2,\\quad \\epsilon = 10^{-7}',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras MeanSquaredLogarithmicError',
        url: 'https://keras.io/api/losses/regression_losses/#meansquaredlogarithmicerror-class',
        implementation: 'keras.losses.mean_squared_logarithmic_error (element values)',
      },
    ],
    examples: [
      {
        title: 'Counts predicted against observed counts',
        inputs: { input: [2.5, 0.5, 8.0], target: [3.0, 1.0, 6.0] },
      },
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements.",
      'log(1 + m) is computed with log1p (Keras writes log(m + 1.0)): the same function without the rounding of m + 1.',
      "The gradient is 0 where the prediction is clamped (x < 1e-7) and flows at x = 1e-7 exactly, as TF's Maximum gradient (x >= y) and torch.clamp; a NaN prediction gets gradient 0.",
    ],
  },
  prepare: (inputs, options, id): MslePlan => preparePair(id, inputs.input, inputs.target, options),
  forward(plan: MslePlan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const d =
        Math.log1p(Math.max(x[i], KERAS_EPSILON)) - Math.log1p(Math.max(y[i], KERAS_EPSILON));
      const l = d * d;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: MslePlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      if (!(xi >= KERAS_EPSILON)) continue; // clamped (or NaN): no gradient
      const c = seed === null ? scale : seed[i] * scale;
      const d = Math.log1p(xi) - Math.log1p(Math.max(y[i], KERAS_EPSILON));
      g[i] = ((2 * d) / (1 + xi)) * c;
    }
  },
  fused(plan: MslePlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const d = Math.log1p(Math.max(xi, KERAS_EPSILON)) - Math.log1p(Math.max(y[i], KERAS_EPSILON));
      const l = d * d;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      // clamped (or NaN): no gradient
      if (xi >= KERAS_EPSILON)
        g[i] = ((2 * d) / (1 + xi)) * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
