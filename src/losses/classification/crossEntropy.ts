import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { asFloat64, shapeEquals } from '../../core/tensor.js';
import type { ClassLayout } from '../../core/layout.js';
import { CLASS_WEIGHT, classWeight, IGNORE_INDEX, LABEL_SMOOTHING, LOGITS_NC, targetWeightSum, EXAMPLE_LOGITS_3, EXAMPLE_LOGITS_2 } from './softmax-common.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { expShiftedInto, logSumExpShifted, maxAlong } from '../../core/numerics.js';

export interface CrossEntropyPlan extends Plan {
  x: Float64Array;
  layout: ClassLayout;
  /** Class indices (index targets) or null. */
  y: Int32Array | null;
  /** Class probabilities, same layout as x (probability targets) or null. */
  probs: Float64Array | null;
  /** Per-class weight or null (every class 1). */
  w: Float64Array | null;
  /** Σ_c w_c (C without weights). */
  wTotal: number;
  ignoreIndex: number;
  eps: number;
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
    let wTotal = C;
    if (w !== null) {
      wTotal = 0;
      for (let c = 0; c < C; c++) wTotal += w[c];
    }
    const base = {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      layout,
      w,
      wTotal,
      ignoreIndex: options.ignoreIndex,
      eps: options.labelSmoothing,
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
      return { ...base, y: null, probs: asFloat64(target) };
    }
    const y = indexTarget(id, target, layout, options.ignoreIndex, input.shape);
    const divisor = targetWeightSum(y, w, options.ignoreIndex);
    return { ...base, y, probs: null, divisors: { mean: divisor } };
  },
  forward(plan: CrossEntropyPlan, out) {
    const { x, y, probs, w, ignoreIndex, eps } = plan;
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
        if (y !== null) {
          const t = y[k];
          if (t !== ignoreIndex) {
            const m = maxAlong(x, base, inner, C);
            const ls = logSumExpShifted(x, base, inner, C, m);
            const wt = w === null ? 1 : w[t];
            l = wt * -(x[base + t * inner] - m - ls);
            if (eps > 0) {
              let smooth = 0;
              for (let c = 0, i = base; c < C; c++, i += inner) {
                smooth += (w === null ? 1 : w[c]) * -(x[i] - m - ls);
              }
              l = keep * l + share * smooth;
            }
          }
        } else {
          const p = probs!;
          const m = maxAlong(x, base, inner, C);
          const ls = logSumExpShifted(x, base, inner, C, m);
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            l -= (x[i] - m - ls) * tc * (w === null ? 1 : w[c]);
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
  backward(plan: CrossEntropyPlan, seed, scale, grads) {
    const { x, y, probs, w, wTotal, ignoreIndex, eps } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    const keep = 1 - eps;
    const share = eps / C;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const base = o * C * inner + s;
        const ck = seed === null ? scale : seed[k] * scale;
        const m = maxAlong(x, base, inner, C);
        const ls = logSumExpShifted(x, base, inner, C, m);
        if (y !== null) {
          const t = y[k];
          if (t === ignoreIndex) continue;
          // d/dx_j = p_j·((1−ε)w_t + (ε/C)Σw) − (1−ε)w_t·[j = t] − (ε/C)·w_j
          const wt = w === null ? 1 : w[t];
          const total = keep * wt + share * wTotal;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const pc = Math.exp(x[i] - m - ls);
            let d = pc * total - share * (w === null ? 1 : w[c]);
            if (c === t) d -= keep * wt;
            g[i] = ck * d;
          }
        } else {
          // d/dx_j = p_j·Σ_c w_c t'_c − w_j t'_j
          const p = probs!;
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            mass += tc * (w === null ? 1 : w[c]);
          }
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            const pc = Math.exp(x[i] - m - ls);
            g[i] = ck * (pc * mass - tc * (w === null ? 1 : w[c]));
          }
        }
      }
    }
  },
  fused(plan: CrossEntropyPlan, out, seed, scale, grads) {
    // One exp(x − max) per logit, kept in the gradient buffer: its row sum gives log-sum-exp (in
    // forward's order, so the loss is forward's to the bit) and e_c·(total / Σe) is backward's p_c·total.
    const { x, y, probs, w, wTotal, ignoreIndex, eps } = plan;
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
        let l = 0;
        if (y !== null) {
          const t = y[k];
          if (t !== ignoreIndex) {
            const ck = seed === null ? scale : seed[k] * scale;
            const m = maxAlong(x, base, inner, C);
            const se = expShiftedInto(x, g, base, inner, C, m);
            const ls = Math.log(se);
            const it = base + t * inner;
            const wt = w === null ? 1 : w[t];
            l = wt * -(x[it] - m - ls);
            // d/dx_j = p_j·((1−ε)w_t + (ε/C)Σw) − (1−ε)w_t·[j = t] − (ε/C)·w_j
            const r = (keep * wt + share * wTotal) / se;
            const et = g[it];
            if (w === null && eps === 0) {
              for (let c = 0, i = base; c < C; c++, i += inner) g[i] = ck * (g[i] * r);
            } else {
              let smooth = 0;
              for (let c = 0, i = base; c < C; c++, i += inner) {
                const wc = w === null ? 1 : w[c];
                if (eps > 0) smooth += wc * -(x[i] - m - ls);
                g[i] = ck * (g[i] * r - share * wc);
              }
              if (eps > 0) l = keep * l + share * smooth;
            }
            g[it] = ck * (et * r - share * wt - keep * wt);
          }
        } else {
          // d/dx_j = p_j·Σ_c w_c t'_c − w_j t'_j
          const p = probs!;
          const ck = seed === null ? scale : seed[k] * scale;
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, g, base, inner, C, m);
          const ls = Math.log(se);
          let mass = 0;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            const wc = w === null ? 1 : w[c];
            l -= (x[i] - m - ls) * tc * wc;
            mass += tc * wc;
          }
          const r = mass / se;
          for (let c = 0, i = base; c < C; c++, i += inner) {
            const tc = eps > 0 ? p[i] * keep + share : p[i];
            g[i] = ck * (g[i] * r - tc * (w === null ? 1 : w[c]));
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
