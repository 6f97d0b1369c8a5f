import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import type { Elem } from '../elementwise.js';
import { requirePlusMinusOne } from './common.js';

interface MarginRankingPlan extends Plan {
  x1: FloatArray;
  x2: FloatArray;
  y: FloatArray;
  margin: number;
}

/**
 * max(0, −y·(x1 − x2) + margin) and its derivative with respect to x1 (the one for x2 is its
 * negative). torch writes the hinge with `clamp_min`, whose gradient passes at exactly 0, so the
 * slope −y is kept where the hinge argument is 0 (select form, no branch on the data).
 */
function marginRankingAt(x1: number, x2: number, y: number, margin: number): Elem {
  const z = -y * (x1 - x2) + margin;
  return { l: Math.max(z, 0), g: z >= 0 ? -y : y - y };
}

/** Margin ranking loss, torch `margin_ranking_loss`. */
export const marginRanking = defineLoss({
  meta: {
    id: 'marginRanking',
    task: 'ranking',
    title: 'Margin ranking loss',
    summary:
      'Hinge on the score difference of two items: target 1 wants input1 ranked above input2 by margin.',
    formula: '\\ell_i = \\max\\bigl(0,\\; -y_i\\,(x^{(1)}_i - x^{(2)}_i) + m\\bigr)',
    inputs: [
      {
        name: 'input1',
        role: 'scores',
        shape: '(*)',
        differentiable: true,
        kind: 'float',
        doc: 'Scores of the first items.',
      },
      {
        name: 'input2',
        role: 'scores',
        shape: '(*) same as input1',
        differentiable: true,
        kind: 'float',
        doc: 'Scores of the second items.',
      },
      {
        name: 'target',
        role: 'signLabels',
        shape: '(*) same as input1',
        differentiable: false,
        kind: 'float',
        doc: '1 when input1 should rank higher, -1 when input2 should.',
      },
    ],
    options: {
      margin: {
        type: 'number',
        default: 0,
        doc: 'Required score gap; 0 only asks for the right order.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MarginRankingLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.MarginRankingLoss.html',
        implementation: 'torch.nn.functional.margin_ranking_loss',
      },
    ],
    examples: [
      {
        title: 'Three pairs, margin 0.5',
        inputs: { input1: [0.8, -0.2, 1.5], input2: [0.1, 0.4, 1.2], target: [1, 1, -1] },
        options: { margin: 0.5 },
      },
    ],
    whenToUse:
      'Pairwise ranking when the data are preference pairs (a should score above b): the loss is zero once the preferred item leads by the margin, so training concentrates on the pairs still in the wrong order. The simplest pairwise ranking loss; rankNet is its smooth logistic counterpart and lambdaLoss weighs pairs by their effect on NDCG.',
    caveats: [
      'The margin is in score units: with margin 0 a tie already costs nothing and nothing pushes the scores apart.',
      'Only the order of each pair is learnt; the scores are not calibrated probabilities.',
      'The target must be 1 or -1 (0 is rejected: torch would silently ignore the order).',
    ],
    notes: [
      'At a hinge argument of exactly 0 the gradient is the full slope (torch clamp_min).',
      "'mean' averages over all elements, as torch.",
      'input1, input2 and target must have the same shape (torch would broadcast them).',
    ],
  },
  prepare(inputs, options, id): MarginRankingPlan {
    const { input1, input2, target } = inputs;
    requireSameShape(id, { name: 'input1', tensor: input1 }, { name: 'input2', tensor: input2 });
    requireSameShape(id, { name: 'input1', tensor: input1 }, { name: 'target', tensor: target });
    requirePlusMinusOne(id, 'target', target.data);
    return {
      size: input1.data.length,
      outShape: input1.shape,
      x1: input1.data,
      x2: input2.data,
      y: target.data,
      margin: options.margin,
    };
  },
  writesEveryGrad: true,
  kernel(plan: MarginRankingPlan, out, grads, seed, scale) {
    const { x1, x2, y, margin, size: n } = plan;
    const g1 = grads === null ? null : grads.input1;
    const g2 = grads === null ? null : grads.input2;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g1 !== null && g2 !== null && out === null && seed === null) {
        for (let i = b; i < e; i++) {
          const r = marginRankingAt(x1[i], x2[i], y[i], margin);
          s += r.l;
          const g = r.g * scale;
          g1[i] = g;
          g2[i] = 0 - g;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = marginRankingAt(x1[i], x2[i], y[i], margin);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g1 !== null && g2 !== null) {
            const g = r.g * (seed === null ? scale : seed[i] * scale);
            g1[i] = g;
            g2[i] = 0 - g;
          }
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
