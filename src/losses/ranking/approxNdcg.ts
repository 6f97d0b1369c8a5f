import { defineLoss } from '../../core/define.js';
import { argsortStable } from '../../core/layout.js';
import { CompensatedSum, LN2, sigmoid, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { SlatePlan } from './common.js';
import {
  ALLRANK_EPS,
  coefAt,
  discounts,
  PADDED_RELEVANCE,
  SLATE_REDUCTION_NOTE,
  SLATE_RELEVANCE,
  SLATE_SCORES,
  slatePlan,
} from './common.js';

interface ApproxNdcgPlan extends SlatePlan {
  alpha: number;
  eps: number;
  /** D[p] = log2(2 + p), 0-based ideal positions. */
  disc: Float64Array;
  order: Int32Array;
  sortScratch: Int32Array;
  /** Approximate positions π̂_i, then ∂ℓ/∂π̂_i. */
  pos: Float64Array;
  /** Gains G_i (0 for padded items). */
  gain: Float64Array;
  /** Score gradient accumulator of one slate. */
  gs: Float64Array;
}

/** ApproxNDCG (Qin, Liu, Li 2010), allRank `approxNDCGLoss`: minus the smoothed NDCG. */
export const approxNdcg = defineLoss({
  meta: {
    id: 'approxNdcg',
    task: 'ranking',
    title: 'ApproxNDCG loss',
    summary:
      "Minus NDCG with each item's rank replaced by a sigmoid-smoothed rank, so that it can be differentiated.",
    formula:
      '\\ell_b = -\\sum_{i \\in V_b} \\frac{(2^{y_i} - 1)/\\mathrm{maxDCG}_b}{\\log_2(1 + \\hat\\pi_i)},\\quad \\hat\\pi_i = 1 + \\sum_{j \\in V_b, j \\ne i} \\max\\bigl(\\sigma(-\\alpha(s_i - s_j)), \\epsilon\\bigr)',
    inputs: [SLATE_SCORES, SLATE_RELEVANCE],
    options: {
      alpha: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'Sharpness of the sigmoid that smooths the ranks; larger is closer to the true NDCG but less smooth.',
      },
      eps: {
        type: 'number',
        default: ALLRANK_EPS,
        min: 0,
        doc: 'Lower clamp of each sigmoid term and of the ideal DCG (allRank DEFAULT_EPS).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Qin, Liu, Li (2010), A General Approximation Framework for Direct Optimization of Information Retrieval Measures',
        url: 'https://doi.org/10.1007/s10791-009-9124-x',
      },
      {
        title: 'allRank (Allegro), allrank/models/losses/approxNDCG.py',
        url: 'https://github.com/allegro/allRank/blob/c88475661cb72db292d13283fdbc4f2ae6498ee4/allrank/models/losses/approxNDCG.py',
        implementation: 'allrank.models.losses.approxNDCGLoss',
      },
    ],
    examples: [
      {
        title: 'Two slates, the second padded',
        inputs: {
          scores: [
            [0.5, 0.2, -0.1, 0.8],
            [1.2, 0.3, 0.9, 0],
          ],
          relevance: [
            [2, 0, 1, 3],
            [1, 0, 2, -1],
          ],
        },
      },
    ],
    whenToUse:
      'Learning to rank (search results, recommendations) when the evaluation metric is NDCG: the loss is (minus) a smooth approximation of NDCG itself, so the model directly optimises the top-heavy metric it will be judged by. Values lie in [−1, 0], −1 being a perfect ranking.',
    caveats: [
      'The smoothed rank is only close to the true rank when score gaps are large relative to 1/alpha; tune alpha with the score scale.',
      "There is no truncation at k (allRank implements none): all positions count, with NDCG's logarithmic discount.",
      'Slates whose items are all irrelevant (every gain 0) contribute 0 and no gradient; they still count in the mean.',
      'O(L²) per slate.',
    ],
    notes: [
      SLATE_REDUCTION_NOTE,
      'Discounts log2(1 + position) are computed in float64 (allRank computes them in float32).',
      "Gains are 2^relevance − 1, divided by the slate's ideal DCG (clamped at eps).",
    ],
  },
  prepare(inputs, options, id): ApproxNdcgPlan {
    const slate = slatePlan(id, inputs.scores, inputs.relevance);
    const { l } = slate;
    return {
      ...slate,
      alpha: options.alpha,
      eps: options.eps,
      disc: discounts(l),
      order: new Int32Array(l),
      sortScratch: new Int32Array(l),
      pos: new Float64Array(l),
      gain: new Float64Array(l),
      gs: new Float64Array(l),
    };
  },
  writesEveryGrad: true,
  kernel(plan: ApproxNdcgPlan, out, grads, seed, scale) {
    const { b, l, s, r, alpha, eps, disc, order, sortScratch, pos, gain, gs } = plan;
    const g = grads === null ? null : grads.scores;
    const acc = new CompensatedSum();
    for (let b0 = 0; b0 < b; b0 += SUM_BLOCK) {
      const b1 = Math.min(b, b0 + SUM_BLOCK);
      let sum = 0;
      for (let n = b0; n < b1; n++) {
        const o = n * l;
        // Ideal DCG: relevance sorted descending (padding −1 last, clamped to a gain of 0).
        argsortStable(r, o, 1, l, true, order, sortScratch);
        let maxDcg = 0;
        for (let k = 0; k < l; k++) maxDcg += (2 ** Math.max(r[o + order[k]], 0) - 1) / disc[k];
        maxDcg = Math.max(maxDcg, eps);
        for (let i = 0; i < l; i++) {
          const pad = r[o + i] === PADDED_RELEVANCE;
          gain[i] = pad ? 0 : (2 ** r[o + i] - 1) / maxDcg;
          let p = 1;
          if (!pad) {
            for (let j = 0; j < l; j++) {
              if (j === i || r[o + j] === PADDED_RELEVANCE) continue;
              p += Math.max(sigmoid(-alpha * (s[o + i] - s[o + j])), eps);
            }
          }
          pos[i] = p;
        }
        let ndcg = 0;
        for (let i = 0; i < l; i++) ndcg += gain[i] / Math.log2(1 + pos[i]);
        const loss = -ndcg;
        sum += loss;
        if (out !== null) out[n] = loss;
        if (g === null) continue;
        const c = coefAt(seed, scale, n);
        // ∂ℓ/∂π̂_i = G_i / ((1 + π̂_i)·ln 2·log2(1 + π̂_i)²); π̂_i moves with σ'(·) of each pair.
        for (let i = 0; i < l; i++) {
          const lg = Math.log2(1 + pos[i]);
          pos[i] = (c * gain[i]) / ((1 + pos[i]) * LN2 * lg * lg);
          gs[i] = 0;
        }
        for (let i = 0; i < l; i++) {
          if (r[o + i] === PADDED_RELEVANCE || gain[i] === 0) continue;
          for (let j = 0; j < l; j++) {
            if (j === i || r[o + j] === PADDED_RELEVANCE) continue;
            const h = sigmoid(-alpha * (s[o + i] - s[o + j]));
            // torch's clamp(min=eps) passes the gradient where h >= eps.
            const dh = h >= eps ? pos[i] * alpha * h * (1 - h) : 0;
            gs[i] -= dh;
            gs[j] += dh;
          }
        }
        for (let i = 0; i < l; i++) g[o + i] = gs[i];
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
