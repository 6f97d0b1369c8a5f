import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type HuberPlan = PairPlan<{ delta: number }>;

/**
 * Branch-free Huber: with c = clamp(d, −δ, δ), the loss is c·(d − c/2) and the gradient c. For
 * |d| < δ that is d²/2 and d; beyond, δ(|d| − δ/2) and ±δ: bit for bit torch's
 * `z < δ ? 0.5·z·z : δ·(z − 0.5·δ)` (0.5·d is exact), with the gradient ±δ at |d| = δ as torch.
 * No branch on the data, so random residuals cost no mispredictions.
 */
function huberAt(x: number, y: number, delta: number): Elem {
  const d = x - y;
  const c = Math.min(Math.max(d, -delta), delta);
  return { l: c * (d - 0.5 * c), g: c };
}

/** Huber loss, torch `huber_loss`: quadratic below delta, linear with slope delta beyond. */
export const huber = defineLoss({
  meta: {
    id: 'huber',
    task: 'regression',
    title: 'Huber loss',
    summary: 'Squared error for small residuals and delta-scaled absolute error for large ones.',
    formula:
      '\\ell_i = \\begin{cases} \\tfrac12 d_i^2 & |d_i| < \\delta \\\\ \\delta\\,(|d_i| - \\tfrac12\\delta) & \\text{otherwise} \\end{cases},\\quad d_i = x_i - y_i',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {
      delta: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'Residual magnitude where the loss turns from quadratic to linear.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Huber (1964), Robust Estimation of a Location Parameter',
        url: 'https://doi.org/10.1214/aoms/1177703732',
      },
      {
        title: 'PyTorch HuberLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.HuberLoss.html',
        implementation: 'torch.nn.functional.huber_loss',
      },
    ],
    examples: [
      {
        title: 'Residuals on both sides of delta = 1',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, -1.0] },
      },
      {
        title: 'A smaller delta',
        inputs: { input: [0.3, -2.0], target: [0.0, 0.0] },
        options: { delta: 0.5 },
      },
    ],
    whenToUse:
      'Regression with outliers: quadratic (like mse) for residuals below delta, so small errors are fitted precisely, and linear (like l1) beyond, so a few wild targets cannot dominate the gradient. The usual choice for robust regression and value-function targets in reinforcement learning.',
    caveats: [
      'delta is in the units of the residual: it decides which errors count as outliers, so rescale it with the targets.',
      'The gradient is bounded by delta, which also slows the fit of genuinely large errors early in training.',
    ],
    notes: [
      'huber(delta) = delta · smoothL1(beta = delta).',
      'Value and gradient are continuous at |d| = delta (gradient ±delta there, as torch).',
    ],
  },
  prepare: (inputs, options, id): HuberPlan =>
    preparePair(id, inputs.input, inputs.target, { delta: options.delta }),
  writesEveryGrad: true,
  kernel(plan: HuberPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const delta = plan.options.delta;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('huber', x, y, out, g, seed, scale, delta);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = huberAt(x[i], y[i], delta);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = huberAt(x[i], y[i], delta);
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
