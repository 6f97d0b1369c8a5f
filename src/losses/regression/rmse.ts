import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import type { FloatArray } from '../../core/tensor.js';
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
  x: FloatArray;
  y: FloatArray;
  eps: number;
}

/**
 * The power of two s such that s·m is near 1 when m = max|x − y| is extreme, else 1. Rescaling up
 * (tiny residuals) only when eps = 0: with eps > 0 the tiny residuals are negligible beside eps, and
 * eps·s² could overflow. A power of two scales exactly, so inside the range the result is the same.
 */
function rescaleFactor(m: number, eps: number): number {
  if (!Number.isFinite(m) || m === 0) return 1;
  if (m > RESCALE_ABOVE || (m < RESCALE_BELOW && eps === 0)) return 2 ** -Math.round(Math.log2(m));
  return 1;
}

/** Σ ((x − y)·s)², SUM_BLOCK terms plainly per block, the block sums compensated. */
function sumOfSquares(x: FloatArray, y: FloatArray, s: number): number {
  const n = x.length;
  const acc = new CompensatedSum();
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let t = 0;
    for (let i = b; i < e; i++) {
      const d = (x[i] - y[i]) * s;
      t += d * d;
    }
    acc.add(t);
  }
  return acc.value();
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
    whenToUse:
      "When you want the error in the units of the target, for reporting, early stopping or as a training objective: it is the square root of mse, with the same minimiser and the same sensitivity to large errors (seed 001). Its gradient is mse's divided by 2·rmse, so its step size does not grow with the overall error level.",
    caveats: [
      'Like mse it is dominated by outliers: one large error can decide the value.',
      'One number over every element, not a mean of per-sample values: the gradient of each element depends on all the others, and the mean of per-batch rmse values is not the rmse of the whole data set.',
      'At a perfect fit the square root has an infinite slope; losskit returns gradient 0 there, and eps > 0 keeps the gradient finite and smooth near 0.',
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
  writesEveryGrad: true,
  kernel(plan: RmsePlan, _out, grads, seed, scale) {
    const { x, y, eps } = plan;
    const n = x.length;
    // One pass for Σd² (unscaled: s = 1 in the usual range) and max|d|; a second only when the
    // residuals are extreme enough to need rescaling. max propagates NaN, and then s = 1: the
    // value is NaN either way.
    const acc = new CompensatedSum();
    let m = 0;
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let t = 0;
      for (let i = b; i < e; i++) {
        const d = x[i] - y[i];
        t += d * d;
        m = Math.max(m, Math.abs(d));
      }
      acc.add(t);
    }
    const s = rescaleFactor(m, eps);
    const sum = s === 1 ? acc.value() : sumOfSquares(x, y, s);
    // sqrt(mean((x − y)²) + eps); an empty input has mean 0, so its value is sqrt(eps).
    const r = Math.sqrt((n === 0 ? 0 : sum / n) + eps * s * s) / s;
    if (grads !== null) {
      // d/dx_i sqrt(Σ d²/n + eps) = (2 d_i / n) / (2 r) = d_i / (n r); 0 when r = 0.
      const g = grads.input;
      if (r === 0) g.fill(0);
      else {
        const c = seed === null ? scale : seed[0] * scale;
        const nr = n * r;
        for (let i = 0; i < n; i++) g[i] = ((x[i] - y[i]) / nr) * c;
      }
    }
    return r;
  },
});
