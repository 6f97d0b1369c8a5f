import { defineLoss } from '../../core/define.js';
import { CompensatedSum, KERAS_EPSILON, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type MslePlan = PairPlan<unknown>;

/**
 * (log1p(max(x, ε)) − log1p(max(y, ε)))² and its derivative 2d/(1 + x) where x >= ε, else 0 (TF's
 * Maximum and torch.clamp pass the gradient at x = ε and block it below, and for NaN). The gradient
 * is a select between two computed values, not a branch around the arithmetic; a 0/1 mask product
 * would turn a NaN prediction's 0 into NaN.
 */
function msleAt(x: number, y: number): Elem {
  const xm = Math.max(x, KERAS_EPSILON);
  const d = Math.log1p(xm) - Math.log1p(Math.max(y, KERAS_EPSILON));
  const q = (2 * d) / (1 + xm);
  return { l: d * d, g: x >= KERAS_EPSILON ? q : 0 };
}

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
    whenToUse:
      'Non-negative targets spanning orders of magnitude (counts, prices, populations, durations) where the error that matters is relative: it is mse on log(1 + value), so predicting 30 for 40 costs about as much as 3000 for 4000. Pick it over mse when large targets would otherwise dominate, over mape when targets can be 0.',
    caveats: [
      'Asymmetric in absolute terms: for the same absolute error under-prediction costs more (10 for a target of 20 costs nearly three times as much as 30), yet its minimiser exp(mean(log(1 + y))) − 1 lies below the mean that mse fits: on noisy targets it predicts lower values than mse.',
      'Predictions below 1e-7 are clamped and get gradient 0: a model that outputs negative values receives no signal to come back. Use a non-negative output (softplus, exp) for the prediction.',
      'The + 1 makes it insensitive to relative errors among values much smaller than 1: rescale such targets first.',
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements.",
      'log(1 + m) is computed with log1p (Keras writes log(m + 1.0)): the same function without the rounding of m + 1.',
      "The gradient is 0 where the prediction is clamped (x < 1e-7) and flows at x = 1e-7 exactly, as TF's Maximum gradient (x >= y) and torch.clamp; a NaN prediction gets gradient 0.",
    ],
  },
  prepare: (inputs, options, id): MslePlan => preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: MslePlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('msle', x, y, out, g, seed, scale, KERAS_EPSILON);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = msleAt(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = msleAt(x[i], y[i]);
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
