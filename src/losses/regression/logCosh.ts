import { defineLoss } from '../../core/define.js';
import { CompensatedSum, logCosh as logCoshOf, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type LogCoshPlan = PairPlan<unknown>;

/**
 * log cosh(x − y) (the stable `logCosh` of core/numerics) and its derivative tanh(x − y). The gradient
 * is exactly Math.tanh (a test pins it): neither branch of logCosh's intermediates reproduces it to
 * the last bit, so both are computed.
 */
function logCoshAt(x: number, y: number): Elem {
  const d = x - y;
  return { l: logCoshOf(d), g: Math.tanh(d) };
}

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
    whenToUse:
      'A smooth robust loss with nothing to tune: about d²/2 for small residuals (like mse) and |d| − log 2 for large ones (like l1), with the bounded gradient tanh(d). Pick it over huber or smoothL1 when you want derivatives of every order (no kink in the second derivative, which helps Newton-type and gradient-boosting solvers) and the residual scale is known.',
    caveats: [
      'The switch from quadratic to linear happens at |d| ≈ 1 and cannot be moved: scale the targets so that the errors you consider small are below 1 (there is no delta or beta option).',
      'For large residuals the second derivative sech²(d) vanishes: second-order methods then take tiny steps on exactly the samples that are furthest off.',
      "Keras averages the last axis before reducing: its 'sum' and per-sample values differ from losskit's element values; 'mean' over all elements agrees.",
    ],
    notes: [
      "Keras averages the last axis before its reduction; losskit's 'mean' averages over all elements, and 'sum'/'none' work on the element values.",
      'Computed as |d| + log1p(exp(−2|d|)) − log 2: finite for every finite residual, +∞ for ±∞ (Keras gives NaN at −∞).',
    ],
  },
  prepare: (inputs, options, id): LogCoshPlan =>
    preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: LogCoshPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('logCosh', x, y, out, g, seed, scale);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = logCoshAt(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = logCoshAt(x[i], y[i]);
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
