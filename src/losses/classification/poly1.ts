import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { positionBase } from './softmax-common.js';
import { EXAMPLE_LOGITS_2, INDEX_TARGET_N, LABEL_SMOOTHING, LOGITS_NC } from './softmax-specs.js';

export interface Poly1Plan extends Plan {
  x: FloatArray;
  layout: ClassLayout;
  y: Int32Array;
  epsilon: number;
  smoothing: number;
  /** Float64 scratch row of length C: the softmax numerators of one position. */
  e: Float64Array;
}

/** PolyLoss Poly-1 (Leng et al. 2022): cross-entropy plus ε·(1 − P_t). */
export const poly1 = defineLoss({
  meta: {
    id: 'poly1',
    task: 'classification',
    title: 'Poly-1 loss (PolyLoss)',
    summary:
      'Softmax cross-entropy plus ε times one minus the probability of the (smoothed) target, the first polynomial correction of PolyLoss.',
    formula:
      '\\ell = \\mathrm{CE}_{\\tilde y}(x) + \\epsilon \\sum_c \\tilde y_c\\,(1 - p_c),\\quad \\tilde y = (1-\\alpha)\\,\\mathrm{onehot}(y) + \\alpha/C',
    inputs: [LOGITS_NC, INDEX_TARGET_N],
    options: {
      epsilon: {
        type: 'number',
        default: 1,
        doc: 'ε, the perturbation of the first polynomial coefficient (the paper uses −1 … 2; ε = 0 gives cross-entropy).',
      },
      labelSmoothing: LABEL_SMOOTHING,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PolyLoss: A Polynomial Expansion Perspective of Classification Loss Functions',
        url: 'https://arxiv.org/abs/2204.12511',
        implementation: 'paper appendix (TensorFlow Poly-1 snippet, with label smoothing)',
      },
    ],
    examples: [
      {
        title: 'The paper-style sanity case: logits (2, 1, 0.1), label 0',
        inputs: { input: [[2.0, 1.0, 0.1]], target: [0] },
      },
      {
        title: 'Two samples with label smoothing and ε = 2',
        inputs: {
          input: EXAMPLE_LOGITS_2,
          target: [0, 1],
        },
        options: { epsilon: 2, labelSmoothing: 0.1 },
      },
    ],
    whenToUse:
      "A drop-in replacement for crossEntropy with one extra knob: cross-entropy's Taylor expansion in (1 − P_t) has coefficients 1/j, and Poly-1 moves the first one to 1 + ε, raising (ε > 0) or lowering (ε < 0) the gradient pressure on samples that are already fairly confident. PolyLoss reports gains over tuned cross-entropy on ImageNet (ε = 2) and COCO detection (ε = −1) at no extra cost (Leng et al. 2022, seed 003): try it once cross-entropy training is tuned.",
    caveats: [
      'The best ε depends on the task and its sign can flip (2 for ImageNet classification, −1 for COCO Mask R-CNN in the paper; ε = 1 is a first try); a wrong sign can cost accuracy.',
      'ε < −1 makes the loss non-monotone in P_t, so it can reward lowering the true-class probability; ε = −1 removes the linear term.',
      'No class weights and no ignore index: every position counts in the mean. With labelSmoothing the poly term uses the smoothed target (paper appendix).',
    ],
    notes: [
      'With labelSmoothing α the poly term uses the smoothed target: Σ_c ỹ_c(1 − p_c) = (1 − α)(1 − p_t) + α(C − 1)/C (paper appendix).',
      "'mean' averages over the N·d1·… positions.",
    ],
  },
  prepare(inputs, options, id): Poly1Plan {
    const { input, target } = inputs;
    const layout = torchClassLayout(id, input);
    const y = indexTarget(id, target, layout, null, input.shape);
    return {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      layout,
      y,
      epsilon: options.epsilon,
      smoothing: options.labelSmoothing,
      e: new Float64Array(layout.numClasses),
    };
  },
  writesEveryGrad: true,
  kernel(plan: Poly1Plan, out, grads, seed, scale) {
    // One exp(x − max) per class into the float64 scratch row: p_j = e_j / Σe.
    const { x, y, epsilon, smoothing, e, layout } = plan;
    const { numClasses: C, inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    const keep = 1 - smoothing;
    const share = smoothing / C;
    const e1 = epsilon * keep;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = positionBase(k, layout);
        const t = y[k];
        const it = base + t * inner;
        const m = maxAlong(x, base, inner, C);
        const se = expShiftedInto(x, e, base, inner, C, m);
        const ls = Math.log(se);
        const lpt = x[it] - m - ls;
        let ce = -lpt;
        // 1 − p_t without cancellation as p_t → 1
        let oneMinus = -Math.expm1(lpt);
        if (smoothing > 0) {
          // Σ_c ỹ_c(1 − p_c) = (1 − α)(1 − p_t) + α(C − 1)/C
          let all = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) all -= x[i] - m - ls;
          ce = keep * ce + share * all;
          oneMinus = keep * oneMinus + share * (C - 1);
        }
        const l = ce + epsilon * oneMinus;
        if (g !== null) {
          // CE part p_j − ỹ_j, poly part ε(1−α)·p_t·(p_j − [j = t]).
          const ck = seed === null ? scale : seed[k] * scale;
          const pt = Math.exp(lpt);
          const q = (ck * (1 + e1 * pt)) / se;
          const cs = ck * share;
          for (let c = 0, i = base; c < C; c++, i += inner) g[i] = e[c] * q - cs;
          g[it] = e[t] * q - cs - ck * (keep + e1 * pt);
        }
        if (out !== null) out[k] = l;
        s += l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
