import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { SlatePlan } from './common.js';
import {
  ALLRANK_EPS,
  coefAt,
  PADDED_RELEVANCE,
  SLATE_REDUCTION_NOTE,
  SLATE_RELEVANCE,
  SLATE_SCORES,
  slatePlan,
} from './common.js';

interface ListNetPlan extends SlatePlan {
  eps: number;
  /** Softmax numerators of the scores (p) and of the relevance (q), one slate, float64. */
  p: Float64Array;
  q: Float64Array;
}

/** ListNet (top-one approximation), allRank `listNet`. */
export const listNet = defineLoss({
  meta: {
    id: 'listNet',
    task: 'ranking',
    title: 'ListNet (top-one probability cross-entropy)',
    summary:
      'Cross-entropy between the softmax of the relevance and the softmax of the scores of each slate.',
    formula:
      '\\ell_b = -\\sum_{i \\in V_b} \\operatorname{softmax}(y_b)_i \\,\\log\\bigl(\\operatorname{softmax}(s_b)_i + \\epsilon\\bigr)',
    inputs: [SLATE_SCORES, SLATE_RELEVANCE],
    options: {
      eps: {
        type: 'number',
        default: ALLRANK_EPS,
        min: 0,
        doc: 'Added to each score probability inside the log (allRank DEFAULT_EPS).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Cao, Qin, Liu, Tsai, Li (2007), Learning to Rank: From Pairwise Approach to Listwise Approach',
        url: 'https://doi.org/10.1145/1273496.1273513',
      },
      {
        title: 'allRank (Allegro), allrank/models/losses/listNet.py',
        url: 'https://github.com/allegro/allRank/blob/c88475661cb72db292d13283fdbc4f2ae6498ee4/allrank/models/losses/listNet.py',
        implementation: 'allrank.models.losses.listNet',
      },
    ],
    examples: [
      {
        title: 'Two slates, the second padded',
        inputs: {
          scores: [
            [0.5, 0.2, -0.1],
            [1.2, 0.3, 0.9],
          ],
          relevance: [
            [2, 0, 1],
            [1, 0, -1],
          ],
        },
      },
    ],
    whenToUse:
      'Listwise learning to rank with graded relevance when a smooth, cheap loss is wanted: the whole slate is compared at once as two top-one distributions, in O(L) per slate. A strong, simple baseline; use listMle when the full order matters, approxNdcg or lambdaLoss to target NDCG directly.',
    caveats: [
      'The relevance is softmaxed as it is (temperature 1): relevance grades 0 to 4 give a much peakier target than grades 0 to 1, so rescale labels deliberately.',
      'It does not focus on the top of the ranking as NDCG does; all positions weigh alike.',
      'With eps > 0 the minimum is not exactly at softmax(scores) = softmax(relevance) (off by O(eps)).',
    ],
    notes: [
      SLATE_REDUCTION_NOTE,
      'With eps = 0 the gradient is exactly softmax(scores) − softmax(relevance).',
    ],
  },
  prepare(inputs, options, id): ListNetPlan {
    const slate = slatePlan(id, inputs.scores, inputs.relevance);
    const { l } = slate;
    return {
      ...slate,
      eps: options.eps,
      p: new Float64Array(l),
      q: new Float64Array(l),
    };
  },
  writesEveryGrad: true,
  kernel(plan: ListNetPlan, out, grads, seed, scale) {
    const { b, l, s, r, eps, p, q } = plan;
    const g = grads === null ? null : grads.scores;
    const acc = new CompensatedSum();
    for (let b0 = 0; b0 < b; b0 += SUM_BLOCK) {
      const b1 = Math.min(b, b0 + SUM_BLOCK);
      let sum = 0;
      for (let n = b0; n < b1; n++) {
        const o = n * l;
        let ms = -Infinity;
        let mr = -Infinity;
        let valid = 0;
        for (let i = 0; i < l; i++) {
          if (r[o + i] === PADDED_RELEVANCE) continue;
          valid++;
          if (s[o + i] > ms) ms = s[o + i];
          if (r[o + i] > mr) mr = r[o + i];
        }
        if (valid === 0) {
          if (out !== null) out[n] = 0;
          if (g !== null) for (let i = 0; i < l; i++) g[o + i] = 0;
          continue;
        }
        let zs = 0;
        let zr = 0;
        for (let i = 0; i < l; i++) {
          const pad = r[o + i] === PADDED_RELEVANCE;
          const ep = pad ? 0 : Math.exp(s[o + i] - ms);
          const eq = pad ? 0 : Math.exp(r[o + i] - mr);
          p[i] = ep;
          q[i] = eq;
          zs += ep;
          zr += eq;
        }
        let loss = 0;
        let wsum = 0;
        for (let i = 0; i < l; i++) {
          if (r[o + i] === PADDED_RELEVANCE) continue;
          const pi = p[i] / zs;
          const qi = q[i] / zr;
          p[i] = pi;
          q[i] = qi;
          loss -= qi * Math.log(pi + eps);
          // w_i = q_i·p_i/(p_i + eps): the score gradient is p_j·Σw − w_j.
          const w = (qi * pi) / (pi + eps);
          q[i] = w;
          wsum += w;
        }
        sum += loss;
        if (out !== null) out[n] = loss;
        if (g === null) continue;
        const c = coefAt(seed, scale, n);
        for (let i = 0; i < l; i++) {
          g[o + i] = r[o + i] === PADDED_RELEVANCE ? 0 : c * (p[i] * wsum - q[i]);
        }
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
