import { defineLoss } from '../../core/define.js';
import { neumaierResult, sigmoid, softplus } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair } from '../elementwise.js';
import { SIGNED_TARGET } from './sigmoid-common.js';

type SoftMarginPlan = PairPlan<unknown>;

/** Soft-margin (logistic) loss, torch `soft_margin_loss`: log(1 + exp(−y·x)). */
export const softMargin = defineLoss({
  meta: {
    id: 'softMargin',
    task: 'classification',
    title: 'Soft-margin loss',
    summary: 'Two-class logistic loss log(1 + exp(−y·x)) for ±1 labels, stable for any score.',
    formula: '\\ell_i = \\log\\left(1 + e^{-y_i x_i}\\right)',
    inputs: [INPUT_VALUES, SIGNED_TARGET],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch SoftMarginLoss',
        url: 'https://pytorch.org/docs/stable/generated/torch.nn.SoftMarginLoss.html',
        implementation: 'torch.nn.functional.soft_margin_loss',
      },
    ],
    examples: [
      {
        title: 'Scores against ±1 labels',
        inputs: { input: [0.3, -2.0, 1.7, 0.4], target: [1, -1, 1, -1] },
      },
    ],
    notes: [
      'Computed as softplus(−y·x): finite where torch’s log1p(exp(−y·x)) overflows to ∞ (y·x < −709).',
    ],
  },
  prepare: (inputs, options, id): SoftMarginPlan =>
    preparePair(id, inputs.input, inputs.target, options),
  forward(plan: SoftMarginPlan, out) {
    const { x, y } = plan;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const l = softplus(-y[i] * x[i]);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: SoftMarginPlan, seed, scale, grads) {
    const { x, y } = plan;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      g[i] = -y[i] * sigmoid(-y[i] * x[i]) * c;
    }
  },
  fused(plan: SoftMarginPlan, out, seed, scale, grads) {
    // With z = −y·x and e = exp(−|z|): softplus(z) = max(z, 0) + log1p(e), and σ(z) = 1/(1+e) for
    // z ≥ 0, e/(1+e) below (bit for bit numerics' sigmoid): one exp and one log1p per element.
    const { x, y } = plan;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const yi = y[i];
      const z = -yi * x[i];
      const e = Math.exp(-Math.abs(z)); // NaN propagates through e
      const lg = Math.log1p(e);
      const l = z > 0 ? z + lg : lg;
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = -yi * (z >= 0 ? 1 / (1 + e) : e / (1 + e)) * (seed === null ? scale : seed[i] * scale);
    }
    return neumaierResult(sum, comp);
  },
});
