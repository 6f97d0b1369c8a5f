import { defineLoss } from '../../core/define.js';
import { CompensatedSum, KERAS_EPSILON, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type MapePlan = PairPlan<unknown>;

/**
 * Keras' 100·|(y − x) / max(|y|, ε)| and its derivative ±100 / max(|y|, ε), with torch's sign(x − y)
 * as 0/1 comparisons (no branch on the data): 0 at a perfect prediction and for a NaN prediction.
 */
function mapeAt(x: number, y: number): Elem {
  const den = Math.max(Math.abs(y), KERAS_EPSILON);
  const d = x - y;
  return {
    l: 100 * Math.abs((y - x) / den),
    g: (100 / den) * (Number(d > 0) - Number(d < 0)),
  };
}

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
    whenToUse:
      'When the error that matters is relative to the size of the target and the result should read as a percentage (demand, sales and price forecasting): a miss of 10 on a target of 100 counts as much as a miss of 1 on 10. Pick it over msle when you want a symmetric-looking, directly interpretable percentage and every target is well away from 0.',
    caveats: [
      'Targets near 0 explode it: |target| is floored at 1e-7 only, so one zero target with a prediction of 1 contributes 10^9 and dominates everything else. Drop or offset such targets, or use msle or l1.',
      'Asymmetric in what it can cost: a non-negative prediction below a positive target costs at most 100, an over-prediction has no bound, so a model trained on it tends to under-predict.',
      'The gradient ±100/|target| is largest for the smallest targets; the fit concentrates on them.',
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements.",
      "The gradient at a perfect prediction (x = y) is 0, as the abs gradient of TF and torch; a NaN prediction also gets 0 (torch's sign(NaN) = 0), a NaN target gives NaN (its slope 100/max(|y|, 1e-7) is NaN).",
    ],
  },
  prepare: (inputs, options, id): MapePlan => preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: MapePlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('mape', x, y, out, g, seed, scale, KERAS_EPSILON);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = mapeAt(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = mapeAt(x[i], y[i]);
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
