import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { indexTarget, kerasClassLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { shapeEquals } from '../../core/tensor.js';
import { crossEntropyFast } from '../../wasm/softmax.js';
import {
  kerasClip,
  kerasClipSlope,
  positionBase,
  targetWeightSum,
  zeroRow,
} from './softmax-common.js';
import {
  CLASS_AXIS,
  EXAMPLE_LOGITS_3,
  EXAMPLE_PROBABILITIES,
  FROM_LOGITS,
  KERAS_PROBABILITIES_INPUT,
} from './softmax-specs.js';

export interface SparseCcePlan extends Plan {
  x: FloatArray;
  y: Int32Array;
  layout: ClassLayout;
  fromLogits: boolean;
  /** The ignored class, or NaN when none (never equal to an index). */
  ignore: number;
  /** Float64 scratch row of length C: the softmax numerators of one position. */
  e: Float64Array;
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
    whenToUse:
      "The categoricalCrossentropy of integer class labels, under Keras' SparseCategoricalCrossentropy semantics: no one-hot vectors to build (which matters with many classes, such as a vocabulary), classes along any axis, and an ignoreClass (a void label in segmentation, padding in sequences) left out of the mean. Set fromLogits: true when the model has no softmax layer.",
    caveats: [
      'With fromLogits: false the probabilities are renormalised and clipped to [1e-7, 1 − 1e-7]: a sample costs at most about 16.1, and beyond the clip its gradient is 0, so a confidently wrong prediction stops being corrected; logits are the stabler input.',
      'Nothing checks what the input holds: logits with fromLogits: false (or probabilities with true) give wrong values without an error.',
      'A class index outside [0, C) is an error here, while the Keras numpy backend silently scores it 0.',
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
      e: new Float64Array(layout.numClasses),
    };
  },
  writesEveryGrad: true,
  kernel(plan: SparseCcePlan, out, grads, seed, scale) {
    const { x, y, fromLogits, ignore, e, layout } = plan;
    const { numClasses: C, inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    if (fromLogits && inner === 1) {
      const fast = crossEntropyFast(x, y, C, ignore, out, g, seed, scale);
      if (fast !== undefined) return fast;
    }
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = positionBase(k, layout);
        const t = y[k];
        let l = 0;
        if (t === ignore) {
          if (g !== null) zeroRow(g, base, inner, C);
        } else {
          const ck = seed === null ? scale : seed[k] * scale;
          const it = base + t * inner;
          if (fromLogits) {
            // e_c = exp(x_c − max) once, in the float64 scratch row; d/dx_c = p_c − [c = t].
            const m = maxAlong(x, base, inner, C);
            const se = expShiftedInto(x, e, base, inner, C, m);
            l = -(x[it] - m - Math.log(se));
            if (g !== null) {
              const q = ck / se;
              for (let c = 0, i = base; c < C; c++, i += inner) g[i] = e[c] * q;
              g[it] = e[t] * q - ck;
            }
          } else {
            // q = x/S, l = −log clip(q_t). Inside the clip range h = −1/q_t and
            // d/dx_j = (h·[j = t] − h·q_t)/S; outside it the gradient is 0 (torch clamp).
            let total = 0;
            for (let c = 0, i = base; c < C; c++, i += inner) total += x[i];
            const q = x[it] / total;
            l = -Math.log(kerasClip(q));
            if (g !== null) {
              const h = kerasClipSlope(q) === 1 ? -1 / q : 0;
              const dot = h * q;
              const rest = ck * ((0 - dot) / total);
              for (let c = 0, i = base; c < C; c++, i += inner) g[i] = rest;
              g[it] = ck * ((h - dot) / total);
            }
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
