import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from './common.js';
import { coefAt, PAIR_INPUT1, PAIR_INPUT2, preparePairs, requirePlusMinusOne } from './common.js';

/**
 * torch's `cosine_embedding_loss` adds EPSILON = 1e-12 to each squared norm before the square root;
 * the constant is a C++ float, i.e. 9.999999960041972e-13 (measured on torch 1.13: the gradient at a
 * zero vector matches this value and differs by 2e-9 relative from the double 1e-12).
 */
export const COSINE_EMBEDDING_EPS = Math.fround(1e-12);

/** Cosine embedding loss, torch `cosine_embedding_loss`. */
export const cosineEmbedding = defineLoss({
  meta: {
    id: 'cosineEmbedding',
    task: 'ranking',
    title: 'Cosine embedding loss',
    summary:
      '1 − cos for similar pairs (y = 1) and max(0, cos − margin) for dissimilar pairs (y = −1).',
    formula:
      '\\ell_i = \\begin{cases} 1 - \\cos(x^{(1)}_i, x^{(2)}_i) & y_i = 1 \\\\ \\max\\bigl(0, \\cos(x^{(1)}_i, x^{(2)}_i) - m\\bigr) & y_i = -1 \\end{cases},\\quad \\cos = \\frac{x^{(1)}\\cdot x^{(2)}}{\\sqrt{(\\lVert x^{(1)}\\rVert^2+\\epsilon)(\\lVert x^{(2)}\\rVert^2+\\epsilon)}}',
    inputs: [
      PAIR_INPUT1,
      PAIR_INPUT2,
      {
        name: 'target',
        role: 'signLabels',
        shape: '(N) or ()',
        differentiable: false,
        kind: 'float',
        doc: '1 for a similar pair, -1 for a dissimilar one.',
      },
    ],
    options: {
      margin: {
        type: 'number',
        default: 0,
        doc: 'Cosine below which a dissimilar pair costs nothing (torch suggests 0 to 0.5).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch CosineEmbeddingLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.CosineEmbeddingLoss.html',
        implementation: 'torch.nn.functional.cosine_embedding_loss',
      },
    ],
    examples: [
      {
        title: 'A similar and a dissimilar pair',
        inputs: {
          input1: [
            [1, 0.5, -0.2],
            [0.3, -1, 0.8],
          ],
          input2: [
            [0.8, 0.7, 0.1],
            [0.5, -0.4, 0.9],
          ],
          target: [1, -1],
        },
        options: { margin: 0.2 },
      },
    ],
    whenToUse:
      'Metric learning on pair labels when only the direction of the embeddings matters (text and retrieval embeddings compared by cosine): similar pairs are pulled to cosine 1, dissimilar pairs pushed below the margin. The magnitude of the embeddings is left free.',
    caveats: [
      'A zero vector has cosine 0 but an enormous gradient (the 1e-12 inside the square roots is all that bounds it), as in torch: normalise or avoid all-zero embeddings.',
      'With margin 0 dissimilar pairs only need to be orthogonal; a positive margin is stricter, a negative one looser.',
      'Labels must be 1 or -1 (0 is rejected).',
    ],
    notes: [
      "eps = 1e-12 (as a float32 constant, as torch) is added to each squared norm (not F.cosine_similarity's clamp of the product of norms).",
      'At cos − margin = 0 the gradient of a dissimilar pair is the full slope (torch clamp_min).',
    ],
  },
  prepare: (inputs, options, id): PairPlan =>
    preparePairs(
      id,
      inputs.input1,
      inputs.input2,
      inputs.target,
      options.margin,
      requirePlusMinusOne,
    ),
  writesEveryGrad: true,
  kernel(plan: PairPlan, out, grads, seed, scale) {
    const { x1, x2, y, n, d, margin } = plan;
    const g1 = grads === null ? null : grads.input1;
    const g2 = grads === null ? null : grads.input2;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let i = b; i < e; i++) {
        const o = i * d;
        let p = 0;
        let a1 = 0;
        let a2 = 0;
        for (let k = 0; k < d; k++) {
          const u = x1[o + k];
          const v = x2[o + k];
          p += u * v;
          a1 += u * u;
          a2 += v * v;
        }
        a1 += COSINE_EMBEDDING_EPS;
        a2 += COSINE_EMBEDDING_EPS;
        const den = Math.sqrt(a1 * a2);
        const cos = p / den;
        const yi = y[i];
        const nan = yi - yi;
        const l = (yi === 1 ? 1 - cos : Math.max(cos - margin, 0)) + nan;
        s += l;
        if (out !== null) out[i] = l;
        if (g1 === null || g2 === null) continue;
        // dl/dcos: −1 for a similar pair; 1 where cos − margin ≥ 0 for a dissimilar one.
        const dc = ((yi === 1 ? -1 : cos - margin >= 0 ? 1 : 0) + nan) * coefAt(seed, scale, i);
        const f1 = (dc * cos) / a1;
        const f2 = (dc * cos) / a2;
        const fd = dc / den;
        for (let k = 0; k < d; k++) {
          const u = x1[o + k];
          const v = x2[o + k];
          g1[o + k] = fd * v - f1 * u;
          g2[o + k] = fd * u - f2 * v;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
