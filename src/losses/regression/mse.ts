import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type MsePlan = PairPlan<unknown>;

/** (x − y)² and its derivative 2(x − y). */
function mseAt(x: number, y: number): Elem {
  const d = x - y;
  return { l: d * d, g: 2 * d };
}

/** Mean squared error, torch `mse_loss`. */
export const mse = defineLoss({
  meta: {
    id: 'mse',
    task: 'regression',
    title: 'Mean squared error',
    summary: 'Squared difference between prediction and target, averaged over all elements.',
    formula: '\\ell_i = (x_i - y_i)^2',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MSELoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.MSELoss.html',
        implementation: 'torch.nn.functional.mse_loss',
      },
    ],
    whenToUse:
      'The default for regression when errors are roughly Gaussian and large errors should cost much more than small ones (the gradient grows with the residual). Its minimiser is the conditional mean.',
    caveats: [
      'Outliers dominate: one residual of 10 weighs as much as 100 residuals of 1; prefer huber, smoothL1 or l1 when the targets have outliers.',
      'The scale of the loss (and of its gradient) is the square of the target units: normalise targets, or the learning rate has to follow their scale.',
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 2.0] },
      },
    ],
  },
  prepare: (inputs, options, id): MsePlan => preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: MsePlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('mse', x, y, out, g, seed, scale);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = mseAt(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = mseAt(x[i], y[i]);
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
