import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { SlatePlan } from './common.js';
import { coefAt, PADDED_RELEVANCE, SLATE_RELEVANCE, SLATE_SCORES, slatePlan } from './common.js';

interface RankNetPlan extends SlatePlan {
  weightByDiff: boolean;
  /** Score gradient accumulator of one slate. */
  gs: Float64Array;
}

/** RankNet (Burges et al. 2005), allRank `rankNet`: logistic loss on every correctly labelled pair. */
export const rankNet = defineLoss({
  meta: {
    id: 'rankNet',
    task: 'ranking',
    title: 'RankNet (pairwise logistic loss)',
    summary:
      'Binary cross-entropy with logits s_i − s_j for every pair whose relevance says i should rank above j.',
    formula:
      '\\ell_{ij} = w_{ij}\\,\\log\\bigl(1 + e^{-(s_i - s_j)}\\bigr)\\ \\text{for } y_i > y_j,\\quad w_{ij} = 1 \\text{ or } |y_i - y_j|',
    inputs: [SLATE_SCORES, SLATE_RELEVANCE],
    options: {
      weightByDiff: {
        type: 'boolean',
        default: false,
        doc: 'Weight each pair by its relevance difference |y_i − y_j| (allRank weight_by_diff).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Burges, Shaked, Renshaw, Lazier, Deeds, Hamilton, Hullender (2005), Learning to Rank using Gradient Descent',
        url: 'https://doi.org/10.1145/1102351.1102363',
      },
      {
        title: 'allRank (Allegro), allrank/models/losses/rankNet.py',
        url: 'https://github.com/allegro/allRank/blob/c88475661cb72db292d13283fdbc4f2ae6498ee4/allrank/models/losses/rankNet.py',
        implementation: 'allrank.models.losses.rankNet',
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
      {
        title: 'Pairs weighted by relevance difference',
        inputs: { scores: [[0.1, 0.9, 0.4, -0.3]], relevance: [[3, 0, 1, 1]] },
        options: { weightByDiff: true },
      },
    ],
    whenToUse:
      'Pairwise learning to rank with graded or click labels: each pair with a relevance difference becomes a binary "i above j" problem with a logistic loss, which is smooth, well behaved and cheap. The classic baseline; lambdaLoss re-weights the same pairs by their effect on NDCG when the top of the list matters more.',
    caveats: [
      'All pairs weigh the same regardless of their position in the ranking, so it optimises pairwise accuracy, not NDCG.',
      'The number of pairs grows as L², and slates with many pairs dominate the batch mean.',
      'weightByDiff multiplies each pair by |y_i − y_j| but the mean still divides by the number of pairs (allRank, BCEWithLogitsLoss with weight).',
    ],
    notes: [
      "'mean' is the mean over all valid pairs of the whole batch (allRank); 'sum' the sum over pairs; 'none' the per-slate sums of pair losses (B values). A batch without pairs gives 0.",
      'Computed in float64 (allRank binarises the targets in float32).',
    ],
  },
  prepare(inputs, options, id): RankNetPlan {
    const slate = slatePlan(id, inputs.scores, inputs.relevance);
    const { b, l, r: relevance } = slate;
    let pairs = 0;
    for (let n = 0; n < b; n++) {
      const o = n * l;
      for (let i = 0; i < l; i++) {
        const ri = relevance[o + i];
        if (ri === PADDED_RELEVANCE) continue;
        for (let j = 0; j < l; j++) {
          const rj = relevance[o + j];
          if (rj !== PADDED_RELEVANCE && ri > rj && Number.isFinite(ri - rj)) pairs++;
        }
      }
    }
    return {
      ...slate,
      divisors: { mean: pairs },
      weightByDiff: options.weightByDiff,
      gs: new Float64Array(l),
    };
  },
  writesEveryGrad: true,
  kernel(plan: RankNetPlan, out, grads, seed, scale) {
    const { b, l, s, r, weightByDiff, gs } = plan;
    const g = grads === null ? null : grads.scores;
    const acc = new CompensatedSum();
    for (let b0 = 0; b0 < b; b0 += SUM_BLOCK) {
      const b1 = Math.min(b, b0 + SUM_BLOCK);
      let sum = 0;
      for (let n = b0; n < b1; n++) {
        const o = n * l;
        const c = g === null ? 0 : coefAt(seed, scale, n);
        gs.fill(0);
        let loss = 0;
        for (let i = 0; i < l; i++) {
          const ri = r[o + i];
          if (ri === PADDED_RELEVANCE) continue;
          for (let j = 0; j < l; j++) {
            const rj = r[o + j];
            const dy = ri - rj;
            if (rj === PADDED_RELEVANCE || !(dy > 0) || !Number.isFinite(dy)) continue;
            const w = weightByDiff ? dy : 1;
            const x = s[o + i] - s[o + j];
            // One exp for softplus(−x) = max(−x, 0) + log1p(e^−|x|) and σ(−x).
            const e = Math.exp(-Math.abs(x));
            loss += w * (Math.max(-x, 0) + Math.log1p(e));
            if (g === null) continue;
            const d = c * w * (x >= 0 ? e / (1 + e) : 1 / (1 + e));
            gs[i] -= d;
            gs[j] += d;
          }
        }
        sum += loss;
        if (out !== null) out[n] = loss;
        if (g !== null) for (let i = 0; i < l; i++) g[o + i] = gs[i];
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
