import { defineLoss } from '../../core/define.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { Elem } from '../elementwise.js';
import { INPUT_VALUES } from '../elementwise.js';
import type { HingePlan } from './sigmoid-common.js';
import { prepareHinge } from './sigmoid-common.js';
import { HINGE_EXAMPLES, HINGE_LABEL_CAVEAT, HINGE_NOTES, HINGE_TARGET } from './sigmoid-specs.js';
import { pairFast } from '../../wasm/elementwise.js';

/**
 * max(0, 1 − t·x) and its subgradient −t·[1 − t·x ≥ 0]: the full slope at the kink, as torch's
 * clamp_min. Number(m >= 0) is the 0/1 flag without a branch.
 */
function hingeAt(x: number, t: number): Elem {
  const m = 1 - t * x;
  return { l: Math.max(0, m), g: -t * Number(m >= 0) };
}

/** Hinge loss, Keras `Hinge` elementwise: max(0, 1 − y·x). */
export const hinge = defineLoss({
  meta: {
    id: 'hinge',
    task: 'classification',
    title: 'Hinge loss',
    summary: 'Margin loss max(0, 1 − y·x) for ±1 labels; 0/1 labels are converted to ±1.',
    formula: '\\ell_i = \\max(0,\\ 1 - y_i x_i)',
    inputs: [INPUT_VALUES, HINGE_TARGET],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Keras Hinge',
        url: 'https://keras.io/api/losses/hinge_losses/',
        implementation: 'keras.losses.hinge (keras/src/losses/losses.py), elementwise',
      },
    ],
    examples: HINGE_EXAMPLES,
    whenToUse:
      'Maximum-margin binary classification with raw scores (the SVM loss, seed 000): an example on the right side of the margin (y·x ≥ 1) costs nothing and one inside or beyond it costs its distance to the margin, so training concentrates on the examples near the decision boundary. Pick it for a margin classifier when calibrated probabilities are not needed.',
    caveats: [
      'The scores are not probabilities and come out uncalibrated; use bceWithLogits when probabilities matter.',
      'The gradient is constant inside the margin and 0 beyond it, with a kink at y·x = 1: well-classified examples stop contributing entirely, and squaredHinge or softMargin give smoother gradients.',
      HINGE_LABEL_CAVEAT,
    ],
    notes: [
      ...HINGE_NOTES,
      'At exactly 1 − y·x = 0 the gradient is −y (torch clamp_min convention).',
    ],
  },
  prepare: (inputs, _options, id): HingePlan => prepareHinge(id, inputs.input, inputs.target),
  writesEveryGrad: true,
  kernel(plan: HingePlan, out, grads, seed, scale) {
    const { x, y, size: n } = plan;
    const { scale: ys, shift: y0 } = plan.options;
    const g = grads === null ? null : grads.input;
    const fast = pairFast('hinge', x, y, out, g, seed, scale, ys, y0);
    if (fast !== undefined) return fast;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      if (g !== null && out === null && seed === null) {
        // The training path (reduced loss and its gradient) without per-element branches.
        for (let i = b; i < e; i++) {
          const r = hingeAt(x[i], ys * y[i] + y0);
          s += r.l;
          g[i] = r.g * scale;
        }
      } else {
        for (let i = b; i < e; i++) {
          const r = hingeAt(x[i], ys * y[i] + y0);
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
