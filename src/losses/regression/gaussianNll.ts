import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { describe, fail } from '../../core/errors.js';
import { CompensatedSum, LOG_2PI, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import { formatShape, shapeEquals } from '../../core/tensor.js';

/** torch `gaussian_nll_loss`'s default eps: variances are clamped to at least this. */
const TORCH_GAUSSIAN_NLL_EPS = 1e-6;

export interface GaussianNllPlan extends Plan {
  x: FloatArray;
  y: FloatArray;
  v: FloatArray;
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

/** One element's loss and its derivatives in the mean (`gx`) and in the clamped variance (`gv`). */
interface GaussianElem {
  l: number;
  gx: number;
  gv: number;
}

/**
 * ½(log v + d²/v) + constant, ∂/∂x = d/v and ∂/∂v = ½(1/v − d²/v²), at the clamped variance
 * v = max(var, eps) (so below eps the slope at eps flows, as torch's in-place clamp). log v and 1/v
 * are the variance's, computed once per variance by the kernel and passed in.
 */
function gaussianNllAt(
  x: number,
  y: number,
  v: number,
  logV: number,
  inv: number,
  constant: number,
): GaussianElem {
  const d = x - y;
  const q = d / v;
  return { l: 0.5 * (logV + (d * d) / v) + constant, gx: q, gv: 0.5 * (inv - q * q) };
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
        title:
          'Seitzer et al. (2022), On the Pitfalls of Heteroscedastic Uncertainty Estimation with Probabilistic Neural Networks',
        url: 'https://arxiv.org/abs/2203.09168',
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
    whenToUse:
      'Regression that should also say how uncertain each prediction is (heteroscedastic regression, Nix & Weigend): the network predicts a mean and a variance, and the loss is the Gaussian negative log-likelihood, so noisy targets are explained by a larger variance instead of dragging the mean. Pick it over mse when the noise level varies between inputs and calibrated uncertainties are needed; with a fixed variance it is mse/2 plus a constant.',
    caveats: [
      'The gradient of the mean is divided by the variance: samples the model declares noisy are fitted less and less, and training can settle on a poor mean with large variances in hard regions (Seitzer et al. 2022, who weight each term by var^β in their β-NLL).',
      'The variance must be non-negative, and is best produced by softplus or exp (predicting a log-variance); values below eps (1e-6) are clamped, a negative variance is an error.',
      'On a sample fitted almost exactly the loss keeps falling as its variance shrinks, down to ½·log(eps) at the clamp: variances can collapse onto eps, where the mean gradient d/v is 10^6·d at the default eps.',
      "Pass a variance per element, or one per row (input's shape without its last dim, or with last dim 1) to share it along the last dim: the shared variance gets the summed gradient.",
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
  writesEveryGrad: true,
  kernel(plan: GaussianNllPlan, out, grads, seed, scale) {
    // Units are the elements of input; variance j covers elements [j·group, (j + 1)·group). The
    // blocks of SUM_BLOCK units cut through rows where they must: a row's variance terms are
    // recomputed per piece (one log), and its variance gradient is summed in a local across pieces.
    const { x, y, v, group, eps, size: n } = plan;
    const constant = plan.full ? 0.5 * LOG_2PI : 0;
    const gx = grads === null ? null : grads.input;
    const gv = grads === null ? null : grads.var;
    const acc = new CompensatedSum();
    let j = 0; // the current variance
    let rowEnd = group; // one past its last element
    let gvj = 0; // its gradient so far
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let i = b; i < e;) {
        const stop = Math.min(e, rowEnd);
        const vj = Math.max(v[j], eps); // NaN stays NaN
        const logV = Math.log(vj);
        const inv = 1 / vj;
        if (gx !== null && gv !== null && out === null && seed === null) {
          // The training path (reduced loss and its gradients) without per-element branches.
          for (; i < stop; i++) {
            const r = gaussianNllAt(x[i], y[i], vj, logV, inv, constant);
            s += r.l;
            gx[i] = r.gx * scale;
            gvj += r.gv * scale;
          }
        } else {
          for (; i < stop; i++) {
            const r = gaussianNllAt(x[i], y[i], vj, logV, inv, constant);
            s += r.l;
            if (out !== null) out[i] = r.l;
            if (gx !== null) {
              const c = seed === null ? scale : seed[i] * scale;
              gx[i] = r.gx * c;
              gvj += r.gv * c;
            }
          }
        }
        if (i === rowEnd) {
          if (gv !== null) gv[j] = gvj;
          gvj = 0;
          j++;
          rowEnd += group;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
