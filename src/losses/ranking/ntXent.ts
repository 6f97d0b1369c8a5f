import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray, Tensor } from '../../core/tensor.js';
import {
  coefAt,
  CONTRASTIVE_EXAMPLE_VIEWS,
  embeddingRows,
  normalizeBackwardInto,
  normalizeRowsInto,
  ROW_BLOCK,
  similarityCrossEntropy,
} from './common.js';

/**
 * The plan of symmetric NT-Xent over 2N views: Ẑ = F.normalize([z1; z2]) in float64, a block of
 * similarity rows, per-view losses and gradient accumulators. Exported with `prepareNtXent` and
 * `ntXentKernel` so that other entries computing the same function (the graph family's
 * graphContrastive, GRACE) reuse this one kernel.
 */
export interface NtXentPlan extends Plan {
  n: number;
  d: number;
  invTau: number;
  zHat: Float64Array;
  norms: Float64Array;
  block: Float64Array;
  viewLoss: Float64Array;
  viewWeight: Float64Array;
  gz: Float64Array;
}

/**
 * Validates z1, z2 (both (N, D), named as given in `names`) and builds the NT-Xent plan. The
 * 'none' output has one value per pair i: ½(ℓ(z1_i, z2_i) + ℓ(z2_i, z1_i)).
 */
export function prepareNtXent(
  id: string,
  z1: Tensor<FloatArray>,
  z2: Tensor<FloatArray>,
  temperature: number,
  names: readonly [string, string] = ['z1', 'z2'],
): NtXentPlan {
  const { n, d } = embeddingRows(
    id,
    [
      [names[0], z1],
      [names[1], z2],
    ],
    [2],
  );
  const m = 2 * n;
  const zHat = new Float64Array(m * d);
  const norms = new Float64Array(m);
  normalizeRowsInto(z1.data, zHat, norms, n, d, true);
  normalizeRowsInto(z2.data, zHat.subarray(n * d), norms.subarray(n), n, d, true);
  return {
    size: n,
    outShape: [n],
    n,
    d,
    invTau: 1 / temperature,
    zHat,
    norms,
    block: new Float64Array(Math.min(ROW_BLOCK, m) * m),
    viewLoss: new Float64Array(m),
    viewWeight: new Float64Array(m),
    gz: new Float64Array(m * d),
  };
}

/**
 * The NT-Xent kernel (contract of core/define.ts): view v < 2N has logits ẑ_v·ẑ_u/τ over every
 * u ≠ v, its positive u = v ± N; pair i's loss is the mean of its two views' cross-entropies.
 * Assigns every gradient element.
 */
export function ntXentKernel(
  plan: NtXentPlan,
  out: FloatArray | null,
  grads: { readonly z1: FloatArray; readonly z2: FloatArray } | null,
  seed: FloatArray | null,
  scale: number,
): number {
  const { n, d, invTau, zHat, norms, viewLoss, viewWeight, gz } = plan;
  const m = 2 * n;
  if (grads !== null) {
    for (let i = 0; i < n; i++) {
      const w = 0.5 * coefAt(seed, scale, i);
      viewWeight[i] = w;
      viewWeight[i + n] = w;
    }
    gz.fill(0);
  }
  similarityCrossEntropy(
    zHat,
    zHat,
    m,
    m,
    d,
    invTau,
    n,
    true,
    plan.block,
    viewLoss,
    grads === null ? null : viewWeight,
    grads === null ? null : gz,
    grads === null ? null : gz,
  );
  const acc = new CompensatedSum();
  for (let b = 0; b < n; b += SUM_BLOCK) {
    const e = Math.min(n, b + SUM_BLOCK);
    let s = 0;
    for (let i = b; i < e; i++) {
      const l = 0.5 * (viewLoss[i] + viewLoss[i + n]);
      s += l;
      if (out !== null) out[i] = l;
    }
    acc.add(s);
  }
  if (grads !== null) {
    const h = n * d;
    normalizeBackwardInto(gz, zHat, norms, grads.z1, 0, n, d, true);
    normalizeBackwardInto(
      gz.subarray(h),
      zHat.subarray(h),
      norms.subarray(n),
      grads.z2,
      0,
      n,
      d,
      true,
    );
  }
  return acc.value();
}

/** SimCLR's NT-Xent (normalised temperature-scaled cross-entropy), symmetric over both views. */
export const ntXent = defineLoss({
  meta: {
    id: 'ntXent',
    task: 'ranking',
    title: 'NT-Xent (SimCLR / GRACE contrastive loss)',
    summary:
      'Each of the 2N views must pick its partner view among the other 2N − 1, by cosine similarity / temperature.',
    formula:
      '\\ell(u_i, v_i) = -\\log \\frac{e^{\\theta(u_i, v_i)/\\tau}}{\\sum_{k} e^{\\theta(u_i, v_k)/\\tau} + \\sum_{k \\ne i} e^{\\theta(u_i, u_k)/\\tau}},\\quad L_i = \\tfrac12\\bigl(\\ell(u_i, v_i) + \\ell(v_i, u_i)\\bigr)',
    inputs: [
      {
        name: 'z1',
        role: 'embeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Projections of the first view of each sample.',
      },
      {
        name: 'z2',
        role: 'embeddings',
        shape: '(N, D)',
        differentiable: true,
        kind: 'float',
        doc: 'Projections of the second view; z2_i is the positive of z1_i.',
      },
    ],
    options: {
      temperature: {
        type: 'number',
        default: 0.5,
        min: 0,
        exclusiveMin: true,
        doc: 'Temperature τ (SimCLR tunes 0.1 to 1; GRACE uses 0.4 to 0.9 per dataset, default 0.5).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Chen, Kornblith, Norouzi, Hinton (2020), A Simple Framework for Contrastive Learning of Visual Representations (SimCLR)',
        url: 'https://arxiv.org/abs/2002.05709',
      },
      {
        title:
          'Zhu, Xu, Yu, Liu, Wu, Wang (2020), Deep Graph Contrastive Representation Learning (GRACE)',
        url: 'https://arxiv.org/abs/2006.04131',
        implementation: 'CRIPAC-DIG/GRACE model.py GRACE.loss (mean=True)',
      },
    ],
    examples: [
      {
        title: 'Three samples, two views each',
        inputs: { z1: CONTRASTIVE_EXAMPLE_VIEWS.a, z2: CONTRASTIVE_EXAMPLE_VIEWS.b },
      },
    ],
    whenToUse:
      'Self-supervised contrastive learning with two augmented views of each sample (SimCLR for images, GRACE for graph nodes): both views play the same role, and the negatives of a view are all 2N − 2 other views of the batch, from both sets. Prefer infoNce for asymmetric query/key pairs.',
    caveats: [
      'Needs large batches (SimCLR used 4096) for enough negatives; small batches weaken the signal.',
      'Temperature is the main hyperparameter (SimCLR: 0.1 to 0.5 with normalised embeddings).',
      'The loss is computed on the projection head output; downstream tasks use the representation before it.',
      "Embeddings are always L2-normalised (cosine similarity); pytorch-metric-learning's NTXentLoss defaults to τ = 0.07 and takes labels instead of two aligned views.",
    ],
    notes: [
      "'none' gives per pair ½(ℓ(z1_i, z2_i) + ℓ(z2_i, z1_i)) (N values), 'mean' their mean (GRACE's loss), 'sum' their sum.",
      'The same function as graphContrastive; the (2N)² similarity matrix is computed once, in blocks of 32 rows, and reused for the gradient.',
    ],
  },
  prepare: (inputs, options, id): NtXentPlan =>
    prepareNtXent(id, inputs.z1, inputs.z2, options.temperature),
  writesEveryGrad: true,
  kernel: ntXentKernel,
});
