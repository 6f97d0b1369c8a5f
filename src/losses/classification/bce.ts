import { defineLoss } from '../../core/define.js';
import {
  CompensatedSum,
  SUM_BLOCK,
  TORCH_BCE_GRAD_EPS,
  TORCH_BCE_LOG_CLAMP,
} from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem } from '../elementwise.js';
import type { WeightedPairPlan } from './sigmoid-common.js';
import { prepareWeightedPair, requireProbabilities } from './sigmoid-common.js';
import { BINARY_TARGET, LABEL_SMOOTHING_OPTION, PROBABILITIES_INPUT } from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

type BcePlan = WeightedPairPlan;

/**
 * torch's element: −[t·max(log p, −100) + (1 − t)·max(log(1 − p), −100)] (log(1 − p) as torch, not
 * log1p), and its gradient (p − t) / max(p(1 − p), ε) with torch's float32 ε, also where a log is
 * clamped. The clamps are Math.max forms; the probabilities were checked to lie in [0, 1].
 */
function bceAt(p: number, t: number): Elem {
  const logP = Math.max(Math.log(p), TORCH_BCE_LOG_CLAMP);
  const log1mP = Math.max(Math.log(1 - p), TORCH_BCE_LOG_CLAMP);
  return {
    l: (t - 1) * log1mP - t * logP,
    g: (p - t) / Math.max((1 - p) * p, TORCH_BCE_GRAD_EPS),
  };
}

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
    whenToUse:
      'Binary or multi-label classification when the model already outputs probabilities (after a sigmoid, or probabilities from elsewhere): the negative log-likelihood of independent Bernoulli targets, smooth and with a probabilistic reading (seed: BCE, log loss). When the logits are at hand, bceWithLogits is the same loss, stable for any logit and with an exact gradient.',
    caveats: [
      'Sensitive to class imbalance: when negatives far outnumber positives the many easy negatives dominate the mean; weight the classes (weight, weightedBce) or focus on the hard examples (sigmoidFocal).',
      'A probability of exactly 0 or 1 on the wrong side clamps the log at −100 and gives a gradient of ∓1e12 (torch’s behaviour), and float32 sigmoids round to 1 from a logit of about 17: pass logits to bceWithLogits instead.',
      "With a weight, 'mean' is mean(w·ℓ) over all elements (torch), not Σw·ℓ / Σw: scaling every weight scales the loss.",
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
  writesEveryGrad: true,
  kernel(plan: BcePlan, out, grads, seed, scale) {
    const { x, y, keep, shift, size: n } = plan;
    const w = plan.w.data;
    const wK = plan.w.value;
    const c = wK * scale;
    const g = grads === null ? null : grads.input;
    const fast =
      w === null
        ? pairFast('bce', x, y, out, g, seed, scale, TORCH_BCE_GRAD_EPS, wK, keep, shift)
        : undefined;
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null && w === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = bceAt(x[i], y[i] * keep + shift);
          s += wK * r.l;
          g[i] = r.g * c;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = bceAt(x[i], y[i] * keep + shift);
          const wi = w === null ? wK : w[i];
          const l = wi * r.l;
          s += l;
          if (out !== null) out[i] = l;
          if (g !== null) g[i] = r.g * (wi * (seed === null ? scale : seed[i] * scale));
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
