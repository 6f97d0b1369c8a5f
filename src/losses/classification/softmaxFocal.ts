import type { Plan } from '../../core/define.js';
import { defineLoss } from '../../core/define.js';
import type { ClassLayout } from '../../core/layout.js';
import { indexTarget, torchClassLayout } from '../../core/layout.js';
import { CompensatedSum, expShiftedInto, maxAlong, SUM_BLOCK } from '../../core/numerics.js';
import { STANDARD_REDUCTIONS } from '../../core/reduce.js';
import type { FloatArray } from '../../core/tensor.js';
import { classVector, positionBase, targetWeightSum, zeroRow } from './softmax-common.js';
import { EXAMPLE_LOGITS_3, IGNORE_INDEX, INDEX_TARGET_N, LOGITS_NC } from './softmax-specs.js';

export interface SoftmaxFocalPlan extends Plan {
  x: FloatArray;
  layout: ClassLayout;
  y: Int32Array;
  /** Per-class α (length C), or null with `alphaAll` applying to every class. */
  alphaPerClass: Float64Array | null;
  alphaAll: number;
  gamma: number;
  ignoreIndex: number;
  /** Float64 scratch row of length C: the softmax numerators of one position. */
  e: Float64Array;
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
    whenToUse:
      'Multi-class classification where easy examples vastly outnumber the informative ones: dense detection (about 1 foreground candidate per 1000 background ones) or segmentation with a dominant background. The factor (1 − p_t)^γ shrinks the loss of well-classified samples (100× at p_t = 0.9 with γ = 2), so the rare, hard ones drive the gradient instead of the mass of easy negatives (Lin et al. 2017); α re-weights classes on top. With γ = 0 and no α it is crossEntropy.',
    caveats: [
      'Two interacting hyperparameters: a larger γ wants a smaller α (the paper settles on γ = 2, α = 0.25 for its sigmoid form and finds γ in [0.5, 5] robust); both need tuning per task.',
      "This is the paper's per-sample loss. The seed-003 code, which applies (1 − p)^γ to the batch-mean cross-entropy, is a different and much weaker loss, so results reported with it do not carry over.",
      "'mean' divides by the number of non-ignored samples, not by Σα: α rescales the loss, and with it the effective learning rate.",
      'On detection heads the paper initialises the classifier bias to a foreground prior (π = 0.01), without which its RetinaNet training diverged, and normalises the summed loss by the number of positive anchors rather than by all of them.',
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
      e: new Float64Array(layout.numClasses),
    };
  },
  writesEveryGrad: true,
  kernel(plan: SoftmaxFocalPlan, out, grads, seed, scale) {
    // One exp(x − max) per class into the float64 scratch row (p_j = e_j / Σe) and one (1 − p_t)^γ
    // per position.
    const { x, y, alphaPerClass, alphaAll, gamma, ignoreIndex, e, layout } = plan;
    const { numClasses: C, inner, size: n } = layout;
    const g = grads === null ? null : grads.input;
    const acc = new CompensatedSum();
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const end = Math.min(n, b + SUM_BLOCK);
      let s = 0;
      for (let k = b; k < end; k++) {
        const base = positionBase(k, layout);
        const t = y[k];
        let l = 0;
        if (t === ignoreIndex) {
          if (g !== null) zeroRow(g, base, inner, C);
        } else {
          const it = base + t * inner;
          const m = maxAlong(x, base, inner, C);
          const se = expShiftedInto(x, e, base, inner, C, m);
          const lp = x[it] - m - Math.log(se);
          // 1 − p_t without cancellation as p_t → 1
          const om = -Math.expm1(lp);
          const pw = Math.pow(om, gamma);
          const a = alphaPerClass === null ? alphaAll : alphaPerClass[t];
          l = -a * pw * lp;
          if (g !== null) {
            // d/dx_j = F·(p_j − [j = t]), F = α[(1−p)^γ − γ·p·(1−p)^(γ−1)·log p]; the second term
            // → 0 as p → 1, so it is dropped at 1 − p = 0 (where (1−p)^(γ−1) alone may be infinite).
            let f = pw;
            if (gamma !== 0 && om !== 0) f -= gamma * Math.exp(lp) * Math.pow(om, gamma - 1) * lp;
            f *= a * (seed === null ? scale : seed[k] * scale);
            const r = f / se;
            for (let c = 0, i = base; c < C; c++, i += inner) g[i] = e[c] * r;
            g[it] = e[t] * r - f;
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
