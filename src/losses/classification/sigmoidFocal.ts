import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { PairPlan } from '../elementwise.js';
import { preparePair } from '../elementwise.js';
import { focalAlpha, focalAt } from './sigmoid-common.js';
import {
  BINARY_TARGET,
  FOCAL_ALPHA_OPTION,
  FOCAL_GAMMA_OPTION,
  LOGITS_INPUT,
} from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

type FocalPlan = PairPlan<{ alpha: number; gamma: number }>;

/** Sigmoid focal loss, torchvision `sigmoid_focal_loss` (RetinaNet). */
export const sigmoidFocal = defineLoss({
  meta: {
    id: 'sigmoidFocal',
    task: 'classification',
    title: 'Sigmoid focal loss',
    summary:
      'Binary cross-entropy on logits scaled by (1 − p_t)^γ to down-weight easy examples, α-balanced (RetinaNet).',
    formula:
      '\\ell_i = \\alpha_t (1 - p_t)^{\\gamma}\\, \\mathrm{BCE}(x_i, y_i),\\quad p_t = p y + (1-p)(1-y),\\ \\alpha_t = \\alpha y + (1-\\alpha)(1-y)',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      alpha: FOCAL_ALPHA_OPTION,
      gamma: FOCAL_GAMMA_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Lin et al., Focal Loss for Dense Object Detection (ICCV 2017)',
        url: 'https://arxiv.org/abs/1708.02002',
        implementation: 'torchvision.ops.sigmoid_focal_loss',
      },
    ],
    examples: [
      {
        title: 'An easy positive, a hard negative and an uncertain positive',
        inputs: { input: [2.0, 2.0, 0.1], target: [1, 0, 1] },
      },
      {
        title: 'Soft targets without α balancing',
        inputs: {
          input: [
            [0.5, -1.5],
            [3.0, -0.2],
          ],
          target: [
            [0.8, 0.1],
            [1, 0.4],
          ],
        },
        options: { alpha: -1, gamma: 1.5 },
      },
    ],
    whenToUse:
      'Dense detection and other problems with extreme foreground-background imbalance (RetinaNet: about 1 object anchor in 1000): the factor (1 − p_t)^γ shrinks the loss of well-classified examples, so the many easy negatives stop dominating the sum and training concentrates on the hard ones, while α balances positives against negatives. Use it instead of bceWithLogits when easy negatives swamp the loss; γ = 0 with α < 0 is bceWithLogits.',
    caveats: [
      'α and γ interact: the paper’s best pair is γ = 2 with α = 0.25 (higher γ wants lower α), so α = 0.25 weights the rare positives less, not more; re-tune α when changing γ.',
      'Initialise the final classification bias to −log((1 − π)/π) with π ≈ 0.01, or the loss from the many negatives can make early training diverge (Lin et al.); RetinaNet also divides the summed loss by the number of positive anchors, not by all anchors as mean does.',
      'Libraries differ: torchvision’s default reduction is none (mean here), Keras’ BinaryFocalCrossentropy applies α only with apply_class_balancing, and worked examples on the web sometimes use log10 where the paper uses the natural log.',
    ],
    notes: [
      "The default reduction is 'mean' (torchvision's is 'none').",
      'gamma = 0 with alpha < 0 equals bceWithLogits in value and gradient.',
      '1 − p_t is computed as p(1 − y) + σ(−x)·y, so it does not round to 0 for large logits as torchvision’s 1 − p_t does; where torchvision’s gradient is NaN (0 < gamma < 1 with p_t rounded to 1) it is finite here.',
    ],
  },
  prepare: (inputs, options, id): FocalPlan =>
    preparePair(id, inputs.input, inputs.target, { alpha: options.alpha, gamma: options.gamma }),
  writesEveryGrad: true,
  kernel(plan: FocalPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const { alpha, gamma } = plan.options;
    const { aY, a0 } = focalAlpha(alpha);
    const g = grads === null ? null : grads.input;
    const fast = pairFast('sigmoidFocal', x, y, out, g, seed, scale, aY, a0, gamma);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    // One loop with one focalAt call site. focalAt is too large for V8 to inline twice into one
    // function (920-byte cumulative budget), and with a second call site the loop optimized second
    // calls it out of line and allocates every result (measured 1.6× slower). The branches on out,
    // grads and seed test loop invariants and predict perfectly; next to one exp and one log1p they
    // cost nothing measurable here (unlike cheap elementwise losses such as mse).
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let i = b; i < e; i++) {
        const r = focalAt(x[i], y[i], aY, a0, gamma, 0);
        s += r.l;
        if (out !== null) out[i] = r.l;
        if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
      }
      acc.add(s);
    }
    return acc.value();
  },
});
