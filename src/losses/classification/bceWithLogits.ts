import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { WeightedPairPlan } from './sigmoid-common.js';
import {
  BINARY_TARGET,
  broadcastOption,
  LABEL_SMOOTHING_OPTION,
  LOGITS_INPUT,
  prepareWeightedPair,
  weightedSoftplusPair,
  weightedSoftplusPairFused,
  weightedSoftplusPairGrad,
} from './sigmoid-common.js';

export interface BceWithLogitsPlan extends WeightedPairPlan<null> {
  /** pos_weight broadcast to the input's shape, or null for 1. */
  pw: Float64Array | null;
}

/** Binary cross-entropy on logits, torch `binary_cross_entropy_with_logits`. */
export const bceWithLogits = defineLoss({
  meta: {
    id: 'bceWithLogits',
    task: 'classification',
    title: 'Binary cross-entropy with logits',
    summary:
      'Sigmoid plus binary cross-entropy fused into one stable expression, with per-element and positive-class weights.',
    formula:
      '\\ell_i = -w_i\\left[p_{w,i}\\, y_i \\log\\sigma(x_i) + (1 - y_i)\\log\\sigma(-x_i)\\right]',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      weight: {
        type: 'tensor',
        default: null,
        allowNumber: true,
        doc: 'Per-element weight, broadcast to the input (NumPy rules). `mean` is mean(w·ℓ).',
      },
      posWeight: {
        type: 'tensor',
        default: null,
        allowNumber: true,
        doc: 'Weight of the positive term, broadcast to the input (NumPy rules; a (C) tensor applies along the last dim).',
      },
      labelSmoothing: LABEL_SMOOTHING_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch BCEWithLogitsLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html',
        implementation: 'torch.nn.functional.binary_cross_entropy_with_logits',
      },
    ],
    examples: [
      {
        title: 'Three logits against binary targets',
        inputs: { input: [2.0, -1.0, 0.5], target: [1, 0, 0] },
      },
      {
        title: 'Two samples of three labels with a per-label posWeight',
        inputs: {
          input: [
            [1.5, -0.3, 0.2],
            [-2.0, 0.8, 3.1],
          ],
          target: [
            [1, 0, 1],
            [0, 0, 1],
          ],
        },
        options: { posWeight: [3, 1, 0.5] },
      },
    ],
    notes: [
      'Computed as w·[p_w·y·softplus(−x) + (1−y)·softplus(x)]; finite for logits of any size, and a hard target against a logit of ±∞ on its own side costs 0.',
      'labelSmoothing is not a torch option: it follows Keras BinaryCrossentropy, y ← y(1−ε) + ε/2.',
    ],
  },
  prepare(inputs, options, id): BceWithLogitsPlan {
    const plan = prepareWeightedPair(id, inputs, options);
    return { ...plan, pw: broadcastOption(id, options.posWeight, inputs.input.shape, 'posWeight') };
  },
  forward(plan: BceWithLogitsPlan, out) {
    const { x, y, w, pw, keep, shift } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const t = y[i] * keep + shift;
      let l = weightedSoftplusPair(x[i], pw === null ? t : pw[i] * t, 1 - t);
      if (w !== null) l *= w[i];
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: BceWithLogitsPlan, seed, scale, grads) {
    const { x, y, w, pw, keep, shift } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      let c = seed === null ? scale : seed[i] * scale;
      if (w !== null) c *= w[i];
      const t = y[i] * keep + shift;
      g[i] = c * weightedSoftplusPairGrad(x[i], pw === null ? t : pw[i] * t, 1 - t);
    }
  },
  fused(plan: BceWithLogitsPlan, out, seed, scale, grads) {
    const { x, y, w, pw, keep, shift } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      let c = seed === null ? scale : seed[i] * scale;
      if (w !== null) c *= w[i];
      const t = y[i] * keep + shift;
      let l = weightedSoftplusPairFused(x[i], pw === null ? t : pw[i] * t, 1 - t, c, g, i);
      if (w !== null) l *= w[i];
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
});
