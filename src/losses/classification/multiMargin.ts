import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { indexTarget, marginClassLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { classWeight } from './softmax-common.js';
import { CLASS_WEIGHT, SCORES_NC } from './softmax-specs.js';

export interface MultiMarginPlan extends Plan {
  x: FloatArray;
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
    whenToUse:
      "torch's multi-class hinge on raw scores with integer targets (Weston & Watkins' multiclass SVM): every wrong class scoring within the margin of the true class is penalised, so all violators are pushed down at once, unlike categoricalHinge which only pushes the worst one. Use it for SVM-style max-margin classifiers; p = 2 squares the hinge for a smoother loss that weighs large violations more.",
    caveats: [
      'The sum is divided by C (not C − 1) and the weight is indexed by the target class: the value shrinks as 1/C, so a learning rate does not carry over between class counts.',
      'Zero loss and zero gradient once every margin is met: no probabilities, and nothing pushes beyond the margin, whose scale is that of the scores.',
      'At exactly margin − x_y + x_i = 0 the gradient is 0 (torch tests z > 0).',
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
  writesEveryGrad: true,
  kernel(plan: MultiMarginPlan, out, grads, seed, scale) {
    const { x, y, numClasses: C, p, margin, w } = plan;
    const n = y.length;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = k * C;
        const t = y[k];
        const xt = x[base + t];
        const wt = w === null ? 1 : w[t];
        let sum = 0;
        if (g === null) {
          for (let i = 0; i < C; i++) {
            if (i === t) continue;
            // max(z, 0)^p, NaN propagating (torch adds z only where z > 0)
            const h = Math.max(margin - xt + x[base + i], 0);
            sum += p === 1 ? h : h * h;
          }
        } else {
          const gn = ((seed === null ? scale : seed[k] * scale) / C) * wt;
          let gt = 0;
          for (let i = 0; i < C; i++) {
            if (i === t) continue;
            const z = margin - xt + x[base + i];
            const h = Math.max(z, 0);
            sum += p === 1 ? h : h * h;
            // slope at z > 0 (and NaN, which propagates); 0 at exactly z = 0, as torch's kernel
            const d = z > 0 || z !== z ? (p === 1 ? gn : 2 * gn * z) : 0;
            gt -= d;
            g[base + i] = d;
          }
          g[base + t] = gt;
        }
        const l = (wt * sum) / C;
        if (out !== null) out[k] = l;
        s += l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
