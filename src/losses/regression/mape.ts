import { defineLoss } from '../../core/define.js';
import { KERAS_EPSILON, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';

type MapePlan = PairPlan<unknown>;

/** Mean absolute percentage error, Keras `MeanAbsolutePercentageError` element values. */
export const mape = defineLoss({
  meta: {
    id: 'mape',
    task: 'regression',
    title: 'Mean absolute percentage error',
    summary: 'Absolute error as a percentage of the target, with |target| floored at 1e-7.',
    formula:
      '\\ell_i = 100\\,\\frac{|y_i - x_i|}{\\max(|y_i|, \\epsilon)},\\quad \\epsilon = 10^{-7}',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras MeanAbsolutePercentageError',
        url: 'https://keras.io/api/losses/regression_losses/#meanabsolutepercentageerror-class',
        implementation: 'keras.losses.mean_absolute_percentage_error (element values)',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 4.0] },
      },
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements.",
      'The gradient at a perfect prediction (x = y) is 0, as the abs gradient of TF and torch.',
    ],
  },
  prepare: (inputs, options, id): MapePlan => preparePair(id, inputs.input, inputs.target, options),
  forward(plan: MapePlan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const yi = y[i];
      // Keras: 100 · |(y − x) / max(|y|, eps)|
      const l = 100 * Math.abs((yi - x[i]) / Math.max(Math.abs(yi), KERAS_EPSILON));
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: MapePlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const d = x[i] - y[i];
      if (!(d > 0 || d < 0)) continue; // perfect prediction (or NaN): gradient 0
      const c = seed === null ? scale : seed[i] * scale;
      const slope = 100 / Math.max(Math.abs(y[i]), KERAS_EPSILON);
      g[i] = (d > 0 ? slope : -slope) * c;
    }
  },
  fused(plan: MapePlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const yi = y[i];
      const den = Math.max(Math.abs(yi), KERAS_EPSILON);
      const l = 100 * Math.abs((yi - xi) / den);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      const d = xi - yi;
      if (!(d > 0 || d < 0)) continue; // perfect prediction (or NaN): gradient 0
      const slope = 100 / den;
      g[i] = (d > 0 ? slope : -slope) * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
