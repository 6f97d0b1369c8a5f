import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ClassLayout } from '../../core/layout.js';
import { CLASS_WEIGHT, classWeight, IGNORE_INDEX, INDEX_TARGET_N, targetWeightSum } from './softmax-common.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';

export interface NllPlan extends Plan {
  x: Float64Array;
  layout: ClassLayout;
  y: Int32Array;
  w: Float64Array | null;
  ignoreIndex: number;
}

/** Negative log-likelihood of log-probabilities, torch `nll_loss`. */
export const nll = defineLoss({
  meta: {
    id: 'nll',
    task: 'classification',
    title: 'Negative log-likelihood',
    summary:
      'Minus the (weighted) log-probability of the target class, with an ignore index; the weighted mean divides by the total weight of the targets.',
    formula:
      '\\ell_n = -w_{y_n}\\,x_{n,y_n},\\quad \\text{mean} = \\frac{\\sum_n \\ell_n}{\\sum_{n\\,\\text{not ignored}} w_{y_n}}',
    inputs: [
      {
        name: 'input',
        role: 'logProbabilities',
        shape: '(N, C, d1, ...) or (C)',
        differentiable: true,
        kind: 'float',
        doc: 'Log-probabilities (e.g. a log-softmax output); classes on dim 1 (dim 0 when unbatched).',
      },
      INDEX_TARGET_N,
    ],
    options: { weight: CLASS_WEIGHT, ignoreIndex: IGNORE_INDEX },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'PyTorch NLLLoss',
        url: 'https://pytorch.org/docs/1.13/generated/torch.nn.NLLLoss.html',
        implementation: 'torch.nn.functional.nll_loss (PyTorch 1.13)',
      },
    ],
    examples: [
      {
        title: 'Three samples of log-probabilities',
        inputs: {
          input: [
            [-0.4, -1.4, -2.3],
            [-1.2, -0.7, -1.5],
            [-2.0, -1.0, -0.5],
          ],
          target: [0, 1, 2],
        },
      },
      {
        title: 'Class weights and an ignored sample',
        inputs: {
          input: [
            [-0.4, -1.4, -2.3],
            [-1.2, -0.7, -1.5],
            [-2.0, -1.0, -0.5],
          ],
          target: [2, -100, 0],
        },
        options: { weight: [0.5, 1, 2] },
      },
    ],
    notes: [
      'All targets ignored or zero total weight: 0 with zero gradient (torch returns NaN under mean).',
      'The input is not checked to be log-probabilities: any real values are accepted, as torch does.',
    ],
  },
  prepare(inputs, options, id): NllPlan {
    const { input, target } = inputs;
    const layout = torchClassLayout(id, input);
    const w = classWeight(id, options.weight, layout.numClasses);
    const y = indexTarget(id, target, layout, options.ignoreIndex, input.shape);
    return {
      size: layout.size,
      outShape: layout.outShape,
      divisors: { mean: targetWeightSum(y, w, options.ignoreIndex) },
      x: input.data,
      layout,
      y,
      w,
      ignoreIndex: options.ignoreIndex,
    };
  },
  forward(plan: NllPlan, out) {
    const { x, y, w, ignoreIndex } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        const l = t === ignoreIndex ? 0 : -(w === null ? 1 : w[t]) * x[(o * C + t) * inner + s];
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: NllPlan, seed, scale, grads) {
    const { y, w, ignoreIndex } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        if (t === ignoreIndex) continue;
        const ck = seed === null ? scale : seed[k] * scale;
        g[(o * C + t) * inner + s] = -(w === null ? 1 : w[t]) * ck;
      }
    }
  },
  fused(plan: NllPlan, out, seed, scale, grads) {
    const { x, y, w, ignoreIndex } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        let l = 0;
        if (t !== ignoreIndex) {
          const i = (o * C + t) * inner + s;
          const wt = w === null ? 1 : w[t];
          l = -wt * x[i];
          g[i] = -wt * (seed === null ? scale : seed[k] * scale);
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
