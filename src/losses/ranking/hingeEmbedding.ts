import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import type { Elem } from '../elementwise.js';
import { requirePlusMinusOne } from './common.js';

interface HingeEmbeddingPlan extends Plan {
  x: FloatArray;
  y: FloatArray;
  margin: number;
}

/**
 * y = 1: x (slope 1); y = −1: max(0, margin − x) (slope −1 where margin − x ≥ 0, torch's clamp_min
 * keeping the slope at 0). Select forms; y − y is 0 for a label and NaN for a NaN label, so a NaN
 * label propagates to value and gradient.
 */
function hingeEmbeddingAt(x: number, y: number, margin: number): Elem {
  const z = margin - x;
  const nan = y - y;
  return y === 1
    ? { l: x + nan, g: 1 + nan }
    : { l: Math.max(z, 0) + nan, g: (z >= 0 ? -1 : 0) + nan };
}

/** Hinge embedding loss, torch `hinge_embedding_loss`. */
export const hingeEmbedding = defineLoss({
  meta: {
    id: 'hingeEmbedding',
    task: 'ranking',
    title: 'Hinge embedding loss',
    summary:
      'For distances x: x itself for similar pairs (y = 1), max(0, margin − x) for dissimilar ones (y = −1).',
    formula:
      '\\ell_i = \\begin{cases} x_i & y_i = 1 \\\\ \\max(0, m - x_i) & y_i = -1 \\end{cases}',
    inputs: [
      {
        name: 'input',
        role: 'distances',
        shape: '(*)',
        differentiable: true,
        kind: 'float',
        doc: 'Usually a distance (e.g. L1) between the two embeddings of a pair.',
      },
      {
        name: 'target',
        role: 'signLabels',
        shape: '(*) same as input',
        differentiable: false,
        kind: 'float',
        doc: '1 for a similar pair, -1 for a dissimilar one.',
      },
    ],
    options: {
      margin: {
        type: 'number',
        default: 1,
        doc: 'Distance beyond which a dissimilar pair costs nothing.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch HingeEmbeddingLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.HingeEmbeddingLoss.html',
        implementation: 'torch.nn.functional.hinge_embedding_loss',
      },
    ],
    examples: [
      {
        title: 'Two similar and two dissimilar pairs',
        inputs: { input: [0.3, 1.7, 0.4, 2.5], target: [1, 1, -1, -1] },
      },
    ],
    whenToUse:
      'Learning a distance from pair labels when the model already outputs a distance per pair: similar pairs are pulled together linearly, dissimilar pairs pushed out to the margin and then left alone. A lightweight relative of contrastive (which squares both terms and takes embeddings).',
    caveats: [
      'The input must be a non-negative distance for the loss to make sense; nothing stops a negative input from lowering the similar-pair term without bound.',
      'The similar-pair term has constant slope 1, so it keeps pulling even at tiny distances (unlike the squared term of contrastive).',
      'Labels must be 1 or -1; 0/1 labels are rejected.',
    ],
    notes: ['At margin − x = 0 the gradient is −1 (torch clamp_min).'],
  },
  prepare(inputs, options, id): HingeEmbeddingPlan {
    const { input, target } = inputs;
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    requirePlusMinusOne(id, 'target', target.data);
    return {
      size: input.data.length,
      outShape: input.shape,
      x: input.data,
      y: target.data,
      margin: options.margin,
    };
  },
  writesEveryGrad: true,
  kernel(plan: HingeEmbeddingPlan, out, grads, seed, scale) {
    const { x, y, margin, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        for (let i = b; i < e; i++) {
          const r = hingeEmbeddingAt(x[i], y[i], margin);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = hingeEmbeddingAt(x[i], y[i], margin);
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
