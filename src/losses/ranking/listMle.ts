import { defineLoss } from '../../core/define.js';
import { argsortStable } from '../../core/layout.js';
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

interface ListMlePlan extends SlatePlan {
  eps: number;
  order: Int32Array;
  sortScratch: Int32Array;
  /** exp(t_k) in relevance order, then the reverse cumulative sums C_k. */
  e: Float64Array;
  c: Float64Array;
}

/** ListMLE (Plackett-Luce likelihood of the relevance order), allRank `listMLE` without its shuffle. */
export const listMle = defineLoss({
  meta: {
    id: 'listMle',
    task: 'ranking',
    title: 'ListMLE (Plackett-Luce negative log-likelihood)',
    summary:
      'Negative log-likelihood of the order given by the relevance under the Plackett-Luce model of the scores.',
    formula:
      '\\ell_b = \\sum_{k=1}^{n_b} \\Bigl[\\log\\Bigl(\\sum_{j \\ge k} e^{s_{\\pi(j)} - M} + \\epsilon\\Bigr) - (s_{\\pi(k)} - M)\\Bigr],\\quad \\pi = \\text{stable sort by relevance, descending},\\ M = \\max_j s_j',
    inputs: [SLATE_SCORES, SLATE_RELEVANCE],
    options: {
      eps: {
        type: 'number',
        default: ALLRANK_EPS,
        min: 0,
        doc: "Added to each tail sum after subtracting the slate's max score (allRank DEFAULT_EPS).",
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Xia, Liu, Wang, Zhang, Li (2008), Listwise Approach to Learning to Rank: Theory and Algorithm',
        url: 'https://doi.org/10.1145/1390156.1390306',
      },
      {
        title: 'allRank (Allegro), allrank/models/losses/listMLE.py',
        url: 'https://github.com/allegro/allRank/blob/c88475661cb72db292d13283fdbc4f2ae6498ee4/allrank/models/losses/listMLE.py',
        implementation: 'allrank.models.losses.listMLE (without torch.randperm; stable sort)',
      },
    ],
    examples: [
      {
        title: 'Two slates with a padded item',
        inputs: {
          scores: [
            [0.5, 0.3, 0.9],
            [0.1, 1.1, -0.4],
          ],
          relevance: [
            [1, 0, 2],
            [0, 1, -1],
          ],
        },
      },
    ],
    whenToUse:
      'Listwise learning to rank when the full ground-truth order should be reproduced: the loss is the negative log-likelihood of that permutation, picking the best item first, then the best of the rest, and so on. Consistent and cheap (O(L log L) per slate); suited to labels that are a total order or fine-grained grades.',
    caveats: [
      "Ties in relevance are broken by the original item order (deterministic), unlike allRank's random shuffle: tied items are treated as if that order were the truth, so shuffle tied items yourself if their order carries no meaning.",
      'Every position weighs the same, so mistakes at the bottom of the list cost as much as at the top (Lan et al. add position weights).',
      'The value grows with the slate length; compare it only between slates of equal length.',
    ],
    notes: [
      SLATE_REDUCTION_NOTE,
      'The max score M is subtracted before eps is added, as allRank; the max item receives the gradient of that shift (torch max: the first maximal item in relevance order).',
    ],
  },
  prepare(inputs, options, id): ListMlePlan {
    const slate = slatePlan(id, inputs.scores, inputs.relevance);
    const { l } = slate;
    return {
      ...slate,
      eps: options.eps,
      order: new Int32Array(l),
      sortScratch: new Int32Array(l),
      e: new Float64Array(l),
      c: new Float64Array(l),
    };
  },
  writesEveryGrad: true,
  kernel(plan: ListMlePlan, out, grads, seed, scale) {
    const { b, l, s, r, eps, order, sortScratch, e, c } = plan;
    const g = grads === null ? null : grads.scores;
    const acc = new CompensatedSum();
    for (let b0 = 0; b0 < b; b0 += SUM_BLOCK) {
      const b1 = Math.min(b, b0 + SUM_BLOCK);
      let sum = 0;
      for (let n = b0; n < b1; n++) {
        const o = n * l;
        argsortStable(r, o, 1, l, true, order, sortScratch);
        // Valid items first (relevance >= 0 sorts above the padding -1); M over them, first maximum.
        let nv = 0;
        let m = -Infinity;
        let arg = -1;
        for (let k = 0; k < l; k++) {
          if (r[o + order[k]] === PADDED_RELEVANCE) continue;
          order[nv++] = order[k];
        }
        for (let k = 0; k < nv; k++) {
          const v = s[o + order[k]];
          if (arg < 0 || v > m) {
            m = v;
            arg = k;
          }
        }
        let tail = 0;
        for (let k = nv - 1; k >= 0; k--) {
          const ek = Math.exp(s[o + order[k]] - m);
          e[k] = ek;
          tail += ek;
          c[k] = tail;
        }
        let loss = 0;
        for (let k = 0; k < nv; k++) loss += Math.log(c[k] + eps) - (s[o + order[k]] - m);
        sum += loss;
        if (out !== null) out[n] = loss;
        if (g === null) continue;
        for (let i = 0; i < l; i++) g[o + i] = 0;
        if (nv === 0) continue;
        const cn = coefAt(seed, scale, n);
        // ∂ℓ/∂t_k = e_k·Σ_{i≤k} 1/(C_i + eps) − 1 with t = s − M; M's own gradient is −Σ_k ∂ℓ/∂t_k.
        let inv = 0;
        let total = 0;
        for (let k = 0; k < nv; k++) {
          inv += 1 / (c[k] + eps);
          const dt = e[k] * inv - 1;
          e[k] = dt;
          total += dt;
        }
        e[arg] -= total;
        for (let k = 0; k < nv; k++) g[o + order[k]] = cn * e[k];
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
