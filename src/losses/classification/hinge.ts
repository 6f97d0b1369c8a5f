import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { INPUT_VALUES } from '../elementwise.js';
import type { HingePlan } from './sigmoid-common.js';
import { HINGE_EXAMPLES, HINGE_NOTES, HINGE_TARGET, prepareHinge } from './sigmoid-common.js';

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
    notes: [
      ...HINGE_NOTES,
      'At exactly 1 − y·x = 0 the gradient is −y (torch clamp_min convention).',
    ],
  },
  prepare: (inputs, _options, id): HingePlan => prepareHinge(id, inputs.input, inputs.target),
  forward(plan: HingePlan, out) {
    const { x, y } = plan;
    const convert = plan.options.convert;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const t = convert ? 2 * y[i] - 1 : y[i];
      const l = Math.max(0, 1 - t * x[i]);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: HingePlan, seed, scale, grads) {
    const { x, y } = plan;
    const convert = plan.options.convert;
    const g = grads.input;
    for (let i = 0; i < x.length; i++) {
      const c = seed === null ? scale : seed[i] * scale;
      const t = convert ? 2 * y[i] - 1 : y[i];
      g[i] = 1 - t * x[i] >= 0 ? -t * c : 0;
    }
  },
  fused(plan: HingePlan, out, seed, scale, grads) {
    const { x, y } = plan;
    const convert = plan.options.convert;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let i = 0; i < x.length; i++) {
      const t = convert ? 2 * y[i] - 1 : y[i];
      const m = 1 - t * x[i];
      const l = Math.max(0, m);
      if (out !== null) out[i] = l;
      const next = sum + l;
      comp += Math.abs(sum) >= Math.abs(l) ? sum - next + l : l - next + sum;
      sum = next;
      g[i] = m >= 0 ? -t * (seed === null ? scale : seed[i] * scale) : 0;
    }
    return neumaierResult(sum, comp);
  },
});
