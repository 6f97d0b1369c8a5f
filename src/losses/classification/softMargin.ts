import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem, PairPlan } from '../elementwise.js';
import { INPUT_VALUES, preparePair } from '../elementwise.js';
import { softplusPairAt } from './sigmoid-common.js';
import { SIGNED_TARGET } from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

type SoftMarginPlan = PairPlan<unknown>;

/**
 * softplus(z) with z = −y·x, and its derivative −y·σ(z): softplusPairAt with coefficients (0, 1),
 * so one exp and one log1p, finite where torch's log1p(exp(z)) overflows.
 */
function softMarginAt(x: number, y: number): Elem {
  const r = softplusPairAt(-y * x, 0, 1);
  return { l: r.l, g: -y * r.g };
}

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
    whenToUse:
      'Two-class logistic regression written for ±1 labels (torch SoftMarginLoss): the smooth counterpart of hinge, log(1 + exp(−y·x)), equal to bceWithLogits with the labels mapped to 1/0. Use it when the labels are ±1 and you want a smooth loss whose scores read as log-odds.',
    caveats: [
      'Labels must be ±1: 0/1 targets are not converted, and a label 0 costs log 2 whatever the score; use bceWithLogits (or hinge, which converts) for 0/1 targets.',
      'Unlike hinge it never reaches 0, so well-classified examples keep a small gradient that pushes their scores further out.',
    ],
    notes: [
      'Computed as softplus(−y·x): finite where torch’s log1p(exp(−y·x)) overflows to ∞ (y·x < −709).',
    ],
  },
  prepare: (inputs, options, id): SoftMarginPlan =>
    preparePair(id, inputs.input, inputs.target, options),
  writesEveryGrad: true,
  kernel(plan: SoftMarginPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('softMargin', x, y, out, g, seed, scale);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = softMarginAt(x[i], y[i]);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = softMarginAt(x[i], y[i]);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
