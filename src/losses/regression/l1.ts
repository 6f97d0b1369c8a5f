import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type L1Plan = PairPlan<unknown>;

/**
 * |x − y| and torch's sign(x − y) as its derivative: 0 at a zero residual and for NaN (torch's
 * sign(NaN) is 0). The comparisons become 0/1 numbers, so there is no branch on the data.
 */
function l1At(x: number, y: number): Elem {
  const d = x - y;
  return { l: Math.abs(d), g: Number(d > 0) - Number(d < 0) };
}

/** Mean absolute error, torch `l1_loss`. The gradient at a zero residual is 0 (torch's sign). */
export const l1 = defineLoss({
  meta: {
    id: 'l1',
    aliases: ['mae'],
    task: 'regression',
    title: 'L1 loss (mean absolute error)',
    summary: 'Absolute difference between prediction and target, averaged over all elements.',
    formula: '\\ell_i = |x_i - y_i|',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch L1Loss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.L1Loss.html',
        implementation: 'torch.nn.functional.l1_loss',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 1.0] },
      },
    ],
    whenToUse:
      'Regression whose targets contain outliers or corrupted values that should not steer the fit: every residual pulls with the same force, whatever its size, so the minimiser is the conditional median instead of the mean. Pick it over mse when large errors are noise rather than signal; pick mse when large errors matter and must be fixed first.',
    caveats: [
      'The gradient has the same magnitude near the optimum as far from it: with a fixed learning rate the fit hovers around the target instead of settling; decay the learning rate, or use smoothL1 or huber, which turn quadratic near zero.',
      'Fitting the median means that a minority of very different targets is ignored: when the inputs cannot tell them apart, 95% of targets at 1000 and 5% at 10 give the prediction 1000 (mse would give the mean, 950.5).',
      'Not differentiable at a zero residual; the gradient there is the subgradient 0, as torch.',
    ],
    notes: [
      'The gradient at a zero residual is 0, as torch (sign(0) = 0); a NaN residual also gets gradient 0, as torch.',
    ],
  },
  prepare: (inputs, options, id): L1Plan => preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: L1Plan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('l1', x, y, out, g, seed, scale);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = l1At(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = l1At(x[i], y[i]);
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
