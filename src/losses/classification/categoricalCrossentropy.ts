import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ClassLayout } from '../../core/layout.js';
import { CLASS_AXIS, FROM_LOGITS, KERAS_CLIP_HIGH as CLIP_HIGH, KERAS_CLIP_LOW as CLIP_LOW, KERAS_PROBABILITIES_INPUT, LABEL_SMOOTHING, EXAMPLE_LOGITS_2, EXAMPLE_PROBABILITIES } from './softmax-common.js';
import { kerasClassLayout } from '../../core/layout.js';
import { expShiftedInto, logSumExpShifted, maxAlong } from '../../core/numerics.js';

export interface CategoricalCrossentropyPlan extends Plan {
  x: Float64Array;
  t: Float64Array;
  layout: ClassLayout;
  fromLogits: boolean;
  eps: number;
}

/** Keras `CategoricalCrossentropy`: one-hot or soft targets against probabilities or logits. */
export const categoricalCrossentropy = defineLoss({
  meta: {
    id: 'categoricalCrossentropy',
    task: 'classification',
    title: 'Categorical cross-entropy (Keras)',
    summary:
      'Cross-entropy of one-hot or soft targets against class probabilities (renormalised and clipped, as Keras) or logits, along any axis.',
    formula:
      '\\ell = -\\sum_c \\tilde y_c \\log \\operatorname{clip}\\Big(\\frac{p_c}{\\sum_k p_k}, \\epsilon, 1-\\epsilon\\Big),\\quad \\tilde y = (1-\\varepsilon)y + \\varepsilon/C',
    inputs: [
      KERAS_PROBABILITIES_INPUT,
      {
        name: 'target',
        role: 'probabilities',
        shape: '(..., C) same as input',
        differentiable: false,
        kind: 'float',
        doc: 'One-hot or soft class distributions, the input shape.',
      },
    ],
    options: {
      fromLogits: FROM_LOGITS,
      labelSmoothing: LABEL_SMOOTHING,
      axis: CLASS_AXIS,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras CategoricalCrossentropy',
        url: 'https://keras.io/api/losses/probabilistic_losses/#categoricalcrossentropy-class',
        implementation:
          'keras.losses.categorical_crossentropy (keras/src/losses/losses.py) + keras/src/backend/numpy/nn.py categorical_crossentropy',
      },
    ],
    examples: [
      {
        title: 'Probabilities against one-hot targets',
        inputs: {
          input: EXAMPLE_PROBABILITIES,
          target: [
            [0, 1, 0],
            [0, 0, 1],
          ],
        },
      },
      {
        title: 'Logits with label smoothing',
        inputs: {
          input: EXAMPLE_LOGITS_2,
          target: [
            [1, 0, 0],
            [0, 0, 1],
          ],
        },
        options: { fromLogits: true, labelSmoothing: 0.1 },
      },
    ],
    notes: [
      "'mean' averages the per-sample losses (Keras 'sum_over_batch_size'); 'none' has the input shape without `axis`.",
      'Probabilities are divided by their sum along the axis, then clipped to [1e-7, 1 − 1e-7]; classes clipped away get zero gradient (torch clamp semantics, inclusive bounds).',
      'Label smoothing divides ε by the size of the class axis; Keras divides by the size of the last axis even when axis ≠ −1 (the two agree for the default axis).',
    ],
  },
  prepare(inputs, options, id): CategoricalCrossentropyPlan {
    const { input, target } = inputs;
    const layout = kerasClassLayout(id, input, options.axis, target);
    return {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      t: target.data,
      layout,
      fromLogits: options.fromLogits,
      eps: options.labelSmoothing,
    };
  },
  forward(plan: CategoricalCrossentropyPlan, out) {
    const { x, t, fromLogits, eps } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    let sum = 0;
    let comp = 0;
    const keep = 1 - eps;
    const share = eps / C;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        let l = 0;
        if (fromLogits) {
          const m = maxAlong(x, base, inner, C);
          const ls = logSumExpShifted(x, base, inner, C, m);
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            l -= yc * (x[i] - m - ls);
          }
        } else {
          let total = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            const q = x[i] / total;
            const r = q < CLIP_LOW ? CLIP_LOW : q > CLIP_HIGH ? CLIP_HIGH : q;
            // r is in [ε, 1 − ε] or NaN: a zero target's term is ±0 and leaves l as it is (no log).
            if (yc !== 0 || r !== r) l -= yc * Math.log(r);
          }
        }
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: CategoricalCrossentropyPlan, seed, scale, grads) {
    const { x, t, fromLogits, eps } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    const keep = 1 - eps;
    const share = eps / C;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const ck = seed === null ? scale : seed[k] * scale;
        if (fromLogits) {
          // d/dx_j = p_j·Σ_c ỹ_c − ỹ_j
          const m = maxAlong(x, base, inner, C);
          const ls = logSumExpShifted(x, base, inner, C, m);
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            mass += eps > 0 ? t[i] * keep + share : t[i];
          }
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            g[i] = ck * (Math.exp(x[i] - m - ls) * mass - yc);
          }
        } else {
          // q = x/S, r = clip(q); with h_c = −ỹ_c/r_c where q_c lies inside the clip range (else 0),
          // d/dx_j = (h_j − Σ_c h_c q_c) / S.
          let sum = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) sum += x[i];
          let dot = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const q = x[i] / sum;
            if (q >= CLIP_LOW && q <= CLIP_HIGH) {
              const yc = eps > 0 ? t[i] * keep + share : t[i];
              const h = -yc / q;
              g[i] = h;
              dot += h * q;
            }
          }
          for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * ((g[i] - dot) / sum);
        }
      }
    }
  },
  fused(plan: CategoricalCrossentropyPlan, out, seed, scale, grads) {
    const { x, t, fromLogits, eps } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    const keep = 1 - eps;
    const share = eps / C;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const ck = seed === null ? scale : seed[k] * scale;
        let l = 0;
        if (fromLogits) {
          // One exp(x − max) per class, kept in g: p_c·mass = e_c·(mass / Σe).
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, g, base, inner, C, m);
          const ls = Math.log(se);
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            l -= yc * (x[i] - m - ls);
            mass += yc;
          }
          const r = mass / se;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            g[i] = ck * (g[i] * r - yc);
          }
        } else {
          let total = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
          let dot = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            const q = x[i] / total;
            const r = q < CLIP_LOW ? CLIP_LOW : q > CLIP_HIGH ? CLIP_HIGH : q;
            if (yc !== 0 || r !== r) l -= yc * Math.log(r);
            if (q >= CLIP_LOW && q <= CLIP_HIGH) {
              const h = -yc / q;
              g[i] = h;
              dot += h * q;
            }
          }
          for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * ((g[i] - dot) / total);
        }
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
});
