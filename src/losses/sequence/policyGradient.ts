import { defineLoss } from '../../core/define.js';
import { requireRank } from '../../core/shapes.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { DataArray, FloatArray } from '../../core/tensor.js';
import { requireBinaryMask, requireShape } from './common.js';

interface PolicyGradientPlan {
  size: number;
  outShape: number[];
  lp: FloatArray;
  rewards: DataArray;
  baseline: DataArray | null;
  /** Stride of the baseline: 1 for (N), 0 for a scalar. */
  bStride: number;
  mask: DataArray | null;
  steps: number;
}

/** REINFORCE with a baseline (self-critical sequence training when the baseline is the greedy reward). */
export const policyGradient = defineLoss({
  meta: {
    id: 'policyGradient',
    task: 'sequence',
    title: 'Policy gradient (REINFORCE / self-critical)',
    summary:
      'Sequence-level REINFORCE: minus the advantage (reward − baseline) times the log-probability of each sampled sequence, the advantage held constant.',
    formula: '\\ell_n = -(r_n - b_n) \\sum_{t} m_{n,t} \\log p_\\theta(w_{n,t} \\mid w_{n,<t})',
    inputs: [
      {
        name: 'logProbs',
        role: 'logProbabilities',
        shape: '(N, T)',
        differentiable: true,
        kind: 'float',
        doc: 'Log-probability of each sampled token under the model (gathered from the log-softmax).',
      },
      {
        name: 'rewards',
        role: 'values',
        shape: '(N)',
        differentiable: false,
        kind: 'float',
        doc: 'Reward of each sampled sequence (e.g. BLEU or CIDEr-D); a constant for the gradient.',
      },
      {
        name: 'baseline',
        role: 'values',
        shape: '(N) or ()',
        differentiable: false,
        kind: 'float',
        optional: true,
        doc: "Baseline subtracted from the reward (default 0): the greedy decode's reward for self-critical training, or a running mean. A scalar applies to every sequence.",
      },
      {
        name: 'mask',
        role: 'mask',
        shape: '(N, T)',
        differentiable: false,
        kind: 'float',
        optional: true,
        doc: '1 for sampled tokens, 0 for padding after the end of a sequence (numbers or booleans); default all 1.',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Williams (1992), Simple statistical gradient-following algorithms (REINFORCE)',
        url: 'https://doi.org/10.1007/BF00992696',
      },
      {
        title: 'Rennie et al. (2017), Self-critical Sequence Training for Image Captioning',
        url: 'https://arxiv.org/abs/1612.00563',
        implementation: 'the SCST loss −(r(wˢ) − r(ŵ))·Σ_t log p(wˢ_t) with the advantage detached',
      },
    ],
    examples: [
      {
        title: 'Two sampled captions with a greedy baseline and padding',
        inputs: {
          logProbs: [
            [-0.7, -1.2, -0.3],
            [-2.1, -0.4, -5.0],
          ],
          rewards: [0.8, 0.3],
          baseline: [0.5, 0.6],
          mask: [
            [1, 1, 1],
            [1, 1, 0],
          ],
        },
      },
      {
        title: 'Plain REINFORCE without a baseline, summed',
        inputs: { logProbs: [[-0.5, -0.25]], rewards: [2] },
        options: { reduction: 'sum' },
      },
    ],
    whenToUse:
      'Optimising a sequence-level, non-differentiable reward (BLEU, CIDEr, ROUGE, a task score) of sampled outputs directly, after maximum-likelihood pre-training: the gradient raises the log-probability of samples that beat the baseline and lowers the others. Self-critical training (baseline = reward of the greedy decode) removes exposure bias and needs no learned critic.',
    caveats: [
      'The estimator has high variance: without a good baseline (greedy reward, running mean) training is unstable; usually start from an MLE-trained model and mix in some token cross-entropy.',
      'rewards and baseline are constants (no gradient flows to them); the loss value itself is not a quantity to minimise towards 0: it is negative whenever a sample beats the baseline.',
      'Masked positions are skipped, so a −Infinity or NaN log-probability at padding does not reach the loss (a literal mask·logp in torch would give NaN there).',
    ],
    notes: [
      "'mean' averages the N sequence losses, 'sum' adds them, 'none' returns (N).",
      'The gradient with respect to logProbs is −(r − b)·mask, scaled by the reduction.',
    ],
  },
  prepare(inputs, _options, id): PolicyGradientPlan {
    const { logProbs, rewards, baseline, mask } = inputs;
    requireRank(id, 'logProbs', logProbs, [2], '(N, T)');
    const [N, T] = logProbs.shape;
    requireShape(id, 'rewards', rewards, [N], 'one reward per sequence');
    let bStride = 1;
    if (baseline !== undefined) {
      if (baseline.shape.length === 0) bStride = 0;
      else requireShape(id, 'baseline', baseline, [N], 'one baseline per sequence (or a scalar)');
    }
    if (mask !== undefined) {
      requireShape(id, 'mask', mask, [N, T], 'a mask like logProbs');
      requireBinaryMask(id, 'mask', mask.data);
    }
    return {
      size: N,
      outShape: [N],
      lp: logProbs.data,
      rewards: rewards.data,
      baseline: baseline === undefined ? null : baseline.data,
      bStride,
      mask: mask === undefined ? null : mask.data,
      steps: T,
    };
  },
  writesEveryGrad: true,
  kernel(plan, out, grads, seed, scale) {
    const { lp, rewards, baseline, bStride, mask, steps: T, size: N } = plan;
    const g = grads === null ? null : grads.logProbs;
    const acc = new CompensatedSum();
    for (let blk = 0; blk < N; blk += SUM_BLOCK) {
      const end = Math.min(N, blk + SUM_BLOCK);
      let s = 0;
      for (let n = blk; n < end; n++) {
        const adv = rewards[n] - (baseline === null ? 0 : baseline[n * bStride]);
        const base = n * T;
        let sumLp = 0;
        if (mask === null) for (let t = 0; t < T; t++) sumLp += lp[base + t];
        else for (let t = 0; t < T; t++) if (mask[base + t] === 1) sumLp += lp[base + t];
        const l = -adv * sumLp;
        s += l;
        if (out !== null) out[n] = l;
        if (g !== null) {
          const d = -adv * (seed === null ? scale : seed[n] * scale);
          if (mask === null) for (let t = 0; t < T; t++) g[base + t] = d;
          else for (let t = 0; t < T; t++) g[base + t] = mask[base + t] === 1 ? d : 0;
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
