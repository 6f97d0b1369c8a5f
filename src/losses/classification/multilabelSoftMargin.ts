import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { checkClassWeight, STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireMinRank, requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import { softplusPairAt } from './sigmoid-common.js';
import { LOGITS_INPUT } from './sigmoid-specs.js';

export interface MultilabelSoftMarginPlan extends Plan {
  x: FloatArray;
  y: FloatArray;
  /** Number of classes C (the last dim). */
  c: number;
  /** Per-class weight (C); ones when the option is absent (C values, never N·C). */
  w: Float64Array;
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
    whenToUse:
      'Multi-label classification with one row of C independent yes/no labels per sample (an image of a dog in a park tagged both “dog” and “outdoor”, seed 000): the per-sample mean over classes of the binary cross-entropy on logits, with optional per-class weights, so that each sample is one unit of the reduction.',
    caveats: [
      "Its 'mean' equals bceWithLogits' mean without weights, but 'sum' and 'none' are per sample (each row already averaged over C), so sums are C times smaller.",
      'The class weight scales both terms of a class: it is not a positive-class weight. To up-weight rare positive labels use bceWithLogits with posWeight, or a focal loss when easy negatives dominate.',
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
    const w =
      options.weight === null
        ? new Float64Array(c).fill(1)
        : checkClassWeight(options.weight, c, id);
    const outShape = input.shape.slice(0, -1);
    let size = 1;
    for (const d of outShape) size *= d;
    return { size, outShape, x: input.data, y: target.data, c, w };
  },
  writesEveryGrad: true,
  kernel(plan: MultilabelSoftMarginPlan, out, grads, seed, scale) {
    // One unit per row of C logits: the branches on grads, out and seed are taken once per row.
    const { x, y, c, w, size } = plan;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < size; b += SUM_BLOCK) {
      const end = Math.min(size, b + SUM_BLOCK);
      let s = 0;
      for (let n = b, k = b * c; n < end; n++) {
        let row = 0;
        if (g === null) {
          for (let j = 0; j < c; j++, k++) row += w[j] * softplusPairAt(x[k], y[k], 1 - y[k]).l;
        } else {
          const cn = (seed === null ? scale : seed[n] * scale) / c;
          for (let j = 0; j < c; j++, k++) {
            const r = softplusPairAt(x[k], y[k], 1 - y[k]);
            row += w[j] * r.l;
            g[k] = r.g * (cn * w[j]);
          }
        }
        const l = c === 0 ? 0 : row / c;
        s += l;
        if (out !== null) out[n] = l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
