import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { shapeEquals } from '../../core/tensor.js';
import type { ClassLayout } from '../../core/layout.js';
import { CLASS_AXIS, FROM_LOGITS, KERAS_CLIP_HIGH as CLIP_HIGH, KERAS_CLIP_LOW as CLIP_LOW, KERAS_PROBABILITIES_INPUT, targetWeightSum, EXAMPLE_LOGITS_3, EXAMPLE_PROBABILITIES } from './softmax-common.js';
import { indexTarget, kerasClassLayout } from '../../core/layout.js';
import { expShiftedInto, logSumExpShifted, maxAlong } from '../../core/numerics.js';

export interface SparseCcePlan extends Plan {
  x: Float64Array;
  y: Int32Array;
  layout: ClassLayout;
  fromLogits: boolean;
  /** The ignored class, or NaN when none (never equal to an index). */
  ignore: number;
}

/** Keras `SparseCategoricalCrossentropy`: integer targets against probabilities or logits. */
export const sparseCategoricalCrossentropy = defineLoss({
  meta: {
    id: 'sparseCategoricalCrossentropy',
    task: 'classification',
    title: 'Sparse categorical cross-entropy (Keras)',
    summary:
      'Cross-entropy of integer class targets against class probabilities (renormalised and clipped, as Keras) or logits, with an ignored class left out of the mean.',
    formula:
      '\\ell = -\\log \\operatorname{clip}\\Big(\\frac{p_y}{\\sum_k p_k}, \\epsilon, 1-\\epsilon\\Big)\\ \\text{or}\\ -\\log\\operatorname{softmax}(x)_y',
    inputs: [
      KERAS_PROBABILITIES_INPUT,
      {
        name: 'target',
        role: 'classIndices',
        shape: 'input shape without axis',
        differentiable: false,
        kind: 'index',
        doc: 'Integer class indices, the input shape without the class axis (a trailing dim of 1 is squeezed, as Keras).',
      },
    ],
    options: {
      fromLogits: FROM_LOGITS,
      ignoreClass: {
        type: 'number',
        default: null,
        nullable: true,
        integer: true,
        doc: 'Target value whose positions give 0 and are left out of the mean (null: none).',
      },
      axis: CLASS_AXIS,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras SparseCategoricalCrossentropy',
        url: 'https://keras.io/api/losses/probabilistic_losses/#sparsecategoricalcrossentropy-class',
        implementation:
          'keras.losses.sparse_categorical_crossentropy (keras/src/losses/losses.py) + keras/src/backend/numpy/nn.py sparse_categorical_crossentropy',
      },
    ],
    examples: [
      {
        title: 'Probabilities against class indices',
        inputs: {
          input: EXAMPLE_PROBABILITIES,
          target: [1, 2],
        },
      },
      {
        title: 'Logits with an ignored class',
        inputs: {
          input: EXAMPLE_LOGITS_3,
          target: [0, 255, 1],
        },
        options: { fromLogits: true, ignoreClass: 255 },
      },
    ],
    notes: [
      "Ignored positions give 0 under 'none' and are left out of 'mean' (Keras' mask); all ignored → 0 with zero gradient.",
      'A class index outside [0, C) is an E_RANGE (Keras one-hot silently gives 0 on the numpy backend).',
    ],
  },
  prepare(inputs, options, id): SparseCcePlan {
    const { input, target } = inputs;
    const layout = kerasClassLayout(id, input, options.axis, null);
    // Keras squeezes a trailing dim of 1 when the target has the input's rank.
    const squeezable =
      target.shape.length === input.shape.length &&
      target.shape[target.shape.length - 1] === 1 &&
      shapeEquals(target.shape.slice(0, -1), layout.outShape);
    const t = squeezable ? { data: target.data, shape: layout.outShape } : target;
    const ignore = options.ignoreClass;
    const y = indexTarget(id, t, layout, ignore, input.shape);
    return {
      size: layout.size,
      outShape: layout.outShape,
      divisors: { mean: targetWeightSum(y, null, ignore) },
      x: input.data,
      y,
      layout,
      fromLogits: options.fromLogits,
      ignore: ignore === null ? NaN : ignore,
    };
  },
  forward(plan: SparseCcePlan, out) {
    const { x, y, fromLogits, ignore } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const t = y[k];
        let l = 0;
        if (t !== ignore) {
          if (fromLogits) {
            const m = maxAlong(x, base, inner, C);
            l = -(x[base + t * inner] - m - logSumExpShifted(x, base, inner, C, m));
          } else {
            let total = 0;
            for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
            const q = x[base + t * inner] / total;
            l = -Math.log(q < CLIP_LOW ? CLIP_LOW : q > CLIP_HIGH ? CLIP_HIGH : q);
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
  backward(plan: SparseCcePlan, seed, scale, grads) {
    const { x, y, fromLogits, ignore } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        if (t === ignore) continue;
        const base = o * C * inner + s;
        const ck = seed === null ? scale : seed[k] * scale;
        if (fromLogits) {
          // softmax − one-hot
          const m = maxAlong(x, base, inner, C);
          const ls = logSumExpShifted(x, base, inner, C, m);
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const d = Math.exp(x[i] - m - ls);
            g[i] = ck * (c === t ? d - 1 : d);
          }
        } else {
          // q = x/S, l = −log clip(q_t). Inside the clip range h = −1/q_t and
          // d/dx_j = (h·[j = t] − h·q_t)/S; outside it the gradient is 0 (torch clamp).
          let sum = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) sum += x[i];
          const q = x[base + t * inner] / sum;
          const h = q >= CLIP_LOW && q <= CLIP_HIGH ? -1 / q : 0;
          const dot = h * q;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            g[i] = ck * (((c === t ? h : 0) - dot) / sum);
          }
        }
      }
    }
  },
  fused(plan: SparseCcePlan, out, seed, scale, grads) {
    const { x, y, fromLogits, ignore } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const t = y[k];
        let l = 0;
        if (t !== ignore) {
          const ck = seed === null ? scale : seed[k] * scale;
          const it = base + t * inner;
          if (fromLogits) {
            // One exp(x − max) per class, kept in g: p_c = e_c / Σe.
            const m = maxAlong(x, base, inner, C);
            const se = expShiftedInto(x, g, base, inner, C, m);
            l = -(x[it] - m - Math.log(se));
            const r = 1 / se;
            const et = g[it];
            for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * (g[i] * r);
            g[it] = ck * (et * r - 1);
          } else {
            let total = 0;
            for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
            const q = x[it] / total;
            l = -Math.log(q < CLIP_LOW ? CLIP_LOW : q > CLIP_HIGH ? CLIP_HIGH : q);
            const h = q >= CLIP_LOW && q <= CLIP_HIGH ? -1 / q : 0;
            const dot = h * q;
            const rest = ck * ((0 - dot) / total);
            for (let c = 0, i = base; c < C; c++, i += inner) g[i] = rest;
            g[it] = ck * ((h - dot) / total);
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
});
