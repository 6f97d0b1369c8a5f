import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum } from '../../core/numerics.js';
import { requireSameShape } from '../../core/shapes.js';
import { INPUT_VALUES, TARGET_VALUES } from '../elementwise.js';

/**
 * Residuals whose largest magnitude lies outside [RESCALE_BELOW, RESCALE_ABOVE] are rescaled by an exact
 * power of two before squaring, so that (x − y)² neither overflows nor underflows (as `Math.hypot`).
 * Inside the range the computation is the plain one, bit for bit.
 */
const RESCALE_ABOVE = 1e150;
const RESCALE_BELOW = 1e-150;

export interface RmsePlan extends Plan {
  x: Float64Array;
  y: Float64Array;
  eps: number;
}

/**
 * The power of two s such that s·max|x − y| is near 1 when the residuals are extreme, else 1. Rescaling
 * up (tiny residuals) only when eps = 0: with eps > 0 the tiny residuals are negligible beside eps, and
 * eps·s² could overflow.
 */
function rescaleFactor(x: Float64Array, y: Float64Array, eps: number): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i] - y[i]);
    if (a > m) m = a;
  }
  if (!Number.isFinite(m) || m === 0) return 1;
  if (m > RESCALE_ABOVE || (m < RESCALE_BELOW && eps === 0)) return 2 ** -Math.round(Math.log2(m));
  return 1;
}

/** sqrt(mean((x − y)²) + eps); an empty input has mean 0, so its value is sqrt(eps). */
function rmseValue(x: Float64Array, y: Float64Array, eps: number): number {
  const n = x.length;
  const s = rescaleFactor(x, y, eps);
  const acc = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = (x[i] - y[i]) * s;
    acc.add(d * d);
  }
  const mean = n === 0 ? 0 : acc.value() / n;
  return Math.sqrt(mean + eps * s * s) / s;
}

/** Root mean squared error: a scalar, sqrt(mean((x − y)²) + eps). */
export const rmse = defineLoss({
  meta: {
    id: 'rmse',
    task: 'regression',
    title: 'Root mean squared error',
    summary:
      'Square root of the mean squared difference over all elements (one number, no reduction).',
    formula: '\\ell = \\sqrt{\\tfrac{1}{n}\\sum_i (x_i - y_i)^2 + \\varepsilon}',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {
      eps: {
        type: 'number',
        default: 0,
        min: 0,
        doc: 'Added under the square root (keeps the gradient finite at a perfect prediction).',
      },
    },
    reductions: [],
    references: [
      {
        title: 'Root-mean-square deviation',
        url: 'https://en.wikipedia.org/wiki/Root-mean-square_deviation',
        implementation: 'torch.sqrt(torch.nn.functional.mse_loss(input, target) + eps)',
      },
    ],
    examples: [
      {
        title: 'Three predictions against their targets',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, 1.0] },
      },
      {
        title: 'With eps under the square root',
        inputs: { input: [1.0, 2.0], target: [1.5, 1.0] },
        options: { eps: 1e-3 },
      },
    ],
    notes: [
      'A scalar over all elements: there is no reduction option.',
      'When the value is 0 (perfect prediction, eps = 0) the gradient is 0, where torch.sqrt gives NaN.',
      'An empty input has mean 0, so its value is sqrt(eps) (0 by default).',
      'Residuals beyond 1e150 (or below 1e-150 with eps = 0) are rescaled by a power of two: no overflow.',
    ],
  },
  prepare(inputs, options, id): RmsePlan {
    const { input, target } = inputs;
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    return {
      size: input.data.length,
      outShape: [],
      x: input.data,
      y: target.data,
      eps: options.eps,
    };
  },
  forward(plan: RmsePlan) {
    return rmseValue(plan.x, plan.y, plan.eps);
  },
  backward(plan: RmsePlan, seed, scale, grads) {
    // d/dx_i sqrt(Σ d²/n + eps) = (2 d_i / n) / (2 r) = d_i / (n r); 0 when r = 0.
    const { x, y } = plan;
    const r = rmseValue(x, y, plan.eps);
    if (r === 0) return;
    const c = seed === null ? scale : seed[0] * scale;
    const nr = x.length * r;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) g[i] = ((x[i] - y[i]) / nr) * c;
  },
});
