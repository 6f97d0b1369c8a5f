import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { coefAt, embeddingRows } from './common.js';

interface TripletPlan extends Plan {
  a: FloatArray;
  pos: FloatArray;
  neg: FloatArray;
  n: number;
  d: number;
  margin: number;
  p: number;
  eps: number;
  swap: boolean;
  /** Three float64 difference rows (a − p + eps, a − n + eps, p − n + eps). */
  diff: Float64Array;
}

/** ‖v‖_p of v = diff[o .. o + d). */
function pNorm(v: Float64Array, o: number, d: number, p: number): number {
  let s = 0;
  if (p === 2) {
    for (let k = 0; k < d; k++) s += v[o + k] * v[o + k];
    return Math.sqrt(s);
  }
  if (p === 1) {
    for (let k = 0; k < d; k++) s += Math.abs(v[o + k]);
    return s;
  }
  for (let k = 0; k < d; k++) s += Math.abs(v[o + k]) ** p;
  return s ** (1 / p);
}

/**
 * Overwrites v (d entries at o) with w·∂‖v‖_p/∂v: w·v/‖v‖ for p = 2, w·sign(v) for p = 1,
 * w·sign(v)|v|^{p−1}/‖v‖^{p−1} otherwise; 0 when ‖v‖ = 0 (torch's norm backward).
 */
function pNormGradInPlace(
  v: Float64Array,
  o: number,
  d: number,
  p: number,
  nrm: number,
  w: number,
): void {
  if (nrm === 0 || w === 0) {
    for (let k = 0; k < d; k++) v[o + k] = 0;
    return;
  }
  if (p === 2) {
    const f = w / nrm;
    for (let k = 0; k < d; k++) v[o + k] *= f;
  } else if (p === 1) {
    for (let k = 0; k < d; k++) v[o + k] = w * Math.sign(v[o + k]);
  } else {
    const f = w / nrm ** (p - 1);
    for (let k = 0; k < d; k++) v[o + k] = f * Math.sign(v[o + k]) * Math.abs(v[o + k]) ** (p - 1);
  }
}

const EMBEDDING = {
  role: 'embeddings',
  differentiable: true,
  kind: 'float',
} as const;

/** Triplet margin loss, torch `triplet_margin_loss`. */
export const tripletMargin = defineLoss({
  meta: {
    id: 'tripletMargin',
    task: 'ranking',
    title: 'Triplet margin loss',
    summary:
      'Hinge asking the anchor to be closer to its positive than to its negative by a margin.',
    formula:
      '\\ell_i = \\max\\bigl(0,\\; m + d(a_i, p_i) - d(a_i, n_i)\\bigr),\\quad d(x, y) = \\lVert x - y + \\epsilon \\rVert_p',
    inputs: [
      { ...EMBEDDING, name: 'anchor', shape: '(N, D) or (D)', doc: 'Anchor embeddings.' },
      {
        ...EMBEDDING,
        name: 'positive',
        shape: 'same as anchor',
        doc: 'Embeddings of the same class as the anchor.',
      },
      {
        ...EMBEDDING,
        name: 'negative',
        shape: 'same as anchor',
        doc: 'Embeddings of another class.',
      },
    ],
    options: {
      margin: {
        type: 'number',
        default: 1,
        doc: 'Required gap between the negative and the positive distance.',
      },
      p: { type: 'number', default: 2, min: 1, doc: 'Degree of the p-norm distance (>= 1).' },
      eps: {
        type: 'number',
        default: 1e-6,
        min: 0,
        doc: 'Added to every component of the difference before the norm (torch pairwise_distance).',
      },
      swap: {
        type: 'boolean',
        default: false,
        doc: 'Distance swap (Balntas et al. 2016): use min(d(a, n), d(p, n)) as the negative distance.',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Schroff, Kalenichenko, Philbin (2015), FaceNet: A Unified Embedding for Face Recognition and Clustering',
        url: 'https://arxiv.org/abs/1503.03832',
      },
      {
        title:
          'Balntas, Riba, Ponsa, Mikolajczyk (2016), Learning local feature descriptors with triplets and shallow convolutional neural networks',
        url: 'https://bmva-archive.org.uk/bmvc/2016/papers/paper119/index.html',
      },
      {
        title: 'PyTorch TripletMarginLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.TripletMarginLoss.html',
        implementation: 'torch.nn.functional.triplet_margin_loss',
      },
    ],
    examples: [
      {
        title: 'Two triplets',
        inputs: {
          anchor: [
            [0.2, 0.9],
            [-0.5, 0.3],
          ],
          positive: [
            [0.4, 0.6],
            [-0.1, 0.8],
          ],
          negative: [
            [0.1, 1.2],
            [0.9, -0.7],
          ],
        },
      },
      {
        title: 'L1 distance with the swap',
        inputs: { anchor: [[0.5, -1]], positive: [[0.9, -0.2]], negative: [[0.1, -0.5]] },
        options: { p: 1, swap: true, margin: 0.5 },
      },
    ],
    whenToUse:
      'Metric learning from relative judgements (face recognition, image retrieval, person re-identification): only the ordering "the positive is closer than the negative" is asked for, by a margin, so embeddings need no absolute distance scale. Use swap to also use the positive as an anchor for the negative (harder negatives at no extra cost).',
    caveats: [
      'Which triplets are fed matters more than the loss: random triplets quickly satisfy the margin and give zero gradient; mine semi-hard or hard negatives.',
      'torch adds eps to the difference (not to the norm), so d(x, x) = eps·D^(1/p), not 0.',
      "pytorch-metric-learning's TripletMarginLoss differs: margin 0.05, L2-normalised embeddings, and a mean over the non-zero triplets only.",
    ],
    notes: [
      'At m + d(a, p) − d(a, n) = 0 the gradient is the full slope (torch clamp_min).',
      'With swap and d(a, n) = d(p, n) exactly, each distance receives half the gradient (torch.min).',
      "'mean' averages over the N triplets.",
      'p must be >= 1 (a norm); torch also accepts 0 < p < 1.',
    ],
  },
  prepare(inputs, options, id): TripletPlan {
    const { anchor, positive, negative } = inputs;
    const rows = embeddingRows(id, [
      ['anchor', anchor],
      ['positive', positive],
      ['negative', negative],
    ]);
    return {
      size: rows.n,
      outShape: rows.outShape,
      a: anchor.data,
      pos: positive.data,
      neg: negative.data,
      n: rows.n,
      d: rows.d,
      margin: options.margin,
      p: options.p,
      eps: options.eps,
      swap: options.swap,
      diff: new Float64Array(3 * rows.d),
    };
  },
  writesEveryGrad: true,
  kernel(plan: TripletPlan, out, grads, seed, scale) {
    const { a, pos, neg, n, d, margin, p, eps, swap, diff } = plan;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let i = b; i < e; i++) {
        const o = i * d;
        for (let k = 0; k < d; k++) {
          diff[k] = a[o + k] - pos[o + k] + eps;
          diff[d + k] = a[o + k] - neg[o + k] + eps;
          if (swap) diff[2 * d + k] = pos[o + k] - neg[o + k] + eps;
        }
        const dPos = pNorm(diff, 0, d, p);
        const dAn = pNorm(diff, d, d, p);
        const dSw = swap ? pNorm(diff, 2 * d, d, p) : Infinity;
        const dNeg = Math.min(dAn, dSw);
        const z = margin + dPos - dNeg;
        const l = Math.max(z, 0);
        s += l;
        if (out !== null) out[i] = l;
        if (grads === null) continue;
        const c = z >= 0 ? coefAt(seed, scale, i) : 0;
        // torch.min(d_an, d_swap): the smaller one takes the gradient, a tie halves it.
        const wAn = swap ? (dAn < dSw ? 1 : dAn === dSw ? 0.5 : 0) : 1;
        const wSw = swap ? 1 - wAn : 0;
        pNormGradInPlace(diff, 0, d, p, dPos, c);
        pNormGradInPlace(diff, d, d, p, dAn, c * wAn);
        if (swap) pNormGradInPlace(diff, 2 * d, d, p, dSw, c * wSw);
        const ga = grads.anchor;
        const gp = grads.positive;
        const gn = grads.negative;
        for (let k = 0; k < d; k++) {
          const gPos = diff[k];
          const gAn = diff[d + k];
          const gSw = swap ? diff[2 * d + k] : 0;
          ga[o + k] = gPos - gAn;
          gp[o + k] = 0 - gPos - gSw;
          gn[o + k] = gAn + gSw;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
