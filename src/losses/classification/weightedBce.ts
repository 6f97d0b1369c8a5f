import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, neumaierSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import { softplusPairAt } from './sigmoid-common.js';
import { BINARY_TARGET, LOGITS_INPUT } from './sigmoid-specs.js';

export interface WeightedBcePlan extends Plan {
  x: FloatArray;
  y: FloatArray;
  /** Weight of the positive term w₊ and of the negative term w₋ (constants in the gradient). */
  wPos: number;
  wNeg: number;
}

/** Weighted / class-balanced binary cross-entropy on logits (seed WBCE, HED's balanced CE). */
export const weightedBce = defineLoss({
  meta: {
    id: 'weightedBce',
    task: 'classification',
    title: 'Weighted binary cross-entropy',
    summary:
      'Binary cross-entropy on logits with separate positive and negative weights, or HED class balancing.',
    formula:
      '\\ell_i = -\\left[w_+ y_i \\log\\sigma(x_i) + w_- (1 - y_i)\\log(1 - \\sigma(x_i))\\right],\\quad \\text{balanced: } w_+ = \\tfrac{N_-}{N},\\ w_- = \\tfrac{N_+}{N}',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      posWeight: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Weight w₊ of the positive term (ignored when balanced).',
      },
      negWeight: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Weight w₋ of the negative term (ignored when balanced).',
      },
      balanced: {
        type: 'boolean',
        default: false,
        doc: 'Replace the weights by w₊ = N₋/N and w₋ = N₊/N, with N₊ = Σy over the whole target tensor and N its element count (HED).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Xie & Tu, Holistically-Nested Edge Detection (ICCV 2015), class-balanced cross-entropy',
        url: 'https://arxiv.org/abs/1504.06375',
      },
    ],
    examples: [
      {
        title: 'Positives weighted three times as much as negatives',
        inputs: { input: [1.2, -0.4, 0.3, -2.0], target: [1, 0, 0, 1] },
        options: { posWeight: 3, negWeight: 1 },
      },
      {
        title: 'Class-balanced weights from a sparse target',
        inputs: {
          input: [
            [0.5, -1.0, 2.0],
            [-0.2, 0.1, -3.0],
          ],
          target: [
            [1, 0, 0],
            [0, 0, 0],
          ],
        },
        options: { balanced: true },
      },
    ],
    whenToUse:
      'Binary classification or segmentation with a known imbalance (the seed’s WBCE): give the positive and the negative term their own constant weights, or set balanced = true to derive them from the target as HED’s class-balanced cross-entropy does for sparse edge maps (w₊ = N₋/N, about 0.9 when 10% of the pixels are positive). Unlike bceWithLogits’ posWeight it can also scale the negatives.',
    caveats: [
      'With balanced = true the weights come from the whole target tensor, so one element’s weight depends on the rest of the batch, and a batch without positives gives every negative the weight 0 (loss 0, no gradient).',
      'A large weight on the rare class raises its recall at the expense of precision and scales the gradient: lower the learning rate, or prefer sigmoidFocal when the majority class is mostly easy examples.',
    ],
    notes: [
      'With balanced = true the weights depend on the target only and are constants in the gradient; posWeight and negWeight are then ignored.',
      'An empty target gives balanced weights 0 (and an empty loss).',
    ],
  },
  prepare(inputs, options, id): WeightedBcePlan {
    const { input, target } = inputs;
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    let wPos = options.posWeight;
    let wNeg = options.negWeight;
    if (options.balanced) {
      const n = target.data.length;
      const nPos = neumaierSum(target.data);
      wPos = n === 0 ? 0 : (n - nPos) / n;
      wNeg = n === 0 ? 0 : nPos / n;
    }
    return {
      size: input.data.length,
      outShape: input.shape,
      x: input.data,
      y: target.data,
      wPos,
      wNeg,
    };
  },
  writesEveryGrad: true,
  kernel(plan: WeightedBcePlan, out, grads, seed, scale) {
    const { x, y, wPos, wNeg, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = softplusPairAt(x[i], wPos * y[i], wNeg * (1 - y[i]));
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = softplusPairAt(x[i], wPos * y[i], wNeg * (1 - y[i]));
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
