import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import { LOG_2PI, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';

/** torch `gaussian_nll_loss`'s default eps: variances are clamped to at least this. */
const TORCH_GAUSSIAN_NLL_EPS = 1e-6;

export interface GaussianNllPlan extends Plan {
  x: Float64Array;
  y: Float64Array;
  v: Float64Array;
  /** Consecutive elements of input sharing one variance (1, or the size of input's last dim). */
  group: number;
  eps: number;
  full: boolean;
}

/**
 * torch's var shapes: input's shape; input's shape without its last dim; or that with a last dim of 1.
 * Returns the number of consecutive input elements per variance and the 'none' output shape (input's,
 * except that a rank-0 input with a var of shape [1] broadcasts to [1], as torch).
 */
function varLayout(
  id: string,
  inShape: number[],
  varShape: number[],
): { group: number; outShape: number[] } {
  if (shapeEquals(varShape, inShape)) return { group: 1, outShape: inShape };
  const lead = inShape.slice(0, -1);
  const last = inShape.length > 0 ? inShape[inShape.length - 1] : 1;
  if (inShape.length > 0 && shapeEquals(varShape, lead)) return { group: last, outShape: inShape };
  if (
    varShape.length > 0 &&
    varShape[varShape.length - 1] === 1 &&
    shapeEquals(varShape.slice(0, -1), lead)
  ) {
    return inShape.length > 0 ? { group: last, outShape: inShape } : { group: 1, outShape: [1] };
  }
  const short = formatShape(lead);
  const withOne = formatShape([...lead, 1]);
  return fail(
    'E_SHAPE',
    id,
    "input 'var'",
    inShape.length > 0
      ? `of shape ${formatShape(inShape)} (as input), ${short} (one variance per row) or ${withOne}`
      : 'of shape [] (as input) or [1]',
    `shape ${formatShape(varShape)}`,
  );
}

/** Gaussian negative log-likelihood, torch `gaussian_nll_loss`. */
export const gaussianNll = defineLoss({
  meta: {
    id: 'gaussianNll',
    task: 'regression',
    title: 'Gaussian negative log-likelihood',
    summary:
      'Negative log-likelihood of the target under a normal distribution with predicted mean and variance.',
    formula:
      '\\ell_i = \\tfrac12\\Bigl(\\log v_i + \\frac{(x_i - y_i)^2}{v_i}\\Bigr) + [\\text{full}]\\,\\tfrac12\\log 2\\pi,\\quad v_i = \\max(\\text{var}_i, \\epsilon)',
    inputs: [
      {
        name: 'input',
        role: 'values',
        shape: '(N, *)',
        differentiable: true,
        kind: 'float',
        doc: 'Predicted means.',
      },
      {
        name: 'target',
        role: 'targets',
        shape: '(N, *) same as input',
        differentiable: false,
        kind: 'float',
        doc: 'Observed values, same shape as input.',
      },
      {
        name: 'var',
        role: 'variances',
        shape: "(N, *) as input, or input's shape without its last dim, or with last dim 1",
        differentiable: true,
        kind: 'float',
        doc: 'Predicted variances (>= 0): one per element, or one per row shared along the last dim.',
      },
    ],
    options: {
      full: {
        type: 'boolean',
        default: false,
        doc: 'Add the constant 0.5·log(2π).',
      },
      eps: {
        type: 'number',
        default: TORCH_GAUSSIAN_NLL_EPS,
        min: 0,
        doc: 'Variances below eps are clamped to eps.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Nix & Weigend (1994), Estimating the mean and variance of the target probability distribution',
        url: 'https://doi.org/10.1109/ICNN.1994.374138',
      },
      {
        title: 'PyTorch GaussianNLLLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.GaussianNLLLoss.html',
        implementation: 'torch.nn.functional.gaussian_nll_loss',
      },
    ],
    examples: [
      {
        title: 'One variance per element',
        inputs: {
          input: [
            [0.5, 1.0],
            [-1.0, 2.0],
          ],
          target: [
            [0.0, 1.5],
            [-0.5, 1.0],
          ],
          var: [
            [0.5, 1.0],
            [2.0, 0.25],
          ],
        },
      },
      {
        title: 'One variance per row, with the constant',
        inputs: {
          input: [
            [0.5, 1.0],
            [-1.0, 2.0],
          ],
          target: [
            [0.0, 1.5],
            [-0.5, 1.0],
          ],
          var: [0.5, 2.0],
        },
        options: { full: true },
      },
    ],
    notes: [
      "'mean' divides by the number of elements of input; a shared variance's gradient sums over its row.",
      "Variances below eps are clamped and their gradient is the formula's derivative at eps (torch clamps in place under no_grad), not 0.",
      'A negative variance throws E_RANGE (torch raises ValueError); NaN propagates.',
      'target must have the shape of input (torch would broadcast it).',
    ],
  },
  prepare(inputs, options, id): GaussianNllPlan {
    const { input, target } = inputs;
    const variance = inputs.var;
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    const { group, outShape } = varLayout(id, input.shape, variance.shape);
    const v = variance.data;
    for (let j = 0; j < v.length; j++) {
      if (v[j] < 0) {
        fail(
          'E_RANGE',
          id,
          "input 'var'",
          'non-negative variances',
          `${describe(v[j])} at flat position ${j}`,
        );
      }
    }
    return {
      size: input.data.length,
      outShape,
      x: input.data,
      y: target.data,
      v,
      group,
      eps: options.eps,
      full: options.full,
    };
  },
  forward(plan: GaussianNllPlan, out) {
    const { x, y, v, group, eps } = plan;
    const constant = plan.full ? 0.5 * LOG_2PI : 0;
    let sum = 0;
    let comp = 0;
    for (let j = 0, i = 0; j < v.length; j++) {
      const vj = Math.max(v[j], eps); // NaN stays NaN
      const logV = Math.log(vj);
      for (let k = 0; k < group; k++, i++) {
        const d = x[i] - y[i];
        const l = 0.5 * (logV + (d * d) / vj) + constant;
        if (out !== null) out[i] = l;
        const next = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
        sum = next;
      }
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: GaussianNllPlan, seed, scale, grads) {
    // ∂ℓ/∂x = d/v, ∂ℓ/∂v = ½(1/v − d²/v²), at the clamped v (so below eps the slope at eps flows).
    const { x, y, v, group, eps } = plan;
    const gx = grads.input;
    const gv = grads.var;
    for (let j = 0, i = 0; j < v.length; j++) {
      const vj = Math.max(v[j], eps);
      const inv = 1 / vj;
      let acc = 0;
      for (let k = 0; k < group; k++, i++) {
        const c = seed === null ? scale : seed[i] * scale;
        const d = x[i] - y[i];
        const q = d / vj;
        gx[i] = q * c;
        acc += 0.5 * (inv - q * q) * c;
      }
      gv[j] = acc;
    }
  },
  fused(plan: GaussianNllPlan, out, seed, scale, grads) {
    const { x, y, v, group, eps } = plan;
    const constant = plan.full ? 0.5 * LOG_2PI : 0;
    const gx = grads.input;
    const gv = grads.var;
    let sum = 0;
    let comp = 0;
    for (let j = 0, i = 0; j < v.length; j++) {
      const vj = Math.max(v[j], eps); // NaN stays NaN
      const logV = Math.log(vj);
      const inv = 1 / vj;
      let acc = 0; // as backward
      for (let k = 0; k < group; k++, i++) {
        const d = x[i] - y[i];
        const l = 0.5 * (logV + (d * d) / vj) + constant;
        if (out !== null) out[i] = l;
        const next = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
        sum = next;
        const c = seed === null ? scale : seed[i] * scale;
        const q = d / vj;
        gx[i] = q * c;
        acc += 0.5 * (inv - q * q) * c;
      }
      gv[j] = acc;
    }
    return neumaierResult(sum, comp);
  },
});
