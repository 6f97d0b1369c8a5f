import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { kerasClassLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { zeroRow } from './softmax-common.js';

export interface CategoricalHingePlan extends Plan {
  x: FloatArray;
  t: FloatArray;
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
    whenToUse:
      "A multi-class max-margin loss on raw scores with one-hot targets (Crammer & Singer's multiclass SVM, in Keras' CategoricalHinge form): zero once the true score beats the best other score by 1, so correctly classified samples stop contributing and only those inside the margin are trained on. Use it for SVM-style classifiers when margins matter more than calibrated probabilities; prefer crossEntropy when you need probabilities.",
    caveats: [
      'The scores are not probabilities and the loss gives no calibrated confidence; it also gives no gradient at all to samples beyond the margin.',
      'The max includes the true-class slot (value 0): when every other score is negative, the margin is measured against 0 rather than against the best wrong class.',
      'Only the true class and the highest other class (split evenly on ties) receive gradient per sample, so with many classes learning can be slow.',
      'Targets are meant to be one-hot; soft targets are accepted but give the Keras formula, not a soft-label margin.',
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
  writesEveryGrad: true,
  kernel(plan: CategoricalHingePlan, out, grads, seed, scale) {
    const { x, t } = plan;
    const { size: n, numClasses: C } = plan.layout;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        // axis −1: the classes of sample k are contiguous
        const base = k * C;
        let pos = 0;
        let neg = -Infinity;
        // Values equal to the running max; a NaN max equals nothing, so its stale count is never read.
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
        // max(a, 0), NaN propagating
        const l = Math.max(a, 0);
        if (g !== null) {
          // torch.maximum(a, 0): full slope above, half at the tie, none below (NaN passes through).
          const slope = a > 0 || a !== a ? 1 : a === 0 ? 0.5 : 0;
          if (slope === 0) zeroRow(g, base, 1, C);
          else {
            const ck = (seed === null ? scale : seed[k] * scale) * slope;
            for (let c = 0; c < C; c++) {
              const yc = t[base + c];
              const share = (1 - yc) * x[base + c] === neg ? (1 - yc) / ties : 0;
              g[base + c] = ck * (share - yc);
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
