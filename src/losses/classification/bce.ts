import { defineLoss } from '../../core/define.js';
import { neumaierResult, TORCH_BCE_GRAD_EPS, TORCH_BCE_LOG_CLAMP } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { WeightedPairPlan } from './sigmoid-common.js';
import {
  BINARY_TARGET,
  LABEL_SMOOTHING_OPTION,
  prepareWeightedPair,
  PROBABILITIES_INPUT,
  requireProbabilities,
} from './sigmoid-common.js';

type BcePlan = WeightedPairPlan<null>;

/** Binary cross-entropy on probabilities, torch `binary_cross_entropy`. */
export const bce = defineLoss({
  meta: {
    id: 'bce',
    task: 'classification',
    title: 'Binary cross-entropy',
    summary:
      'Cross-entropy of probabilities against binary (or soft) targets, each log clamped at −100 as in PyTorch.',
    formula:
      '\\ell_i = -w_i\\left[y_i \\max(\\log p_i, -100) + (1 - y_i)\\max(\\log(1 - p_i), -100)\\right]',
    inputs: [PROBABILITIES_INPUT, BINARY_TARGET],
    options: {
      weight: {
        type: 'tensor',
        default: null,
        allowNumber: true,
        doc: 'Per-element weight, broadcast to the input (NumPy rules). `mean` is mean(w·ℓ), not Σw·ℓ / Σw.',
      },
      labelSmoothing: LABEL_SMOOTHING_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch BCELoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.BCELoss.html',
        implementation: 'torch.nn.functional.binary_cross_entropy',
      },
    ],
    examples: [
      {
        title: 'Three probabilities against binary targets',
        inputs: { input: [0.9, 0.2, 0.6], target: [1, 0, 1] },
      },
      {
        title: 'Per-column weights and label smoothing',
        inputs: {
          input: [
            [0.7, 0.1],
            [0.4, 0.8],
          ],
          target: [
            [1, 0],
            [0, 1],
          ],
        },
        options: { weight: [2, 0.5], labelSmoothing: 0.1 },
      },
    ],
    notes: [
      'Each log term is clamped at −100, so a probability of exactly 0 or 1 on the wrong side costs 100.',
      "The gradient is torch's (p − y)·w / max(p(1 − p), 1e-12) with 1e-12 rounded to float32 as torch 1.13 does, also where the log is clamped: ∓1.000000003995803e12 at p = 0 or 1.",
      'log(1 − p) is computed as torch does, not with log1p.',
      'Probabilities outside [0, 1] throw E_RANGE (torch raises); NaN propagates.',
    ],
  },
  prepare(inputs, options, id): BcePlan {
    const plan = prepareWeightedPair(id, inputs, options);
    requireProbabilities(id, 'input', plan.x);
    return plan;
  },
  forward(plan: BcePlan, out) {
    const { x, y, w, keep, shift } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const p = x[i];
      const t = y[i] * keep + shift;
      const logP = Math.max(Math.log(p), TORCH_BCE_LOG_CLAMP);
      const log1mP = Math.max(Math.log(1 - p), TORCH_BCE_LOG_CLAMP);
      let l = (t - 1) * log1mP - t * logP;
      if (w !== null) l *= w[i];
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: BcePlan, seed, scale, grads) {
    const { x, y, w, keep, shift } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      let c = seed === null ? scale : seed[i] * scale;
      if (w !== null) c *= w[i];
      const p = x[i];
      const t = y[i] * keep + shift;
      g[i] = (c * (p - t)) / Math.max((1 - p) * p, TORCH_BCE_GRAD_EPS);
    }
  },
  fused(plan: BcePlan, out, seed, scale, grads) {
    const { x, y, w, keep, shift } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const p = x[i];
      const t = y[i] * keep + shift;
      const logP = Math.max(Math.log(p), TORCH_BCE_LOG_CLAMP);
      const log1mP = Math.max(Math.log(1 - p), TORCH_BCE_LOG_CLAMP);
      let l = (t - 1) * log1mP - t * logP;
      let c = seed === null ? scale : seed[i] * scale;
      if (w !== null) {
        l *= w[i];
        c *= w[i];
      }
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = (c * (p - t)) / Math.max((1 - p) * p, TORCH_BCE_GRAD_EPS);
    }
    return neumaierResult(sum, comp);
  },
});
