import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { kerasClassLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { kerasClip, kerasClipSlope, positionBase } from './softmax-common.js';
import {
  CLASS_AXIS,
  EXAMPLE_LOGITS_2,
  EXAMPLE_PROBABILITIES,
  FROM_LOGITS,
  KERAS_PROBABILITIES_INPUT,
  LABEL_SMOOTHING,
} from './softmax-specs.js';

export interface CategoricalCrossentropyPlan extends Plan {
  x: FloatArray;
  t: FloatArray;
  layout: ClassLayout;
  fromLogits: boolean;
  eps: number;
  /** Float64 scratch row of length C (softmax numerators, or the clipped-probability slopes h_c). */
  e: Float64Array;
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
    whenToUse:
      "Multi-class classification with one-hot or soft target vectors (mixup, distillation, pre-smoothed labels) under Keras' CategoricalCrossentropy semantics, with the classes along any axis. Use sparseCategoricalCrossentropy when the labels are integers, and set fromLogits: true when the model has no softmax layer, which is also the more stable choice.",
    caveats: [
      'With fromLogits: false the probabilities are renormalised and clipped to [1e-7, 1 − 1e-7]: a sample costs at most about 16.1, and a clipped class gets zero gradient, so a confidently wrong prediction stops being corrected.',
      'Nothing checks what the input holds: logits with fromLogits: false (or probabilities with true) give wrong values without an error.',
      'Label smoothing moves ε/C of the mass to every class: it curbs over-confidence, does not always improve accuracy, and keeps the loss above 0.',
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
      e: new Float64Array(layout.numClasses),
    };
  },
  writesEveryGrad: true,
  kernel(plan: CategoricalCrossentropyPlan, out, grads, seed, scale) {
    const { x, t, fromLogits, eps, e, layout } = plan;
    const { numClasses: C, inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    const keep = 1 - eps;
    const share = eps / C;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = positionBase(k, layout);
        const ck = seed === null ? scale : seed[k] * scale;
        let l = 0;
        if (fromLogits) {
          // e_c = exp(x_c − max) once, in the float64 scratch row; d/dx_c = p_c·Σ_j ỹ_j − ỹ_c.
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, e, base, inner, C, m);
          const ls = Math.log(se);
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            l -= yc * (x[i] - m - ls);
            mass += yc;
          }
          if (g !== null) {
            const q = (ck * mass) / se;
            for (let c = 0, i = base; c < C; c++, i += inner) {
              g[i] = e[c] * q - ck * (eps > 0 ? t[i] * keep + share : t[i]);
            }
          }
        } else {
          // q = x/S, r = clip(q). With h_c = −ỹ_c/q_c where q_c lies inside the clip range (else 0),
          // kept in the float64 scratch row, d/dx_j = (h_j − Σ_c h_c q_c) / S.
          let total = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
          let dot = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const yc = eps > 0 ? t[i] * keep + share : t[i];
            const q = x[i] / total;
            const r = kerasClip(q);
            // r is in [ε, 1 − ε] or NaN, so a zero target's term is ±0: skip its log.
            if (yc !== 0 || r !== r) l -= yc * Math.log(r);
            if (g !== null) {
              const h = kerasClipSlope(q) === 1 ? -yc / q : 0;
              e[c] = h;
              dot += h * q;
            }
          }
          if (g !== null) {
            for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * ((e[c] - dot) / total);
          }
        }
        if (out !== null) out[k] = l;
        s += l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
