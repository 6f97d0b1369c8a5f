import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ClassLayout } from '../../core/layout.js';
import { kerasClassLayout } from '../../core/layout.js';

export interface CategoricalHingePlan extends Plan {
  x: Float64Array;
  t: Float64Array;
  layout: ClassLayout;
}

/** Keras `CategoricalHinge`: max(0, 1 + max((1−y)·x) − Σ y·x) over the last axis. */
export const categoricalHinge = defineLoss({
  meta: {
    id: 'categoricalHinge',
    task: 'classification',
    title: 'Categorical hinge (Keras)',
    summary:
      'Hinge between the true-class score and the largest other score: max(0, 1 + max((1 − y)·x) − Σ y·x), one value per sample.',
    formula: '\\ell = \\max\\big(0,\\ 1 + \\max_c (1-y_c)x_c - \\textstyle\\sum_c y_c x_c\\big)',
    inputs: [
      {
        name: 'input',
        role: 'values',
        shape: '(N, C)',
        differentiable: true,
        kind: 'float',
        doc: 'Class scores; classes along the last axis (any leading dims).',
      },
      {
        name: 'target',
        role: 'targets',
        shape: '(N, C) same as input',
        differentiable: false,
        kind: 'float',
        doc: 'One-hot targets, the input shape.',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras CategoricalHinge',
        url: 'https://keras.io/api/losses/hinge_losses/#categoricalhinge-class',
        implementation: 'keras.losses.categorical_hinge (keras/src/losses/losses.py)',
      },
      {
        title:
          'On the Algorithmic Implementation of Multiclass Kernel-based Vector Machines (Crammer & Singer, 2001)',
        url: 'https://www.jmlr.org/papers/v2/crammer01a.html',
      },
    ],
    examples: [
      {
        title: 'Two samples, one inside the margin',
        inputs: {
          input: [
            [0.3, 1.2, -0.5],
            [2.0, 0.1, 0.4],
          ],
          target: [
            [0, 1, 0],
            [0, 0, 1],
          ],
        },
      },
    ],
    notes: [
      'The max runs over every class, the true-class slot included (its value (1 − 1)·x is 0), so with all other scores negative that term is 0.',
      'Gradient as torch autograd of the Keras formula on the torch backend: the max (amax) splits its gradient evenly among tied classes, and the outer max(·, 0) passes half at exactly 0.',
    ],
  },
  prepare(inputs, _options, id): CategoricalHingePlan {
    const { input, target } = inputs;
    const layout = kerasClassLayout(id, input, -1, target, '(N, C)');
    return {
      size: layout.size,
      outShape: layout.outShape,
      x: input.data,
      t: target.data,
      layout,
    };
  },
  forward(plan: CategoricalHingePlan, out) {
    const { x, t } = plan;
    const { size, numClasses: C } = plan.layout;
    let sum = 0;
    let comp = 0;
    for (let k = 0; k < size; k++) {
      const base = k * C;
      let pos = 0;
      let neg = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = (1 - t[base + c]) * x[base + c];
        if (v > neg || v !== v) neg = v;
        pos += t[base + c] * x[base + c];
      }
      const a = neg - pos + 1;
      const l = a > 0 || a !== a ? a : 0;
      if (out !== null) out[k] = l;
      const st = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
      sum = st;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: CategoricalHingePlan, seed, scale, grads) {
    const { x, t } = plan;
    const { size, numClasses: C } = plan.layout;
    const g = grads.input;
    for (let k = 0; k < size; k++) {
      const base = k * C;
      let pos = 0;
      let neg = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = (1 - t[base + c]) * x[base + c];
        if (v > neg || v !== v) neg = v;
        pos += t[base + c] * x[base + c];
      }
      const a = neg - pos + 1;
      // torch.maximum(a, 0): full slope above, half at the tie, none below (NaN passes through).
      const slope = a > 0 || a !== a ? 1 : a === 0 ? 0.5 : 0;
      if (slope === 0) continue;
      let ties = 0;
      for (let c = 0; c < C; c++) if ((1 - t[base + c]) * x[base + c] === neg) ties++;
      const ck = (seed === null ? scale : seed[k] * scale) * slope;
      for (let c = 0; c < C; c++) {
        const yc = t[base + c];
        const share = (1 - yc) * x[base + c] === neg ? (1 - yc) / ties : 0;
        g[base + c] = ck * (share - yc);
      }
    }
  },
  fused(plan: CategoricalHingePlan, out, seed, scale, grads) {
    const { x, t } = plan;
    const { size, numClasses: C } = plan.layout;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let k = 0; k < size; k++) {
      const base = k * C;
      let pos = 0;
      let neg = -Infinity;
      // Values equal to the running max, counted as backward counts them once the max is known
      // (a NaN max equals nothing, so its stale count is never read).
      let ties = 0;
      for (let c = 0; c < C; c++) {
        const v = (1 - t[base + c]) * x[base + c];
        if (v > neg || v !== v) {
          neg = v;
          ties = 1;
        } else if (v === neg) ties++;
        pos += t[base + c] * x[base + c];
      }
      const a = neg - pos + 1;
      const l = a > 0 || a !== a ? a : 0;
      if (out !== null) out[k] = l;
      const st = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
      sum = st;
      // torch.maximum(a, 0): full slope above, half at the tie, none below (NaN passes through).
      const slope = a > 0 || a !== a ? 1 : a === 0 ? 0.5 : 0;
      if (slope === 0) continue;
      const ck = (seed === null ? scale : seed[k] * scale) * slope;
      for (let c = 0; c < C; c++) {
        const yc = t[base + c];
        const share = (1 - yc) * x[base + c] === neg ? (1 - yc) / ties : 0;
        g[base + c] = ck * (share - yc);
      }
    }
    return neumaierResult(sum, comp);
  },
});
