import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { fail } from '../../core/errors.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import { requireSameShape } from '../../core/shapes.js';
import { SCORES_NC } from './softmax-common.js';
import { marginClassLayout } from '../../core/layout.js';

/** The padding value that ends a sample's list of target classes. */
const PAD = -1;

export interface MultilabelMarginPlan extends Plan {
  x: Float64Array;
  y: Int32Array;
  numClasses: number;
  /** Number of leading target entries (before the first −1) per sample. */
  count: Int32Array;
  /** 1 where class c of sample n is one of its targets. */
  isTarget: Uint8Array;
}

/** Multi-label hinge over (target, non-target) pairs, torch `multilabel_margin_loss`. */
export const multilabelMargin = defineLoss({
  meta: {
    id: 'multilabelMargin',
    task: 'classification',
    title: 'Multi-label margin loss',
    summary:
      'Hinge max(0, 1 − (x_target − x_other)) summed over every (target class, non-target class) pair and divided by C; targets are listed as indices padded with −1.',
    formula:
      '\\ell_n = \\frac{1}{C}\\sum_{j \\in T_n}\\sum_{i \\notin T_n}\\max\\big(0,\\ 1 - (x_{n,j} - x_{n,i})\\big)',
    inputs: [
      SCORES_NC,
      {
        name: 'target',
        role: 'classIndices',
        shape: '(N, C) or (C) same as input',
        differentiable: false,
        kind: 'index',
        doc: 'Per sample, the target class indices followed by −1 padding; entries after the first −1 are ignored (but must lie in [−1, C)).',
      },
    ],
    options: {},
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch MultiLabelMarginLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.MultiLabelMarginLoss.html',
        implementation: 'torch.nn.functional.multilabel_margin_loss (PyTorch 1.13)',
      },
    ],
    examples: [
      {
        title: "torch's documentation example (0.85)",
        inputs: { input: [[0.1, 0.2, 0.4, 0.8]], target: [[3, 0, -1, 1]] },
      },
    ],
    notes: [
      'Only the indices before the first −1 count; a repeated target index counts twice (as torch).',
      "At exactly 1 − (x_j − x_i) = 0 the gradient is 0 (torch's kernel tests z > 0).",
    ],
  },
  prepare(inputs, _options, id): MultilabelMarginPlan {
    const { input, target } = inputs;
    const layout = marginClassLayout(id, input);
    requireSameShape(id, { name: 'input', tensor: input }, { name: 'target', tensor: target });
    const C = layout.numClasses;
    const y = target.data;
    for (let i = 0; i < y.length; i++) {
      if (y[i] < PAD || y[i] >= C) {
        fail(
          'E_RANGE',
          id,
          "input 'target'",
          `class indices in [0, ${C - 1}] or the padding -1`,
          `${y[i]} at flat position ${i}`,
        );
      }
    }
    const n = layout.size;
    const count = new Int32Array(n);
    const isTarget = new Uint8Array(n * C);
    for (let s = 0; s < n; s++) {
      let len = 0;
      while (len < C && y[s * C + len] !== PAD) {
        isTarget[s * C + y[s * C + len]] = 1;
        len++;
      }
      count[s] = len;
    }
    return { size: n, outShape: layout.outShape, x: input.data, y, numClasses: C, count, isTarget };
  },
  forward(plan: MultilabelMarginPlan, out) {
    const { x, y, numClasses: C, count, isTarget } = plan;
    let total = 0;
    let comp = 0;
    for (let s = 0; s < count.length; s++) {
      const base = s * C;
      let sum = 0;
      for (let j = 0; j < count[s]; j++) {
        const xj = x[base + y[base + j]];
        for (let i = 0; i < C; i++) {
          if (isTarget[base + i] === 1) continue;
          const z = 1 - xj + x[base + i];
          if (z > 0 || z !== z) sum += z;
        }
      }
      const l = sum / C;
      if (out !== null) out[s] = l;
      const st = total + l;
      comp += Math.abs(total) >= Math.abs(l) ? total - st + l : l - st + total;
      total = st;
    }
    return neumaierResult(total, comp);
  },
  backward(plan: MultilabelMarginPlan, seed, scale, grads) {
    const { x, y, numClasses: C, count, isTarget } = plan;
    const g = grads.input;
    for (let s = 0; s < count.length; s++) {
      const base = s * C;
      const h = (seed === null ? scale : seed[s] * scale) / C;
      for (let j = 0; j < count[s]; j++) {
        const tj = base + y[base + j];
        const xj = x[tj];
        for (let i = 0; i < C; i++) {
          if (isTarget[base + i] === 1) continue;
          const z = 1 - xj + x[base + i];
          if (z > 0 || z !== z) {
            g[tj] -= h;
            g[base + i] += h;
          }
        }
      }
    }
  },
  fused(plan: MultilabelMarginPlan, out, seed, scale, grads) {
    const { x, y, numClasses: C, count, isTarget } = plan;
    const g = grads.input;
    let total = 0;
    let comp = 0;
    for (let s = 0; s < count.length; s++) {
      const base = s * C;
      const h = (seed === null ? scale : seed[s] * scale) / C;
      let sum = 0;
      for (let j = 0; j < count[s]; j++) {
        const tj = base + y[base + j];
        const xj = x[tj];
        // Only this loop writes g[tj] (i runs over non-targets): a local keeps backward's order.
        let gj = g[tj];
        for (let i = 0; i < C; i++) {
          if (isTarget[base + i] === 1) continue;
          const z = 1 - xj + x[base + i];
          if (z > 0 || z !== z) {
            sum += z;
            gj -= h;
            g[base + i] += h;
          }
        }
        g[tj] = gj;
      }
      const l = sum / C;
      if (out !== null) out[s] = l;
      const st = total + l;
      comp += Math.abs(total) >= Math.abs(l) ? total - st + l : l - st + total;
      total = st;
    }
    return neumaierResult(total, comp);
  },
});
