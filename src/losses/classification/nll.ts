import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { CompensatedSum, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { classWeight, positionBase, targetWeightSum } from './softmax-common.js';
import { CLASS_WEIGHT, IGNORE_INDEX, INDEX_TARGET_N } from './softmax-specs.js';

export interface NllPlan extends Plan {
  x: FloatArray;
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
    whenToUse:
      "Use when the model already outputs log-probabilities (a log-softmax layer, an adaptive softmax, any normalised log-density over classes): it takes −w_y·log p_y of the target class with torch's class weights and ignore index, and is what language models and sequence taggers call the negative log-likelihood. On raw logits use crossEntropy, which is log-softmax and nll in one stable step.",
    caveats: [
      'The input is not checked: probabilities or raw logits instead of log-probabilities give a wrong (even negative) loss without an error.',
      "With class weights, 'mean' divides by the summed weight of the non-ignored targets (torch), not by the number of samples.",
      'No label smoothing and no probability targets: use crossEntropy for those.',
      'A batch whose targets are all ignored gives 0 with zero gradient here; torch returns NaN under mean.',
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
  kernel(plan: NllPlan, out, grads, seed, scale) {
    // Only the target entry of a position has a gradient: the buffer arrives zeroed (writesEveryGrad
    // is false), so the kernel writes that one entry per position.
    const { x, y, w, ignoreIndex, layout } = plan;
    const { inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const t = y[k];
        let l = 0;
        if (t !== ignoreIndex) {
          const i = positionBase(k, layout) + t * inner;
          const wt = w === null ? 1 : w[t];
          l = -wt * x[i];
          if (g !== null) g[i] = -wt * (seed === null ? scale : seed[k] * scale);
        }
        if (out !== null) out[k] = l;
        s += l;
      }
      acc.add(s);
    }
    return acc.value();
  },
});
