import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireRank } from '../../core/shapes.js';
import type { FloatArray } from '../../core/tensor.js';
import { requireShape } from './common.js';

interface MinimumRiskPlan {
  size: number;
  outShape: number[];
  lp: FloatArray;
  costs: FloatArray;
  alpha: number;
  candidates: number;
  /** exp(α·logp_k − max) of one row. */
  row: Float64Array;
}

/** Minimum risk training (Shen et al. 2016): expected cost under the renormalised, sharpened candidate distribution. */
export const minimumRisk = defineLoss({
  meta: {
    id: 'minimumRisk',
    task: 'sequence',
    title: 'Minimum risk training (expected cost over candidates)',
    summary:
      'Expected cost of K candidate sequences per source under Q = softmax(α·log p) over the candidate set: the MRT objective of Shen et al. 2016.',
    formula:
      '\\ell_n = \\sum_{k} Q_{n,k}\\,\\Delta_{n,k},\\quad Q_{n,k} = \\frac{\\exp(\\alpha \\log p_{n,k})}{\\sum_{j} \\exp(\\alpha \\log p_{n,j})}',
    inputs: [
      {
        name: 'sequenceLogProbs',
        role: 'logProbabilities',
        shape: '(N, K)',
        differentiable: true,
        kind: 'float',
        doc: 'Log-probability log p(y_k | x_n) of each of K candidate sequences (sum of token log-probabilities).',
      },
      {
        name: 'costs',
        role: 'values',
        shape: '(N, K)',
        differentiable: false,
        kind: 'float',
        doc: 'Cost Δ of each candidate against the reference, e.g. 1 − sentence BLEU / 100 or −sBLEU.',
      },
    ],
    options: {
      alpha: {
        type: 'number',
        default: 5e-3,
        min: 0,
        exclusiveMin: true,
        doc: 'Sharpness α of Q ∝ p^α (Shen et al. use 5e-3 with 100 samples; larger α trusts the model more).',
      },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Shen et al. (2016), Minimum Risk Training for Neural Machine Translation',
        url: 'https://arxiv.org/abs/1512.02433',
        implementation:
          'R = Σ_s Σ_{y∈S(x_s)} Q(y|x_s; θ, α)·Δ(y, y_s), Q renormalised over the sampled subset S',
      },
      {
        title:
          'Edunov et al. (2018), Classical Structured Prediction Losses for Sequence to Sequence Learning',
        url: 'https://arxiv.org/abs/1711.04956',
      },
    ],
    examples: [
      {
        title: 'Two sources, three candidates each, cost = 1 − BLEU',
        inputs: {
          sequenceLogProbs: [
            [-3.2, -5.1, -4.0],
            [-10.5, -8.0, -12.25],
          ],
          costs: [
            [0.2, 0.7, 0.4],
            [0.9, 0.1, 0.5],
          ],
        },
        options: { alpha: 0.5 },
      },
      {
        title: "The paper's alpha on beam scores, summed",
        inputs: {
          sequenceLogProbs: [[-20.0, -25.0, -22.5, -30.0]],
          costs: [[0.35, 0.6, 0.1, 0.8]],
        },
        options: { reduction: 'sum' },
      },
    ],
    whenToUse:
      'Fine-tuning an MLE-trained translation or summarisation model on the evaluation metric itself: with K sampled or beam candidates per source and their costs (1 − sentence BLEU, TER, ...), the gradient moves probability mass from costly candidates to cheap ones. Deterministic given the candidates, so lower variance than policyGradient.',
    caveats: [
      'The expectation is over the candidate set only (Q is renormalised over it): too few or too similar candidates give a poor estimate; Shen et al. sample 100.',
      'alpha matters: with α = 1 Q follows the model and is very peaked for long sequences; the small default 5e-3 flattens it. Tune it with the candidate count.',
      'costs are constants; scale them (BLEU in [0, 1] or [0, 100]) consistently, the gradient is proportional to them.',
    ],
    notes: [
      'Gradient: ∂ℓ_n/∂log p_{n,k} = α·Q_{n,k}·(Δ_{n,k} − Σ_j Q_{n,j}Δ_{n,j}).',
      'A candidate with log p = −Infinity gets Q = 0 and zero gradient; K = 0 gives 0.',
    ],
  },
  prepare(inputs, options, id): MinimumRiskPlan {
    const { sequenceLogProbs: lp, costs } = inputs;
    requireRank(id, 'sequenceLogProbs', lp, [2], '(N, K)');
    const [N, K] = lp.shape;
    requireShape(id, 'costs', costs, [N, K], 'one cost per candidate');
    return {
      size: N,
      outShape: [N],
      lp: lp.data,
      costs: costs.data,
      alpha: options.alpha,
      candidates: K,
      row: new Float64Array(K),
    };
  },
  writesEveryGrad: true,
  kernel(plan, out, grads, seed, scale) {
    const { lp, costs, alpha, candidates: K, row, size: N } = plan;
    const g = grads === null ? null : grads.sequenceLogProbs;
    const acc = new CompensatedSum();
    for (let blk = 0; blk < N; blk += SUM_BLOCK) {
      const end = Math.min(N, blk + SUM_BLOCK);
      let s = 0;
      for (let n = blk; n < end; n++) {
        const base = n * K;
        let m = -Infinity;
        for (let k = 0; k < K; k++) m = Math.max(m, alpha * lp[base + k]);
        let z = 0;
        let zc = 0;
        for (let k = 0; k < K; k++) {
          const e = Math.exp(alpha * lp[base + k] - m);
          row[k] = e;
          z += e;
          zc += e * costs[base + k];
        }
        const l = K === 0 ? 0 : zc / z;
        s += l;
        if (out !== null) out[n] = l;
        if (g !== null) {
          const c = (alpha * (seed === null ? scale : seed[n] * scale)) / z;
          for (let k = 0; k < K; k++) g[base + k] = c * row[k] * (costs[base + k] - l);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
