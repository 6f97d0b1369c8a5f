import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem } from '../elementwise.js';
import { INPUT_VALUES } from '../elementwise.js';
import type { HingePlan } from './sigmoid-common.js';
import { prepareHinge } from './sigmoid-common.js';
import { HINGE_EXAMPLES, HINGE_LABEL_CAVEAT, HINGE_NOTES, HINGE_TARGET } from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

/** h² with h = max(0, 1 − t·x), and its derivative −2t·h (0 at and beyond the kink). */
function squaredHingeAt(x: number, t: number): Elem {
  const h = Math.max(0, 1 - t * x);
  return { l: h * h, g: -2 * t * h };
}

/** Squared hinge loss, Keras `SquaredHinge` elementwise: max(0, 1 − y·x)². */
export const squaredHinge = defineLoss({
  meta: {
    id: 'squaredHinge',
    task: 'classification',
    title: 'Squared hinge loss',
    summary: 'Squared margin loss max(0, 1 − y·x)² for ±1 labels; 0/1 labels are converted to ±1.',
    formula: '\\ell_i = \\max(0,\\ 1 - y_i x_i)^2',
    inputs: [INPUT_VALUES, HINGE_TARGET],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras SquaredHinge',
        url: 'https://keras.io/api/losses/hinge_losses/',
        implementation: 'keras.losses.squared_hinge (keras/src/losses/losses.py), elementwise',
      },
    ],
    examples: HINGE_EXAMPLES,
    whenToUse:
      'A margin classifier with a smooth gradient (the L2-SVM loss): the squared violation max(0, 1 − y·x)² is differentiable everywhere, its gradient shrinks to 0 as an example reaches the margin, and large violations cost quadratically more than under hinge.',
    caveats: [
      'Squaring lets badly misclassified examples, including mislabelled ones, dominate the loss and its gradient, as mse does for regression outliers; hinge is more robust to them.',
      HINGE_LABEL_CAVEAT,
    ],
    notes: [...HINGE_NOTES],
  },
  prepare: (inputs, _options, id): HingePlan => prepareHinge(id, inputs.input, inputs.target),
  writesEveryGrad: true,
  kernel(plan: HingePlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const { scale: ys, shift: y0 } = plan.options;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('squaredHinge', x, y, out, g, seed, scale, ys, y0);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = squaredHingeAt(x[i], ys * y[i] + y0);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = squaredHingeAt(x[i], ys * y[i] + y0);
          s += r.l;
          if (out !== null) out[i] = r.l;
          if (g !== null) g[i] = r.g * (seed === null ? scale : seed[i] * scale);
        }
      }
      acc.add(s);
    }
    return acc.value();
  },
});
