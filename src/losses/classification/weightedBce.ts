import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { fsum, neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import {
  BINARY_TARGET,
  LOGITS_INPUT,
  weightedSoftplusPair,
  weightedSoftplusPairFused,
  weightedSoftplusPairGrad,
} from './sigmoid-common.js';

export interface WeightedBcePlan extends Plan {
  x: Float64Array;
  y: Float64Array;
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
      const nPos = fsum(target.data);
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
  forward(plan: WeightedBcePlan, out) {
    const { x, y, wPos, wNeg } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = weightedSoftplusPair(x[i], wPos * y[i], wNeg * (1 - y[i]));
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: WeightedBcePlan, seed, scale, grads) {
    const { x, y, wPos, wNeg } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = c * weightedSoftplusPairGrad(x[i], wPos * y[i], wNeg * (1 - y[i]));
    }
  },
  fused(plan: WeightedBcePlan, out, seed, scale, grads) {
    const { x, y, wPos, wNeg } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const l = weightedSoftplusPairFused(x[i], wPos * y[i], wNeg * (1 - y[i]), c, g, i);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
});
