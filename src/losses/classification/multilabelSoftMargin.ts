import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { checkClassWeight, STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireMinRank, requireSameShape } from '../../core/shapes.js';
import {
  LOGITS_INPUT,
  weightedSoftplusPair,
  weightedSoftplusPairFused,
  weightedSoftplusPairGrad,
} from './sigmoid-common.js';

export interface MultilabelSoftMarginPlan extends Plan {
  x: Float64Array;
  y: Float64Array;
  /** Number of classes C (the last dim). */
  c: number;
  /** Per-class weight (C), or null for 1. */
  w: Float64Array | null;
}

/** Multi-label one-versus-all logistic loss, torch `multilabel_soft_margin_loss`. */
export const multilabelSoftMargin = defineLoss({
  meta: {
    id: 'multilabelSoftMargin',
    task: 'classification',
    title: 'Multi-label soft-margin loss',
    summary:
      'Per sample, the class-averaged binary cross-entropy on logits of C independent labels.',
    formula:
      '\\ell_n = -\\frac{1}{C}\\sum_{c} w_c\\left[y_{nc}\\log\\sigma(x_{nc}) + (1 - y_{nc})\\log\\sigma(-x_{nc})\\right]',
    inputs: [
      { ...LOGITS_INPUT, shape: '(N, C) or (C)', doc: 'Logits, one row of C labels per sample.' },
      {
        name: 'target',
        role: 'targets',
        shape: '(N, C) or (C), same as input',
        differentiable: false,
        kind: 'float',
        doc: 'Multi-hot 0/1 labels (soft values allowed), same shape as input.',
      },
    ],
    options: {
      weight: {
        type: 'tensor',
        default: null,
        doc: 'Per-class weight, shape (C).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MultiLabelSoftMarginLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.MultiLabelSoftMarginLoss.html',
        implementation: 'torch.nn.functional.multilabel_soft_margin_loss',
      },
    ],
    examples: [
      {
        title: 'Two samples of three labels',
        inputs: {
          input: [
            [1.2, -0.5, 0.3],
            [-1.0, 2.0, -0.7],
          ],
          target: [
            [1, 0, 1],
            [0, 1, 0],
          ],
        },
      },
      {
        title: 'Per-class weights',
        inputs: {
          input: [
            [0.4, -1.1, 2.3],
            [1.5, 0.2, -0.6],
          ],
          target: [
            [1, 0, 0],
            [1, 1, 0],
          ],
        },
        options: { weight: [1, 2, 0.5] },
      },
    ],
    notes: [
      "'none' returns one loss per sample (shape (N), or a scalar tensor for a (C) input); 'mean' divides by N.",
      'As torch, any rank ≥ 1 works: the last dim holds the classes and the others are samples.',
      'With C = 0 each sample’s loss is an empty mean, 0 here (torch gives 0/0 = NaN).',
    ],
  },
  prepare(inputs, options, id): MultilabelSoftMarginPlan {
    const { input, target } = inputs;
    requireMinRank(id, 'input', input, 1, '(N, C) or (C)');
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    const c = input.shape[input.shape.length - 1];
    const w = options.weight === null ? null : checkClassWeight(options.weight, c, id);
    const outShape = input.shape.slice(0, -1);
    let size = 1;
    for (const d of outShape) size *= d;
    return { size, outShape, x: input.data, y: target.data, c, w };
  },
  forward(plan: MultilabelSoftMarginPlan, out) {
    const { x, y, c, w, size } = plan;
    let sum = 0;
    let comp = 0;
    for (let n = 0, k = 0; n < size; n++) {
      let s = 0;
      for (let j = 0; j < c; j++, k++) {
        const l = weightedSoftplusPair(x[k], y[k], 1 - y[k]);
        s += w === null ? l : w[j] * l;
      }
      const l = c === 0 ? 0 : s / c;
      if (out !== null) out[n] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: MultilabelSoftMarginPlan, seed, scale, grads) {
    const { x, y, c, w, size } = plan;
    const g = grads.input;
    for (let n = 0, k = 0; n < size; n++) {
      const cn = (seed === null ? scale : seed[n] * scale) / c;
      for (let j = 0; j < c; j++, k++) {
        const d = weightedSoftplusPairGrad(x[k], y[k], 1 - y[k]);
        g[k] = w === null ? cn * d : cn * w[j] * d;
      }
    }
  },
  fused(plan: MultilabelSoftMarginPlan, out, seed, scale, grads) {
    const { x, y, c, w, size } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let n = 0, k = 0; n < size; n++) {
      const cn = (seed === null ? scale : seed[n] * scale) / c;
      let s = 0;
      for (let j = 0; j < c; j++, k++) {
        const yk = y[k];
        if (w === null) {
          s += weightedSoftplusPairFused(x[k], yk, 1 - yk, cn, g, k);
        } else {
          const wj = w[j];
          s += wj * weightedSoftplusPairFused(x[k], yk, 1 - yk, cn * wj, g, k);
        }
      }
      const l = c === 0 ? 0 : s / c;
      if (out !== null) out[n] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
});
