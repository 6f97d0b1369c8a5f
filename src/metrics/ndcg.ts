import { defineMetric } from '../core/define.js';
import { fail } from '../core/errors.js';
import { requireRank, requireSameShape } from '../core/shapes.js';
import type { FloatArray } from '../core/tensor.js';

/** Relevance value marking a padded (absent) item. */
const PAD = -1;

/**
 * The gain of relevance `rel` times a common factor of its query (which cancels in DCG / IDCG):
 * 2^(rel − shift) − 2^−shift for exp2, rel · scale for linear. With shift = the query's largest
 * relevance (when above EXP2_SHIFT_FROM) and scale = 1 / that relevance (when above
 * LINEAR_SCALE_FROM), every finite relevance gives finite gains and sums; below those thresholds the
 * factor is 1, so ordinary relevances give exactly 2^rel − 1 and rel.
 */
function gainOf(rel: number, linear: boolean, shift: number, scale: number): number {
  return linear ? rel * scale : Math.pow(2, rel - shift) - Math.pow(2, -shift);
}

/** exp2 gains of relevances up to this are not rescaled (2^512 · items stays far from overflow). */
const EXP2_SHIFT_FROM = 512;
/** linear gains of relevances up to this are not rescaled. */
const LINEAR_SCALE_FROM = 1e290;

/** NDCG@k of one query over items [start, start + len). */
function queryNdcg(
  scores: FloatArray,
  rel: FloatArray,
  start: number,
  len: number,
  k: number,
  linear: boolean,
  order: number[],
  ideal: number[],
): number {
  order.length = 0;
  ideal.length = 0;
  for (let i = start; i < start + len; i++) {
    if (rel[i] === PAD) continue;
    if (scores[i] !== scores[i]) return NaN;
    order.push(i);
    ideal.push(rel[i]);
  }
  // Stable sort by descending score: ties keep their original order.
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  ideal.sort((a, b) => b - a);
  const m = Math.min(k, order.length);
  const top = ideal.length > 0 ? ideal[0] : 0;
  const shift = !linear && top > EXP2_SHIFT_FROM ? top : 0;
  const scale = linear && top > LINEAR_SCALE_FROM ? 1 / top : 1;
  let dcg = 0;
  let idcg = 0;
  for (let i = 0; i < m; i++) {
    const discount = Math.log2(i + 2);
    dcg += gainOf(rel[order[i]], linear, shift, scale) / discount;
    idcg += gainOf(ideal[i], linear, shift, scale) / discount;
  }
  if (idcg !== idcg || dcg !== dcg) return NaN;
  return idcg === 0 ? 0 : dcg / idcg;
}

/** Normalised discounted cumulative gain at k (Järvelin & Kekäläinen 2002). */
export const ndcg = defineMetric({
  meta: {
    id: 'ndcg',
    task: 'metrics',
    title: 'NDCG@k',
    summary:
      'Normalised discounted cumulative gain of the ranking by score, log2 discount, averaged over queries.',
    formula:
      '\\mathrm{NDCG@k} = \\frac{\\sum_{i<k} g(r_{\\pi(i)}) / \\log_2(i+2)}{\\sum_{i<k} g(r^*_i) / \\log_2(i+2)},\\quad g(r) = 2^r - 1 \\text{ or } r',
    inputs: [
      {
        name: 'scores',
        role: 'scores',
        shape: '(L) or (B, L)',
        differentiable: false,
        kind: 'float',
        doc: 'Model scores of the L items of each query; higher ranks first.',
      },
      {
        name: 'relevance',
        role: 'relevance',
        shape: 'same as scores',
        differentiable: false,
        kind: 'float',
        doc: 'Graded relevance >= 0 of each item; −1 marks padding (the item does not exist).',
      },
    ],
    options: {
      k: {
        type: 'number',
        default: null,
        integer: true,
        min: 1,
        doc: 'Cut-off: only the top k ranked items count (null: all items).',
      },
      gain: {
        type: 'enum',
        values: ['exp2', 'linear'],
        default: 'exp2',
        doc: "Gain of a relevance r: 'exp2' gives 2^r − 1 (Burges et al.), 'linear' gives r (scikit-learn).",
      },
    },
    references: [
      {
        title: 'Järvelin & Kekäläinen, Cumulated gain-based evaluation of IR techniques (2002)',
        url: 'https://doi.org/10.1145/582415.582418',
      },
      {
        title: 'scikit-learn ndcg_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.ndcg_score.html',
        implementation:
          'sklearn.metrics.ndcg_score(ignore_ties=True) with y_true = gain(relevance)',
      },
    ],
    examples: [
      {
        title: 'One query of five items, NDCG@3',
        inputs: { scores: [0.1, 0.9, 0.4, 0.7, 0.3], relevance: [3, 0, 2, 1, 0] },
        options: { k: 3 },
      },
      {
        title: 'Two queries, the second padded with −1, linear gain',
        inputs: {
          scores: [
            [2.0, 1.0, 0.5, -1.0],
            [0.3, 0.8, 0.0, 0.0],
          ],
          relevance: [
            [1, 2, 0, 1],
            [2, 1, 0, -1],
          ],
        },
        options: { gain: 'linear' },
      },
    ],
    whenToUse:
      'The standard score of ranked lists with graded relevance (search, recommendation): relevant items near the top count most, with a logarithmic discount, and the best possible ordering scores 1. Use a cut-off k when only the first k results are shown.',
    caveats: [
      'Tied scores keep their input order (a stable sort), while scikit-learn averages over ties by default: constant or quantised scores can look good or bad depending on the order of the items.',
      "The gain changes the value: 'exp2' (2^r − 1) rewards the most relevant items much more than 'linear' (r, scikit-learn's); compare numbers across libraries only with the same gain.",
      'A query without any relevant item scores 0 and still counts in the mean over queries; filter such queries out if they should not count.',
    ],
    notes: [
      'Items are ranked by descending score with a stable sort: tied scores keep their original order (scikit-learn instead averages over ties unless ignore_ties=True).',
      'Padding (relevance −1) removes the item before ranking. A query whose ideal DCG is 0 (no relevant item) scores 0 and still counts in the mean over queries.',
      'A NaN score among a query’s items makes that query (and the mean) NaN.',
      'Gains are computed relative to the query’s largest relevance when it exceeds 512 (exp2) or 1e290 (linear), a common factor that cancels in DCG / IDCG: every finite relevance (e.g. 1024, where 2^r overflows) gives a finite value.',
    ],
  },
  compute(inputs, o, id) {
    const { scores, relevance } = inputs;
    requireRank(id, 'scores', scores, [1, 2], '(L) or (B, L)');
    requireSameShape(
      id,
      { name: 'scores', tensor: scores },
      { name: 'relevance', tensor: relevance },
    );
    const rel = relevance.data;
    for (let i = 0; i < rel.length; i++) {
      const v = rel[i];
      if (v < 0 && v !== PAD) {
        fail(
          'E_RANGE',
          id,
          "input 'relevance'",
          'relevance >= 0, or −1 for padding',
          `${v} at flat position ${i}`,
        );
      }
    }
    const rank = scores.shape.length;
    const b = rank === 1 ? 1 : scores.shape[0];
    const len = scores.shape[rank - 1];
    const k = o.k ?? len;
    const linear = o.gain === 'linear';
    const order: number[] = [];
    const ideal: number[] = [];
    if (rank === 1) return queryNdcg(scores.data, rel, 0, len, k, linear, order, ideal);
    if (b === 0) return 0;
    let sum = 0;
    for (let q = 0; q < b; q++) {
      sum += queryNdcg(scores.data, rel, q * len, len, k, linear, order, ideal);
    }
    return sum / b;
  },
});
