import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { BroadcastWeight, WeightedPairPlan } from './sigmoid-common.js';
import { broadcastWeight, prepareWeightedPair, softplusPairAt } from './sigmoid-common.js';
import { BINARY_TARGET, LABEL_SMOOTHING_OPTION, LOGITS_INPUT } from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

export interface BceWithLogitsPlan extends WeightedPairPlan {
  /** pos_weight p_w, the weight of the positive term (broadcast, or kept scalar). */
  pw: BroadcastWeight;
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
    whenToUse:
      'The default loss for binary and multi-label classification (one independent sigmoid per output): binary cross-entropy computed from the logits in one stable expression, exact for logits of any size, with posWeight to up-weight rare positives per label and weight per element. Prefer it to bce whenever the logits are available.',
    caveats: [
      'posWeight multiplies only the positive term: N_neg / N_pos per label (the torch documentation’s suggestion) raises recall at the expense of precision, and large values scale the gradient of the rare positives accordingly.',
      'Under extreme imbalance with many easy negatives (dense detection, about 1:1000 in RetinaNet) weighting alone does not stop the easy examples from dominating the loss: sigmoidFocal down-weights them.',
      'labelSmoothing is not a torch option: it follows Keras BinaryCrossentropy (toward 1/2), which differs from the multiclass ε/C rule.',
    ],
    notes: [
      'Computed as w·[p_w·y·softplus(−x) + (1−y)·softplus(x)]; finite for logits of any size, and a hard target against a logit of ±∞ on its own side costs 0.',
      'labelSmoothing is not a torch option: it follows Keras BinaryCrossentropy, y ← y(1−ε) + ε/2.',
    ],
  },
  prepare(inputs, options, id): BceWithLogitsPlan {
    const plan = prepareWeightedPair(id, inputs, options);
    return { ...plan, pw: broadcastWeight(id, options.posWeight, inputs.input.shape, 'posWeight') };
  },
  writesEveryGrad: true,
  kernel(plan: BceWithLogitsPlan, out, grads, seed, scale) {
    const { x, y, keep, shift, size: n } = plan;
    const w = plan.w.data;
    const wK = plan.w.value;
    const pw = plan.pw.data;
    const pwK = plan.pw.value;
    // Unit weights and no smoothing: the training path reads t = y as it is.
    const plain = w === null && pw === null && wK === 1 && pwK === 1 && keep === 1 && shift === 0;
    const g = grads === null ? null : grads.input;
    const fast =
      w === null && pw === null
        ? pairFast('bceWithLogits', x, y, out, g, seed, scale, pwK, wK, keep, shift)
        : undefined;
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null && plain) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const t = y[i];
          const r = softplusPairAt(x[i], t, 1 - t);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const t = y[i] * keep + shift;
          const r = softplusPairAt(x[i], (pw === null ? pwK : pw[i]) * t, 1 - t);
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
