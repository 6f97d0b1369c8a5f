import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import type { ClassLayout } from '../../core/layout.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { asFloat, shapeEquals } from '../../core/tensor.js';
import { crossEntropyFast } from '../../wasm/softmax.js';
import {
  classWeight,
  positionBase,
  targetWeightSum,
  weightTotal,
  zeroRow,
} from './softmax-common.js';
import {
  CLASS_WEIGHT,
  EXAMPLE_LOGITS_2,
  EXAMPLE_LOGITS_3,
  IGNORE_INDEX,
  LABEL_SMOOTHING,
  LOGITS_NC,
} from './softmax-specs.js';

export interface CrossEntropyPlan extends Plan {
  x: FloatArray;
  layout: ClassLayout;
  /** Class indices (index targets) or null. */
  y: Int32Array | null;
  /** Class probabilities, same layout as x (probability targets) or null. */
  probs: FloatArray | null;
  /** Per-class weight or null (every class 1). */
  w: Float64Array | null;
  /** Σ_c w_c (C without weights). */
  wTotal: number;
  ignoreIndex: number;
  eps: number;
  /** Float64 scratch row of length C: the softmax numerators exp(x_c − max) of one position. */
  e: Float64Array;
}

/** Cross-entropy of logits against class indices or class probabilities, torch `cross_entropy`. */
export const crossEntropy = defineLoss({
  meta: {
    id: 'crossEntropy',
    task: 'classification',
    title: 'Cross-entropy (softmax)',
    summary:
      'Negative log-softmax probability of the target class (or expected over target probabilities), with class weights, an ignore index and label smoothing.',
    formula:
      '\\ell_n = (1-\\varepsilon)\\,w_{y_n}\\big(-\\log\\operatorname{softmax}(x_n)_{y_n}\\big) + \\frac{\\varepsilon}{C}\\sum_c w_c\\big(-\\log\\operatorname{softmax}(x_n)_c\\big),\\quad \\text{mean} = \\frac{\\sum_n \\ell_n}{\\sum_{n\\,\\text{not ignored}} w_{y_n}}',
    inputs: [
      LOGITS_NC,
      {
        name: 'target',
        role: 'classIndices',
        shape: '(N, d1, ...) or () indices, or (N, C, d1, ...) / (C) probabilities',
        differentiable: false,
        kind: 'raw',
        doc: 'Class indices (the input shape without the class dim), or class probabilities of exactly the input shape.',
      },
    ],
    options: {
      weight: CLASS_WEIGHT,
      ignoreIndex: IGNORE_INDEX,
      labelSmoothing: LABEL_SMOOTHING,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch CrossEntropyLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.CrossEntropyLoss.html',
        implementation: 'torch.nn.functional.cross_entropy (PyTorch 1.13)',
      },
      {
        title: 'Rethinking the Inception Architecture for Computer Vision (label smoothing)',
        url: 'https://arxiv.org/abs/1512.00567',
      },
    ],
    examples: [
      {
        title: 'Two samples, three classes, class indices',
        inputs: {
          input: EXAMPLE_LOGITS_2,
          target: [0, 2],
        },
      },
      {
        title: 'Class weights, label smoothing and an ignored sample',
        inputs: {
          input: EXAMPLE_LOGITS_3,
          target: [0, -100, 1],
        },
        options: { weight: [1, 2, 0.5], labelSmoothing: 0.1 },
      },
      {
        title: 'Class probabilities as target',
        inputs: {
          input: EXAMPLE_LOGITS_2,
          target: [
            [0.7, 0.2, 0.1],
            [0.0, 0.5, 0.5],
          ],
        },
      },
    ],
    whenToUse:
      'The default loss for single-label multi-class classification: one class per sample, pixel or token (image classification, semantic segmentation, language modelling). It takes raw logits and applies the log-softmax itself, stably, and covers class weights for imbalance, an ignore index for unlabelled pixels or padding, label smoothing against over-confidence, and soft (probability) targets. Prefer it to nll unless the model already outputs log-probabilities, and to categoricalCrossentropy unless you need Keras semantics.',
    caveats: [
      'Pass logits, not probabilities: a softmax before this loss is applied twice, which flattens the predictions and shrinks the gradient.',
      "With class weights, 'mean' divides by the summed weight of the non-ignored targets (torch), not by the number of samples; with probability targets it divides by the number of positions instead.",
      'Label smoothing (typically ε = 0.1) curbs over-confidence but does not always improve accuracy, and the loss no longer reaches 0: tune ε per task.',
      'Under heavy class imbalance (dense detection has about 1 foreground candidate per 1000 background ones) the many easy examples dominate the sum: consider class weights or softmaxFocal.',
      'A batch whose targets are all ignored (or carry zero total weight) gives 0 with zero gradient here; torch returns NaN.',
    ],
    notes: [
      "Index targets: 'mean' divides by Σ w[y] over non-ignored positions; the label-smoothing term is weighted and divided by the same sum (torch 1.13).",
      "Probability targets (same shape as the input): no ignore index (a non-negative ignoreIndex is an E_OPTION, as torch raises), weight multiplies inside the class sum, 'mean' divides by N·d1·…, smoothing p ← (1 − ε)p + ε/C.",
      'All targets ignored or zero total weight: 0 with zero gradient (torch returns NaN).',
    ],
  },
  prepare(inputs, options, id): CrossEntropyPlan {
    const { input, target } = inputs;
    const layout = torchClassLayout(id, input);
    const C = layout.numClasses;
    const w = classWeight(id, options.weight, C);
    const base = {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      layout,
      w,
      wTotal: weightTotal(w, C),
      ignoreIndex: options.ignoreIndex,
      eps: options.labelSmoothing,
      e: new Float64Array(C),
    };
    if (shapeEquals(target.shape, input.shape)) {
      if (options.ignoreIndex >= 0) {
        fail(
          'E_OPTION',
          id,
          "option 'ignoreIndex'",
          'left at its default (-100) with class-probability targets (as torch: "ignore_index is not supported for floating point target")',
          `ignoreIndex=${options.ignoreIndex}`,
        );
      }
      return { ...base, y: null, probs: asFloat(target) };
    }
    const y = indexTarget(id, target, layout, options.ignoreIndex, input.shape);
    const divisor = targetWeightSum(y, w, options.ignoreIndex);
    return { ...base, y, probs: null, divisors: { mean: divisor } };
  },
  writesEveryGrad: true,
  kernel(plan: CrossEntropyPlan, out, grads, seed, scale) {
    // One pass over the positions. Per position: the max, the softmax numerators e_c = exp(x_c − m)
    // ONCE into the float64 scratch row (their sum gives log-sum-exp), the loss, and with grads the
    // closed-form gradient from e: p_c = e_c / Σe, never read back from the gradient buffer.
    const { x, y, probs, w, wTotal, ignoreIndex, eps, e, layout } = plan;
    const { numClasses: C, inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    if (y !== null && w === null && eps === 0 && inner === 1) {
      const fast = crossEntropyFast(x, y, C, ignoreIndex, out, g, seed, scale);
      if (fast !== undefined) return fast;
    }
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
        if (y !== null) {
          const t = y[k];
          if (t === ignoreIndex) {
            if (g !== null) zeroRow(g, base, inner, C);
          } else {
            const m = maxAlong(x, base, inner, C);
            const se = expShiftedInto(x, e, base, inner, C, m);
            const ls = Math.log(se);
            const it = base + t * inner;
            const wt = w === null ? 1 : w[t];
            l = wt * -(x[it] - m - ls);
            if (w === null && eps === 0) {
              // d/dx_c = p_c − [c = t]: the hot path, one multiply per class.
              if (g !== null) {
                const q = ck / se;
                for (let c = 0, i = base; c < C; c++, i += inner) g[i] = e[c] * q;
                g[it] = e[t] * q - ck;
              }
            } else {
              // d/dx_c = p_c·((1−ε)w_t + (ε/C)Σw) − (1−ε)w_t·[c = t] − (ε/C)·w_c
              let smooth = 0;
              if (g === null) {
                if (eps > 0) {
                  for (let c = 0, i = base; c < C; c++, i += inner) {
                    smooth += (w === null ? 1 : w[c]) * -(x[i] - m - ls);
                  }
                }
              } else {
                const q = (ck * (keep * wt + share * wTotal)) / se;
                const cs = ck * share;
                for (let c = 0, i = base; c < C; c++, i += inner) {
                  const wc = w === null ? 1 : w[c];
                  smooth += wc * -(x[i] - m - ls);
                  g[i] = e[c] * q - cs * wc;
                }
                g[it] = e[t] * q - cs * wt - ck * keep * wt;
              }
              if (eps > 0) l = keep * l + share * smooth;
            }
          }
        } else {
          // Probability targets t'_c = (1 − ε)p_c + ε/C: d/dx_c = p_c·Σ_j w_j t'_j − w_c t'_c.
          const p = probs!;
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, e, base, inner, C, m);
          const ls = Math.log(se);
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            const wc = w === null ? 1 : w[c];
            l -= (x[i] - m - ls) * tc * wc;
            mass += tc * wc;
          }
          if (g !== null) {
            const q = (ck * mass) / se;
            for (let c = 0, i = base; c < C; c++, i += inner) {
              const tc = eps > 0 ? p[i] * keep + share : p[i];
              g[i] = e[c] * q - ck * (tc * (w === null ? 1 : w[c]));
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
