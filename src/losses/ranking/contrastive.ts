import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from './common.js';
import { coefAt, PAIR_INPUT1, PAIR_INPUT2, preparePairs, requireZeroOne } from './common.js';

/** Contrastive loss of Hadsell, Chopra and LeCun (2006). */
export const contrastive = defineLoss({
  meta: {
    id: 'contrastive',
    task: 'ranking',
    title: 'Contrastive loss (Hadsell et al.)',
    summary:
      'Pulls similar pairs together (½d²) and pushes dissimilar pairs out to the margin (½max(0, m − d)²).',
    formula:
      '\\ell_i = y_i\\,\\tfrac12 d_i^2 + (1 - y_i)\\,\\tfrac12 \\max(0, m - d_i)^2,\\quad d_i = \\lVert x^{(1)}_i - x^{(2)}_i \\rVert_2',
    inputs: [
      PAIR_INPUT1,
      PAIR_INPUT2,
      {
        name: 'target',
        role: 'binaryLabels',
        shape: '(N) or ()',
        differentiable: false,
        kind: 'float',
        doc: '1 for a similar pair, 0 for a dissimilar one.',
      },
    ],
    options: {
      margin: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Distance beyond which a dissimilar pair costs nothing.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Hadsell, Chopra, LeCun (2006), Dimensionality Reduction by Learning an Invariant Mapping',
        url: 'https://doi.org/10.1109/CVPR.2006.100',
        implementation: "the paper's Eq. 4 with the plain Euclidean distance",
      },
    ],
    examples: [
      {
        title: 'A similar and a dissimilar pair',
        inputs: {
          input1: [
            [0.5, 1, -0.3],
            [0.2, -0.4, 0.6],
          ],
          input2: [
            [0.1, 0.7, 0.2],
            [0.4, -0.1, 0.3],
          ],
          target: [1, 0],
        },
      },
    ],
    whenToUse:
      'Siamese networks trained on pair labels (same / different): similar pairs are pulled together with a spring-like quadratic, dissimilar pairs only pushed until they are margin apart, so the embedding does not collapse and does not explode. The classic loss for learning an invariant mapping or a verification metric from pairs; prefer tripletMargin or ntXent when relative or in-batch comparisons are available.',
    caveats: [
      'Labels are 1 = similar, 0 = dissimilar here (Hadsell et al. write Y = 0 for similar); other conventions (±1) are rejected.',
      'The margin is in embedding-distance units: rescaling the embeddings changes which dissimilar pairs still count.',
      "pytorch-metric-learning's ContrastiveLoss is different: unsquared hinges relu(d − pos_margin) and relu(neg_margin − d), L2-normalised embeddings, and a mean over the non-zero pairs.",
    ],
    notes: [
      'd is the plain Euclidean distance (no eps); at d = 0 the gradient of the dissimilar term is 0.',
      'No ½ is dropped: a similar pair at distance d costs d²/2, as in the paper.',
    ],
  },
  prepare: (inputs, options, id): PairPlan =>
    preparePairs(id, inputs.input1, inputs.input2, inputs.target, options.margin, requireZeroOne),
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
        let ss = 0;
        for (let k = 0; k < d; k++) {
          const v = x1[o + k] - x2[o + k];
          ss += v * v;
        }
        const dist = Math.sqrt(ss);
        const h = Math.max(margin - dist, 0);
        const yi = y[i];
        const l = yi * 0.5 * ss + (1 - yi) * 0.5 * h * h;
        s += l;
        if (out !== null) out[i] = l;
        if (g1 === null || g2 === null) continue;
        // ∂ℓ/∂(x1 − x2) = [y − (1 − y)·h/d]·(x1 − x2), the dissimilar part 0 at d = 0.
        const c = coefAt(seed, scale, i);
        const f = (yi - (dist > 0 ? ((1 - yi) * h) / dist : 0)) * c;
        for (let k = 0; k < d; k++) {
          const g = f * (x1[o + k] - x2[o + k]);
          g1[o + k] = g;
          g2[o + k] = 0 - g;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
