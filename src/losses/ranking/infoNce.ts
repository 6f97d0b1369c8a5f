import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import {
  coefAt,
  CONTRASTIVE_EXAMPLE_VIEWS,
  embeddingRows,
  normalizeBackwardInto,
  normalizeRowsInto,
  ROW_BLOCK,
  similarityCrossEntropy,
} from './common.js';

interface InfoNcePlan extends Plan {
  n: number;
  d: number;
  invTau: number;
  normalize: boolean;
  /** F.normalize(query) and F.normalize(key) (or copies), float64, N × D. */
  qHat: Float64Array;
  kHat: Float64Array;
  qNorm: Float64Array;
  kNorm: Float64Array;
  /** ROW_BLOCK × N similarity block, reused for the softmax and its gradient. */
  block: Float64Array;
  rowLoss: Float64Array;
  rowWeight: Float64Array;
  gq: Float64Array;
  gk: Float64Array;
}

/** In-batch InfoNCE (one direction): query i's positive is key i, every other key a negative. */
export const infoNce = defineLoss({
  meta: {
    id: 'infoNce',
    task: 'ranking',
    title: 'InfoNCE (in-batch, one direction)',
    summary:
      'Cross-entropy of picking key i for query i among all keys of the batch, over cosine similarity / temperature.',
    formula:
      '\\ell_i = -\\log \\frac{\\exp(s(q_i, k_i)/\\tau)}{\\sum_{j=1}^{N} \\exp(s(q_i, k_j)/\\tau)},\\quad s(q, k) = \\frac{q}{\\max(\\lVert q\\rVert, \\epsilon)}\\cdot\\frac{k}{\\max(\\lVert k\\rVert, \\epsilon)}',
    inputs: [
      {
        name: 'query',
        role: 'embeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Query embeddings (one view, or the first modality).',
      },
      {
        name: 'key',
        role: 'embeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Key embeddings; key i is the positive of query i.',
      },
    ],
    options: {
      temperature: {
        type: 'number',
        default: 0.07,
        min: 0,
        exclusiveMin: true,
        doc: 'Softmax temperature τ dividing the similarities (MoCo and CLIP use 0.07).',
      },
      normalize: {
        type: 'boolean',
        default: true,
        doc: 'L2-normalise both sets (cosine similarity, F.normalize with eps 1e-12); false uses the raw dot product.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'van den Oord, Li, Vinyals (2018), Representation Learning with Contrastive Predictive Coding',
        url: 'https://arxiv.org/abs/1807.03748',
      },
      {
        title:
          'He, Fan, Wu, Xie, Girshick (2020), Momentum Contrast for Unsupervised Visual Representation Learning',
        url: 'https://arxiv.org/abs/1911.05722',
      },
      {
        title: 'PyTorch cross_entropy over F.normalize(query) @ F.normalize(key).T / temperature',
        implementation: 'torch.nn.functional.cross_entropy(logits, arange(N))',
      },
    ],
    examples: [
      {
        title: 'Three query/key pairs',
        inputs: { query: CONTRASTIVE_EXAMPLE_VIEWS.a, key: CONTRASTIVE_EXAMPLE_VIEWS.b },
        options: { temperature: 0.5 },
      },
    ],
    whenToUse:
      'Contrastive representation learning with paired data (two augmentations, image and caption, query and document): each query must pick its own key out of the batch, so every other key of the batch serves as a negative for free. Use it for asymmetric pairs (retrieval, MoCo-style queries against keys); use ntXent when both views play the same role, and average infoNce in both directions for CLIP.',
    caveats: [
      'The temperature matters a lot: small τ (0.05 to 0.1) focuses on the hardest negatives and can be unstable, large τ treats all negatives alike.',
      'More negatives (larger batches) give a tighter bound on mutual information; tiny batches make the task too easy.',
      'Duplicates in a batch (two rows that are the same item) are treated as negatives of each other.',
      'With normalize = false the logits grow with the embedding norms; keep the embeddings normalised or the temperature adapted.',
    ],
    notes: [
      "'none' gives one value per query; 'mean' averages over the N queries (torch cross_entropy's mean).",
      'The similarity matrix is computed once, in blocks of 32 query rows, and reused for the softmax gradient.',
    ],
  },
  prepare(inputs, options, id): InfoNcePlan {
    const { query, key } = inputs;
    const rows = embeddingRows(
      id,
      [
        ['query', query],
        ['key', key],
      ],
      [2],
    );
    const { n, d } = rows;
    const normalize = options.normalize;
    const qHat = new Float64Array(n * d);
    const kHat = new Float64Array(n * d);
    const qNorm = new Float64Array(n);
    const kNorm = new Float64Array(n);
    normalizeRowsInto(query.data, qHat, qNorm, n, d, normalize);
    normalizeRowsInto(key.data, kHat, kNorm, n, d, normalize);
    return {
      size: n,
      outShape: [n],
      n,
      d,
      invTau: 1 / options.temperature,
      normalize,
      qHat,
      kHat,
      qNorm,
      kNorm,
      block: new Float64Array(Math.min(ROW_BLOCK, n) * n),
      rowLoss: new Float64Array(n),
      rowWeight: new Float64Array(n),
      gq: new Float64Array(n * d),
      gk: new Float64Array(n * d),
    };
  },
  writesEveryGrad: true,
  kernel(plan: InfoNcePlan, out, grads, seed, scale) {
    const { n, d, invTau, normalize, qHat, kHat, rowLoss, rowWeight, gq, gk } = plan;
    if (grads !== null) {
      for (let i = 0; i < n; i++) rowWeight[i] = coefAt(seed, scale, i);
      gq.fill(0);
      gk.fill(0);
    }
    similarityCrossEntropy(
      qHat,
      kHat,
      n,
      n,
      d,
      invTau,
      0,
      false,
      plan.block,
      rowLoss,
      grads === null ? null : rowWeight,
      grads === null ? null : gq,
      grads === null ? null : gk,
    );
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let i = b; i < e; i++) {
        s += rowLoss[i];
        if (out !== null) out[i] = rowLoss[i];
      }
      acc.add(s);
    }
    if (grads !== null) {
      normalizeBackwardInto(gq, qHat, plan.qNorm, grads.query, 0, n, d, normalize);
      normalizeBackwardInto(gk, kHat, plan.kNorm, grads.key, 0, n, d, normalize);
    }
    return acc.value();
  },
});
