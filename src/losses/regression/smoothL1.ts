import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair, TARGET_VALUES } from '../elementwise.js';
import { pairFast } from '../../wasm/elementwise.js';

type SmoothL1Plan = PairPlan<{ beta: number }>;

/**
 * Branch-free smooth L1. For beta > 0, with c = clamp(d, −β, β) the gradient is c/β (torch's
 * `d <= −β ? −1 : d >= β ? 1 : d/β`, bit for bit: ±β/β is exactly ±1) and the loss is
 * (|d| − |c|/2)·|c/β|: outside the zone |c/β| = 1 and that is torch's |d| − β/2 exactly; inside it is
 * (½|d|)·(|d|/β), torch's (½d²)/β up to rounding (both round twice; exact when β is a power of two,
 * the default 1 included), and it cannot overflow where d² would.
 * beta = 0 has no quadratic zone: the loss is |d|, and torch's backward takes its `d <= −β` branch at
 * d = 0, so the gradient is −1 there, +1 for d > 0, NaN for NaN. The clamp of (2d − 2⁻¹⁰⁷⁴)·∞ gives
 * exactly that (2d − 2⁻¹⁰⁷⁴ is negative for d ≤ 0 and positive for d > 0, subnormals included).
 * The two tests of beta are on an option, the same for every element.
 */
function smoothL1At(x: number, y: number, beta: number): Elem {
  const d = x - y;
  const z = Math.abs(d);
  const c = Math.min(Math.max(d, -beta), beta);
  const q = beta > 0 ? c / beta : Math.min(Math.max((2 * d - Number.MIN_VALUE) * Infinity, -1), 1);
  return { l: beta > 0 ? (z - 0.5 * Math.abs(c)) * Math.abs(q) : z, g: q };
}

/** Smooth L1 loss, torch `smooth_l1_loss`: quadratic below beta (scaled by 1/beta), L1 beyond. */
export const smoothL1 = defineLoss({
  meta: {
    id: 'smoothL1',
    task: 'regression',
    title: 'Smooth L1 loss',
    summary: 'L1 loss with a quadratic zone of width beta around zero; beta = 0 is exactly L1.',
    formula:
      '\\ell_i = \\begin{cases} \\tfrac{1}{2\\beta} d_i^2 & |d_i| < \\beta \\\\ |d_i| - \\tfrac12\\beta & \\text{otherwise} \\end{cases},\\quad d_i = x_i - y_i',
    inputs: [INPUT_VALUES, TARGET_VALUES],
    options: {
      beta: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Residual magnitude where the loss turns from quadratic to linear (0 gives L1).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      { title: 'Girshick (2015), Fast R-CNN', url: 'https://arxiv.org/abs/1504.08083' },
      {
        title: 'PyTorch SmoothL1Loss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.SmoothL1Loss.html',
        implementation: 'torch.nn.functional.smooth_l1_loss',
      },
    ],
    examples: [
      {
        title: 'Residuals on both sides of beta = 1',
        inputs: { input: [2.5, 0.0, 2.0], target: [3.0, -0.5, -1.0] },
      },
      {
        title: 'A smaller beta',
        inputs: { input: [0.3, -2.0], target: [0.0, 0.0] },
        options: { beta: 0.5 },
      },
    ],
    whenToUse:
      "Box and coordinate regression (Fast R-CNN's choice), and any regression that wants l1's robustness without l1's poor convergence: beyond beta the gradient is ±1, so outliers and the large errors of early training cannot blow up the update, and inside beta it shrinks with the residual, so the fit settles instead of oscillating. Prefer it over mse when targets have outliers, over l1 when you want a precise final fit.",
    caveats: [
      'beta is in the units of the residual: it sets which errors count as small. Rescale it with the targets (detectors often use beta = 1/9 on normalised box offsets).',
      'Inside the zone the loss is d²/(2β): a small beta makes it nearly l1 (a steep quadratic), a large beta makes it mse/(2β) with small gradients.',
      'Not huber: huber(delta) = delta · smoothL1(beta = delta). smoothL1 keeps slope 1 beyond beta whatever beta is, huber has slope delta.',
      "beta = 0 is l1 in value, but the gradient at a zero residual is torch's −1, not l1's 0.",
    ],
    notes: [
      'huber(delta) = delta · smoothL1(beta = delta).',
      "beta = 0 gives the L1 value; its gradient at a zero residual is −1, not 0: torch's kernel takes its `d <= −beta` branch there, and losskit follows torch.",
    ],
  },
  prepare: (inputs, options, id): SmoothL1Plan =>
    preparePair(id, inputs.input, inputs.target, { beta: options.beta }),
  writesEveryGrad: true,
  kernel(plan: SmoothL1Plan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const beta = plan.options.beta;
    const g = grads === null ? null : grads.input;
    // β = 0 is exactly l1 with torch's subgradient: the JavaScript loop handles it.
    const fast = beta > 0 ? pairFast('smoothL1', x, y, out, g, seed, scale, beta) : undefined;
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = smoothL1At(x[i], y[i], beta);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = smoothL1At(x[i], y[i], beta);
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
