import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ClassLayout } from '../../core/layout.js';
import { INDEX_TARGET_N, LABEL_SMOOTHING, LOGITS_NC, EXAMPLE_LOGITS_2 } from './softmax-common.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { expShiftedInto, logSumExpShifted, maxAlong } from '../../core/numerics.js';

export interface Poly1Plan extends Plan {
  x: Float64Array;
  layout: ClassLayout;
  y: Int32Array;
  epsilon: number;
  smoothing: number;
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
    };
  },
  forward(plan: Poly1Plan, out) {
    const { x, y, epsilon, smoothing } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    let sum = 0;
    let comp = 0;
    const keep = 1 - smoothing;
    const share = smoothing / C;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const t = y[k];
        const m = maxAlong(x, base, inner, C);
        const ls = logSumExpShifted(x, base, inner, C, m);
        const lpt = x[base + t * inner] - m - ls;
        let ce = -lpt;
        let oneMinus = -Math.expm1(lpt);
        if (smoothing > 0) {
          let all = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) all -= x[i] - m - ls;
          ce = keep * ce + share * all;
          oneMinus = keep * oneMinus + share * (C - 1);
        }
        const l = ce + epsilon * oneMinus;
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: Poly1Plan, seed, scale, grads) {
    const { x, y, epsilon, smoothing } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    const keep = 1 - smoothing;
    const share = smoothing / C;
    const e1 = epsilon * keep;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const t = y[k];
        const ck = seed === null ? scale : seed[k] * scale;
        const m = maxAlong(x, base, inner, C);
        const ls = logSumExpShifted(x, base, inner, C, m);
        const pt = Math.exp(x[base + t * inner] - m - ls);
        // CE part p_j − ỹ_j, poly part ε(1−α)·p_t·(p_j − [j = t]).
        const slope = 1 + e1 * pt;
        for (let c = 0, i = base; c < C; c++, i += inner) {
          let d = Math.exp(x[i] - m - ls) * slope - share;
          if (c === t) d -= keep + e1 * pt;
          g[i] = ck * d;
        }
      }
    }
  },
  fused(plan: Poly1Plan, out, seed, scale, grads) {
    // One exp(x − max) per class, kept in g: p_j = e_j / Σe.
    const { x, y, epsilon, smoothing } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    const keep = 1 - smoothing;
    const share = smoothing / C;
    const e1 = epsilon * keep;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const t = y[k];
        const it = base + t * inner;
        const ck = seed === null ? scale : seed[k] * scale;
        const m = maxAlong(x, base, inner, C);
        const se = expShiftedInto(x, g, base, inner, C, m);
        const ls = Math.log(se);
        const lpt = x[it] - m - ls;
        const pt = Math.exp(lpt);
        let ce = -lpt;
        let oneMinus = -Math.expm1(lpt);
        // CE part p_j − ỹ_j, poly part ε(1−α)·p_t·(p_j − [j = t]).
        const r = (1 + e1 * pt) / se;
        const et = g[it];
        if (smoothing > 0) {
          let all = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            all -= x[i] - m - ls;
            g[i] = ck * (g[i] * r - share);
          }
          ce = keep * ce + share * all;
          oneMinus = keep * oneMinus + share * (C - 1);
        } else {
          for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * (g[i] * r - share);
        }
        g[it] = ck * (et * r - share - (keep + e1 * pt));
        const l = ce + epsilon * oneMinus;
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
});
