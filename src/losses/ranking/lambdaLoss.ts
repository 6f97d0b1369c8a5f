import { defineLoss } from '../../core/define.js';
import { argsortStable } from '../../core/layout.js';
import { CompensatedSum, LN2, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { SlatePlan } from './common.js';
import {
  ALLRANK_EPS,
  coefAt,
  discounts,
  PADDED_RELEVANCE,
  SLATE_RELEVANCE,
  SLATE_SCORES,
  slatePlan,
} from './common.js';

/** allRank's weighing schemes (`<name>_scheme`); 'rankNet' is allRank's plain weights 1. */
export const LAMBDA_SCHEMES = [
  'ndcgLoss2PP',
  'ndcgLoss1',
  'ndcgLoss2',
  'lambdaRank',
  'rankNet',
] as const;
export type LambdaScheme = (typeof LAMBDA_SCHEMES)[number];

/** allRank clamps score differences to ±1e8 before the sigmoid (no gradient beyond). */
const DIFF_CLAMP = 1e8;

const SCHEME_CODE: Readonly<Record<LambdaScheme, number>> = {
  ndcgLoss2PP: 0,
  ndcgLoss1: 1,
  ndcgLoss2: 2,
  lambdaRank: 3,
  rankNet: 4,
};

interface LambdaPlan extends SlatePlan {
  scheme: number;
  /** Truncation: pairs with both predicted positions < k count (k = L without truncation). */
  k: number;
  sigma: number;
  mu: number;
  /** 1 / ln(base): 1/ln 2 for 'binary', 1 for 'natural'. */
  invLnBase: number;
  logEps: number;
  eps: number;
  /** D[p] = log2(2 + p) for 0-based positions p (D[p] is allRank's D at rank p + 1). */
  disc: Float64Array;
  /** Scores with padded items at −∞ (allRank's masking), the sort key of one slate. */
  key: Float64Array;
  order: Int32Array;
  idealOrder: Int32Array;
  sortScratch: Int32Array;
  /** Relevance, score and gain by predicted position. */
  relAt: Float64Array;
  scoreAt: Float64Array;
  gain: Float64Array;
  gs: Float64Array;
}

/**
 * Weight of the pair of predicted positions p, q (p's relevance above q's, or any pair for
 * ndcgLoss1), given gains gp, gq: allRank's `<scheme>_scheme` at [p, q].
 */
function pairWeight(
  scheme: number,
  disc: Float64Array,
  p: number,
  q: number,
  gp: number,
  gq: number,
  mu: number,
): number {
  if (scheme === 4) return 1;
  if (scheme === 1) return gp / disc[p];
  const dg = Math.abs(gp - gq);
  const lambdaRank = Math.abs(1 / disc[p] - 1 / disc[q]) * dg;
  if (scheme === 3) return lambdaRank;
  // ndcgLoss2: δ_|p−q| = |1/D(|p−q|) − 1/D(|p−q| + 1)| with allRank's 1-based D(t) = log2(1 + t).
  const t = Math.abs(p - q);
  const ndcg2 = t === 0 ? 0 : Math.abs(1 / disc[t - 1] - 1 / disc[t]) * dg;
  return scheme === 2 ? ndcg2 : mu * ndcg2 + lambdaRank;
}

/** The LambdaLoss framework (Wang et al. 2018), allRank `lambdaLoss`. */
export const lambdaLoss = defineLoss({
  meta: {
    id: 'lambdaLoss',
    task: 'ranking',
    title: 'LambdaLoss (NDCG-weighted pairwise logistic loss)',
    summary:
      'Pairwise logistic loss on score differences, each pair weighted by how much swapping it changes NDCG.',
    formula:
      '\\ell_b = -\\sum_{(i,j):\\,y_i > y_j} \\log_2\\Bigl(\\max\\bigl(\\max(\\sigma(\\sigma_s (s_i - s_j)), \\epsilon)^{w_{ij}}, \\epsilon\\bigr)\\Bigr)',
    inputs: [SLATE_SCORES, SLATE_RELEVANCE],
    options: {
      scheme: {
        type: 'enum',
        values: LAMBDA_SCHEMES,
        default: 'ndcgLoss2PP',
        doc: "Pair weights: 'ndcgLoss2PP' (μ·ndcgLoss2 + lambdaRank, the paper's best), 'ndcgLoss1', 'ndcgLoss2', 'lambdaRank', or 'rankNet' (all 1).",
      },
      k: {
        type: 'number',
        default: null,
        nullable: true,
        integer: true,
        min: 1,
        doc: 'Truncation: only pairs whose predicted positions are both within the top k count, and the ideal DCG is DCG@k (null: no truncation).',
      },
      sigma: {
        type: 'number',
        default: 1,
        doc: 'Scale of the score difference inside the sigmoid.',
      },
      mu: { type: 'number', default: 10, doc: 'Weight of ndcgLoss2 in ndcgLoss2PP.' },
      logBase: {
        type: 'enum',
        values: ['binary', 'natural'],
        default: 'binary',
        doc: "Logarithm of the pair losses: 'binary' (log2, allRank's default) or 'natural'.",
      },
    },
    reductions: STANDARD_REDUCTIONS,
    defaultReduction: 'sum',
    references: [
      {
        title:
          'Wang, Li, Golbandi, Bendersky, Najork (2018), The LambdaLoss Framework for Ranking Metric Optimization',
        url: 'https://doi.org/10.1145/3269206.3271784',
      },
      {
        title: 'allRank (Allegro), allrank/models/losses/lambdaLoss.py',
        url: 'https://github.com/allegro/allRank/blob/c88475661cb72db292d13283fdbc4f2ae6498ee4/allrank/models/losses/lambdaLoss.py',
        implementation: 'allrank.models.losses.lambdaLoss',
      },
    ],
    examples: [
      {
        title: 'Two slates, the second padded (ndcgLoss2PP)',
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
      {
        title: 'LambdaRank weights truncated at k = 2, natural log',
        inputs: { scores: [[0.3, 1.1, -0.2, 0.6]], relevance: [[1, 0, 2, 1]] },
        options: { scheme: 'lambdaRank', k: 2, logBase: 'natural' },
      },
    ],
    whenToUse:
      "Learning to rank (ordering search results by relevance) for NDCG with a pairwise loss: each mis-ordered pair is weighted by its effect on (an upper bound of) NDCG, so mistakes at the top of the ranking matter most. ndcgLoss2PP is the scheme Wang et al. found best; lambdaRank reproduces LambdaRank's heuristic as a proper loss; rankNet gives the unweighted pairwise logistic loss; k truncates to NDCG@k.",
    caveats: [
      "The default reduction is 'sum' over pairs and slates (as allRank), so the loss and its gradient grow with the batch and the slate length; 'mean' divides by the number of slates.",
      'A pair whose probability falls below eps (score difference below about −23/sigma) is clamped: it costs log(1/eps) and gets no gradient, as in allRank.',
      'Pair weights use the current predicted order, so they change discontinuously as scores cross.',
      'O(L²) per slate.',
    ],
    notes: [
      "'none' gives the per-slate sums; 'sum' sums them; 'mean' divides that sum by B (allRank's own 'mean' averages over pairs instead).",
      'Predictions are sorted descending with a stable sort (ties keep the original order); padded items go last and form no pair.',
      'ndcgLoss1 counts every pair of valid items, including each item with itself, as allRank does.',
      'Discounts log2(1 + position) are computed in float64 (allRank computes them in float32).',
      "allRank's own default scheme (None, plain weights) equals scheme 'rankNet'.",
    ],
  },
  prepare(inputs, options, id): LambdaPlan {
    const slate = slatePlan(id, inputs.scores, inputs.relevance);
    const { l } = slate;
    return {
      ...slate,
      scheme: SCHEME_CODE[options.scheme],
      k: options.k === null ? l : Math.min(options.k, l),
      sigma: options.sigma,
      mu: options.mu,
      invLnBase: options.logBase === 'binary' ? 1 / LN2 : 1,
      logEps: Math.log(ALLRANK_EPS),
      eps: ALLRANK_EPS,
      disc: discounts(l),
      key: new Float64Array(l),
      order: new Int32Array(l),
      idealOrder: new Int32Array(l),
      sortScratch: new Int32Array(l),
      relAt: new Float64Array(l),
      scoreAt: new Float64Array(l),
      gain: new Float64Array(l),
      gs: new Float64Array(l),
    };
  },
  writesEveryGrad: true,
  kernel(plan: LambdaPlan, out, grads, seed, scale) {
    const { b, l, s, r, scheme, k, sigma, mu, invLnBase, logEps, eps, disc } = plan;
    const { key, order, idealOrder, sortScratch, gain, gs, relAt, scoreAt } = plan;
    const g = grads === null ? null : grads.scores;
    const allPairs = scheme === 1;
    const acc = new CompensatedSum();
    for (let b0 = 0; b0 < b; b0 += SUM_BLOCK) {
      const b1 = Math.min(b, b0 + SUM_BLOCK);
      let sum = 0;
      for (let n = b0; n < b1; n++) {
        const o = n * l;
        for (let i = 0; i < l; i++) key[i] = r[o + i] === PADDED_RELEVANCE ? -Infinity : s[o + i];
        argsortStable(key, 0, 1, l, true, order, sortScratch);
        argsortStable(r, o, 1, l, true, idealOrder, sortScratch);
        let maxDcg = 0;
        for (let p = 0; p < k; p++)
          maxDcg += (2 ** Math.max(r[o + idealOrder[p]], 0) - 1) / disc[p];
        maxDcg = Math.max(maxDcg, eps);
        // Relevance, score and gain by predicted position, in float64 whatever the input dtype.
        for (let p = 0; p < l; p++) {
          const rv = r[o + order[p]];
          relAt[p] = rv;
          scoreAt[p] = key[order[p]];
          gain[p] = (2 ** Math.max(rv, 0) - 1) / maxDcg;
          gs[p] = 0;
        }
        const c = g === null ? 0 : coefAt(seed, scale, n);
        let loss = 0;
        for (let p = 0; p < k; p++) {
          const rp = relAt[p];
          if (rp === PADDED_RELEVANCE) continue;
          const sp = scoreAt[p];
          for (let q = 0; q < k; q++) {
            const rq = relAt[q];
            if (rq === PADDED_RELEVANCE || !(allPairs || rp > rq)) continue;
            const w = pairWeight(scheme, disc, p, q, gain[p], gain[q], mu);
            const diff = sp - scoreAt[q];
            const dc = Math.min(Math.max(diff, -DIFF_CLAMP), DIFF_CLAMP);
            const x = sigma * dc;
            // log of clamp(σ(x), eps)^w, clamped at log eps: both clamps stop the gradient; NaN
            // passes through them (as torch.clamp) and propagates to the value.
            // One exp for both log σ(x) = min(x, 0) − log1p(e^−|x|) and σ(−x).
            const e = Math.exp(-Math.abs(x));
            const ls = Math.min(x, 0) - Math.log1p(e);
            const inner = !(ls < logEps);
            const lw = w * (inner ? ls : logEps);
            const outer = !(lw < logEps);
            loss -= (outer ? lw : logEps) * invLnBase;
            if (g === null || p === q) continue;
            const live = inner && outer && dc === diff;
            const sigNeg = x >= 0 ? e / (1 + e) : 1 / (1 + e);
            const d = live ? -c * w * sigma * sigNeg * invLnBase : 0;
            gs[p] += d;
            gs[q] -= d;
          }
        }
        sum += loss;
        if (out !== null) out[n] = loss;
        if (g === null) continue;
        for (let p = 0; p < l; p++) g[o + order[p]] = gs[p];
      }
      acc.add(sum);
    }
    return acc.value();
  },
});
