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

type Poly1FocalPlan = PairPlan<{ alpha: number; gamma: number; epsilon: number }>;

/** Poly-1 focal loss (PolyLoss): sigmoid focal + ε(1 − p_t)^(γ+1). */
export const poly1Focal = defineLoss({
  meta: {
    id: 'poly1Focal',
    task: 'classification',
    title: 'Poly-1 focal loss',
    summary:
      'Sigmoid focal loss plus the first polynomial term ε(1 − p_t)^(γ+1) of the PolyLoss expansion.',
    formula:
      '\\ell_i = \\alpha_t (1 - p_t)^{\\gamma}\\, \\mathrm{BCE}(x_i, y_i) + \\varepsilon (1 - p_t)^{\\gamma + 1}',
    inputs: [LOGITS_INPUT, BINARY_TARGET],
    options: {
      epsilon: {
        type: 'number',
        default: 1,
        doc: 'Coefficient ε of the poly-1 term (the paper suggests starting from 1; −1 is used for detection).',
      },
      alpha: FOCAL_ALPHA_OPTION,
      gamma: FOCAL_GAMMA_OPTION,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title:
          'Leng et al., PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions (ICLR 2022), poly1_focal_loss listing',
        url: 'https://arxiv.org/abs/2204.12511',
        implementation: 'torchvision.ops.sigmoid_focal_loss + ε·(1 − p_t)^(γ+1)',
      },
    ],
    examples: [
      {
        title: 'Four logits against binary targets',
        inputs: { input: [1.5, -0.5, 0.2, -2.5], target: [1, 0, 0, 1] },
      },
      {
        title: 'A negative ε on soft targets',
        inputs: { input: [0.4, -1.2, 2.2], target: [0.9, 0.2, 0.6] },
        options: { epsilon: -1, gamma: 1 },
      },
    ],
    whenToUse:
      'Where sigmoidFocal is already the loss (dense 2D and 3D detection): PolyLoss views the focal loss as a series in (1 − p_t) and perturbs its leading term by ε(1 − p_t)^(γ+1), one extra hyperparameter at no extra cost; the paper reports gains over plain focal loss on its Waymo 3D detectors with a per-task ε.',
    caveats: [
      'ε is task dependent and has to be tuned (start from 1, try negative values too). The leading coefficient of the expansion is α_t + ε (1 + ε without α): below 0 the loss turns negative near p_t = 1 and no longer decreases monotonically in p_t.',
      'The poly term is not α-weighted, as in the paper’s listing, so changing α shifts the balance between the two terms.',
      'It inherits the focal loss’s sensitivities: α and γ interact, and a prior-probability bias initialisation matters for dense detection.',
    ],
    notes: [
      'The poly term is not α-weighted (the paper listing adds it to the α-weighted focal loss).',
      'epsilon = 0 equals sigmoidFocal.',
    ],
  },
  prepare: (inputs, options, id): Poly1FocalPlan =>
    preparePair(id, inputs.input, inputs.target, {
      alpha: options.alpha,
      gamma: options.gamma,
      epsilon: options.epsilon,
    }),
  writesEveryGrad: true,
  kernel(plan: Poly1FocalPlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const { alpha, gamma, epsilon } = plan.options;
    const { aY, a0 } = focalAlpha(alpha);
    const g = grads === null ? null : grads.input;
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
        const r = focalAt(x[i], y[i], aY, a0, gamma, epsilon);
        s += r.l;
        if (out !== null) out[i] = r.l;
        if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
      }
      acc.add(s);
    }
    return acc.value();
  },
});
