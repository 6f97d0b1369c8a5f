import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import { neumaierResult } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { ClassLayout } from '../../core/layout.js';
import { classVector, IGNORE_INDEX, INDEX_TARGET_N, LOGITS_NC, targetWeightSum, EXAMPLE_LOGITS_3 } from './softmax-common.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { expShiftedInto, logSumExpShifted, maxAlong } from '../../core/numerics.js';

export interface SoftmaxFocalPlan extends Plan {
  x: Float64Array;
  layout: ClassLayout;
  y: Int32Array;
  /** Per-class α (length C), or null with `alphaAll` applying to every class. */
  alphaPerClass: Float64Array | null;
  alphaAll: number;
  gamma: number;
  ignoreIndex: number;
}

/** Multiclass focal loss on softmax probabilities, per sample (Lin et al. 2017). */
export const softmaxFocal = defineLoss({
  meta: {
    id: 'softmaxFocal',
    task: 'classification',
    title: 'Softmax focal loss',
    summary:
      'Per-sample focal loss −α_t(1 − p_t)^γ log p_t on the softmax probability of the target class, averaged over non-ignored samples.',
    formula:
      '\\ell_n = -\\alpha_{y_n}\\,(1 - p_{n,y_n})^{\\gamma}\\log p_{n,y_n},\\quad p_n = \\operatorname{softmax}(x_n)',
    inputs: [LOGITS_NC, INDEX_TARGET_N],
    options: {
      gamma: {
        type: 'number',
        default: 2,
        min: 0,
        doc: 'Focusing parameter γ ≥ 0 (0 gives α-weighted cross-entropy).',
      },
      alpha: {
        type: 'tensor',
        default: null,
        allowNumber: true,
        doc: 'Class balance: null (1), a number for every class, or a 1-D tensor of length C indexed by the target class.',
      },
      ignoreIndex: IGNORE_INDEX,
    },
    reductions: STANDARD_REDUCTIONS,
    references: [
      {
        title: 'Focal Loss for Dense Object Detection (Lin et al., ICCV 2017)',
        url: 'https://arxiv.org/abs/1708.02002',
        implementation:
          'per-sample softmax form of the paper (torch transcription in tools/golden/gen_classification_multiclass.py)',
      },
    ],
    examples: [
      {
        title: 'Three samples, γ = 2',
        inputs: {
          input: EXAMPLE_LOGITS_3,
          target: [0, 2, 1],
        },
      },
      {
        title: 'Per-class α and an ignored sample',
        inputs: {
          input: EXAMPLE_LOGITS_3,
          target: [0, -100, 1],
        },
        options: { gamma: 1.5, alpha: [0.25, 0.5, 0.25] },
      },
    ],
    notes: [
      "'mean' divides by the number of non-ignored samples (not by Σα). This is the paper's per-sample loss, not the seed-003 code that applies the focal factor to the batch-mean cross-entropy.",
      'γ = 0 with α = null equals crossEntropy (value and gradient). 1 − p_t is computed as −expm1(log p_t).',
    ],
  },
  prepare(inputs, options, id): SoftmaxFocalPlan {
    const { input, target } = inputs;
    const layout = torchClassLayout(id, input);
    const y = indexTarget(id, target, layout, options.ignoreIndex, input.shape);
    let alphaPerClass: Float64Array | null = null;
    let alphaAll = 1;
    const a = options.alpha;
    if (a !== null) {
      if (a.shape.length === 0) alphaAll = a.data[0];
      else alphaPerClass = classVector(id, a, layout.numClasses, 'alpha', 'one α per class');
    }
    return {
      size: layout.size,
      outShape: layout.outShape,
      divisors: { mean: targetWeightSum(y, null, options.ignoreIndex) },
      x: input.data,
      layout,
      y,
      alphaPerClass,
      alphaAll,
      gamma: options.gamma,
      ignoreIndex: options.ignoreIndex,
    };
  },
  forward(plan: SoftmaxFocalPlan, out) {
    const { x, y, alphaPerClass, alphaAll, gamma, ignoreIndex } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    let sum = 0;
    let comp = 0;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        let l = 0;
        if (t !== ignoreIndex) {
          const base = o * C * inner + s;
          const m = maxAlong(x, base, inner, C);
          const lp = x[base + t * inner] - m - logSumExpShifted(x, base, inner, C, m);
          const a = alphaPerClass === null ? alphaAll : alphaPerClass[t];
          l = -a * Math.pow(-Math.expm1(lp), gamma) * lp;
        }
        if (out !== null) out[k] = l;
        const st = sum + l;
        comp += Math.abs(sum) >= Math.abs(l) ? sum - st + l : l - st + sum;
        sum = st;
      }
    }
    return neumaierResult(sum, comp);
  },
  backward(plan: SoftmaxFocalPlan, seed, scale, grads) {
    const { x, y, alphaPerClass, alphaAll, gamma, ignoreIndex } = plan;
    const { outer, numClasses: C, inner } = plan.layout;
    const g = grads.input;
    for (let o = 0; o < outer; o++) {
      for (let s = 0; s < inner; s++) {
        const k = o * inner + s;
        const t = y[k];
        if (t === ignoreIndex) continue;
        const ck = seed === null ? scale : seed[k] * scale;
        const base = o * C * inner + s;
        const m = maxAlong(x, base, inner, C);
        const ls = logSumExpShifted(x, base, inner, C, m);
        const lp = x[base + t * inner] - m - ls;
        const pt = Math.exp(lp);
        const om = -Math.expm1(lp);
        const a = alphaPerClass === null ? alphaAll : alphaPerClass[t];
        // d/dx_j = F·(p_j − [j = t]), F = α[(1−p)^γ − γ·p·(1−p)^(γ−1)·log p]; the second term → 0 as
        // p → 1, so it is dropped at 1 − p = 0 (where (1−p)^(γ−1) alone may be infinite).
        let f = Math.pow(om, gamma);
        if (gamma !== 0 && om !== 0) f -= gamma * pt * Math.pow(om, gamma - 1) * lp;
        f *= a * ck;
        for (let c = 0, i = base; c < C; c++, i += inner) {
          let d = Math.exp(x[i] - m - ls) * f;
          if (c === t) d -= f;
          g[i] = d;
        }
      }
    }
  },
  fused(plan: SoftmaxFocalPlan, out, seed, scale, grads) {
    // One exp(x − max) per class, kept in g (p_j = e_j / Σe), and one (1 − p_t)^γ per position.
    const { x, y, alphaPerClass, alphaAll, gamma, ignoreIndex } = plan;
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
          const ck = seed === null ? scale : seed[k] * scale;
          const base = o * C * inner + s;
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, g, base, inner, C, m);
          const lp = x[base + t * inner] - m - Math.log(se);
          const om = -Math.expm1(lp);
          const pw = Math.pow(om, gamma);
          const a = alphaPerClass === null ? alphaAll : alphaPerClass[t];
          l = -a * pw * lp;
          // d/dx_j = F·(p_j − [j = t]), F = α[(1−p)^γ − γ·p·(1−p)^(γ−1)·log p] (see backward).
          let f = pw;
          if (gamma !== 0 && om !== 0) f -= gamma * Math.exp(lp) * Math.pow(om, gamma - 1) * lp;
          f *= a * ck;
          const r = f / se;
          for (let c = 0, i = base; c < C; c++, i += inner) g[i] = g[i] * r;
          g[base + t * inner] -= f;
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
