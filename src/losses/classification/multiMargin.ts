import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { CLASS_WEIGHT, classWeight, SCORES_NC } from './softmax-common.js';
import { indexTarget, marginClassLayout } from '../../core/layout.js';

export interface MultiMarginPlan extends Plan {
  x: Float64Array;
  y: Int32Array;
  numClasses: number;
  p: number;
  margin: number;
  w: Float64Array | null;
}

/** Multiclass hinge (Weston–Watkins style, averaged over C), torch `multi_margin_loss`. */
export const multiMargin = defineLoss({
  meta: {
    id: 'multiMargin',
    task: 'classification',
    title: 'Multi-class margin loss',
    summary:
      'Sum over the wrong classes of the (squared) hinge max(0, margin − x_y + x_i), weighted by the target class and divided by C.',
    formula:
      '\\ell_n = \\frac{1}{C}\\sum_{i \\ne y_n} w_{y_n}\\max(0,\\ \\text{margin} - x_{n,y_n} + x_{n,i})^p',
    inputs: [
      SCORES_NC,
      {
        name: 'target',
        role: 'classIndices',
        shape: '(N) or ()',
        differentiable: false,
        kind: 'index',
        doc: 'Integer class indices in [0, C).',
      },
    ],
    options: {
      p: {
        type: 'number',
        default: 1,
        integer: true,
        min: 1,
        max: 2,
        doc: 'Exponent of the hinge: 1 or 2 (the only values torch supports).',
      },
      margin: { type: 'number', default: 1, doc: 'The margin.' },
      weight: { ...CLASS_WEIGHT, doc: 'Per-class weight (C), indexed by the target class.' },
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MultiMarginLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.MultiMarginLoss.html',
        implementation: 'torch.nn.functional.multi_margin_loss (PyTorch 1.13)',
      },
      {
        title:
          'Support Vector Machines for Multi-Class Pattern Recognition (Weston & Watkins, 1999)',
        url: 'https://www.esann.org/sites/default/files/proceedings/legacy/es1999-461.pdf',
      },
    ],
    examples: [
      {
        title: "torch's documentation example (0.325)",
        inputs: { input: [[0.1, 0.2, 0.4, 0.8]], target: [3] },
      },
      {
        title: 'Squared hinge with class weights',
        inputs: {
          input: [
            [0.1, 0.2, 0.4, 0.8],
            [1.5, -0.3, 0.2, 0.45],
          ],
          target: [3, 0],
        },
        options: { p: 2, weight: [1, 0.5, 2, 1.5] },
      },
    ],
    notes: [
      'The weight is indexed by the target class and the sum is divided by C (not C − 1), as torch.',
      "At exactly margin − x_y + x_i = 0 the gradient is 0 (torch's kernel tests z > 0).",
    ],
  },
  prepare(inputs, options, id): MultiMarginPlan {
    const { input, target } = inputs;
    const layout = marginClassLayout(id, input);
    const y = indexTarget(id, target, layout, null, input.shape);
    const w = classWeight(id, options.weight, layout.numClasses);
    return {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      y,
      numClasses: layout.numClasses,
      p: options.p,
      margin: options.margin,
      w,
    };
  },
  forward(plan: MultiMarginPlan, out) {
    const { x, y, numClasses: C, p, margin, w } = plan;
    let total = 0;
    let comp = 0;
    for (let n = 0; n < y.length; n++) {
      const base = n * C;
      const t = y[n];
      const xt = x[base + t];
      let sum = 0;
      for (let i = 0; i < C; i++) {
        if (i === t) continue;
        const z = margin - xt + x[base + i];
        if (z > 0 || z !== z) {
          let h = p === 1 ? z : z * z;
          if (w !== null) h *= w[t];
          sum += h;
        }
      }
      const l = sum / C;
      if (out !== null) out[n] = l;
      const st = total + l;
      comp += Math.abs(total) >= Math.abs(l) ? total - st + l : l - st + total;
      total = st;
    }
    return neumaierResult(total, comp);
  },
  backward(plan: MultiMarginPlan, seed, scale, grads) {
    const { x, y, numClasses: C, p, margin, w } = plan;
    const g = grads.input;
    for (let n = 0; n < y.length; n++) {
      const base = n * C;
      const t = y[n];
      const xt = x[base + t];
      const gn = ((seed === null ? scale : seed[n] * scale) / C) * (w === null ? 1 : w[t]);
      for (let i = 0; i < C; i++) {
        if (i === t) continue;
        const z = margin - xt + x[base + i];
        if (z > 0 || z !== z) {
          const h = p === 1 ? gn : 2 * gn * z;
          g[base + t] -= h;
          g[base + i] = h;
        }
      }
    }
  },
  fused(plan: MultiMarginPlan, out, seed, scale, grads) {
    const { x, y, numClasses: C, p, margin, w } = plan;
    const g = grads.input;
    let total = 0;
    let comp = 0;
    for (let n = 0; n < y.length; n++) {
      const base = n * C;
      const t = y[n];
      const xt = x[base + t];
      const gn = ((seed === null ? scale : seed[n] * scale) / C) * (w === null ? 1 : w[t]);
      let sum = 0;
      let gt = 0;
      for (let i = 0; i < C; i++) {
        if (i === t) continue;
        const z = margin - xt + x[base + i];
        if (z > 0 || z !== z) {
          let h = p === 1 ? z : z * z;
          if (w !== null) h *= w[t];
          sum += h;
          const d = p === 1 ? gn : 2 * gn * z;
          gt -= d;
          g[base + i] = d;
        }
      }
      g[base + t] = gt;
      const l = sum / C;
      if (out !== null) out[n] = l;
      const st = total + l;
      comp += Math.abs(total) >= Math.abs(l) ? total - st + l : l - st + total;
      total = st;
    }
    return neumaierResult(total, comp);
  },
});
