import { defineLoss } from '../../core/define.js';
import type { Plan } from '../../core/define.js';
import { SUM_BLOCK } from '../../core/numerics.js';
import type { SegLayout } from './common.js';
import { segLayout } from './common.js';

export interface MccPlan extends Plan {
  L: SegLayout;
  eps: number;
  /** TP, TN, FP, FN sums and their Neumaier compensations. */
  s: Float64Array;
  c: Float64Array;
}

/** Adds v into s[k] with Neumaier's compensation c[k]. */
function addInto(s: Float64Array, c: Float64Array, k: number, v: number): void {
  const a = s[k];
  const t = a + v;
  c[k] += Math.abs(a) >= Math.abs(v) ? a - t + v : v - t + a;
  s[k] = t;
}

/** Matthews correlation coefficient loss, smp `MCCLoss`. */
export const mcc = defineLoss({
  meta: {
    id: 'mcc',
    task: 'segmentation',
    title: 'Matthews correlation coefficient loss',
    summary:
      'One minus the soft Matthews correlation coefficient of probabilities and a binary mask, with TP, TN, FP, FN summed over the whole batch (smp).',
    formula:
      '\\mathcal{L} = 1 - \\frac{TP\\cdot TN - FP\\cdot FN}{\\sqrt{(TP+FP)(TP+FN)(TN+FP)(TN+FN)}},\\quad TP = \\textstyle\\sum_i p_i t_i + \\varepsilon,\\ TN = \\sum_i (1-p_i)(1-t_i) + \\varepsilon,\\ FP = \\sum_i p_i(1-t_i) + \\varepsilon,\\ FN = \\sum_i (1-p_i)t_i + \\varepsilon',
    inputs: [
      {
        name: 'input',
        role: 'probabilities',
        shape: '(N, 1, d1, ...) or (N, d1, ...)',
        differentiable: true,
        kind: 'float',
        doc: 'Foreground probabilities (smp MCCLoss takes probabilities, not logits).',
      },
      {
        name: 'target',
        role: 'targets',
        shape: 'the spatial shape of input: (N, d1, ...) or (N, 1, d1, ...)',
        differentiable: false,
        kind: 'raw',
        doc: 'Binary (0/1) mask; soft values are used as they are.',
      },
    ],
    options: {
      eps: {
        type: 'number',
        default: 1e-5,
        min: 0,
        doc: 'Added to each of TP, TN, FP, FN (smp eps), so a batch of one class stays finite.',
      },
    },
    reductions: [],
    references: [
      {
        title:
          'Abhishek, Hamarneh, Matthews Correlation Coefficient Loss for Deep Convolutional Networks: Application to Skin Lesion Segmentation (ISBI 2021)',
        url: 'https://arxiv.org/abs/2010.13454',
      },
      {
        title:
          'segmentation_models_pytorch MCCLoss (qubvel/segmentation_models.pytorch bd7f877, losses/mcc.py)',
        url: 'https://github.com/qubvel-org/segmentation_models.pytorch/blob/main/segmentation_models_pytorch/losses/mcc.py',
        implementation: 'segmentation_models_pytorch.losses.MCCLoss',
      },
    ],
    examples: [
      {
        title: 'Two 2×2 probability maps',
        inputs: {
          input: [
            [
              [0.9, 0.2],
              [0.6, 0.1],
            ],
            [
              [0.3, 0.8],
              [0.7, 0.4],
            ],
          ],
          target: [
            [
              [1, 0],
              [1, 0],
            ],
            [
              [0, 1],
              [1, 0],
            ],
          ],
        },
      },
    ],
    whenToUse:
      'Binary segmentation where true negatives matter as well as true positives (skin lesions against a large, varied background): unlike dice, which ignores TN, MCC uses all four confusion counts and stays informative under heavy imbalance in either direction (Abhishek & Hamarneh).',
    caveats: [
      'Binary only, and the input must be probabilities (apply a sigmoid first): there is no fromLogits option, as in smp.',
      'The counts are summed over the whole batch, so the loss of one image depends on the others in the batch.',
      'eps enters each count, so on tiny inputs the loss is biased towards 1 − ε-dominated values.',
    ],
    notes: [
      'A perfect prediction gives mcc ≈ 1 (not exactly, because of eps); an inverted one ≈ −1 (loss 2).',
    ],
  },
  prepare(inputs, o, id): MccPlan {
    return {
      size: 1,
      outShape: [],
      L: segLayout(id, 'binary', inputs.input, inputs.target, null),
      eps: o.eps,
      s: new Float64Array(4),
      c: new Float64Array(4),
    };
  },
  writesEveryGrad: true,
  kernel(plan: MccPlan, _out, grads, _seed, scale) {
    const { L, eps, s, c } = plan;
    const p = L.x;
    const t = L.mask!;
    const n = p.length;
    // s[0..3] = TP, TN, FP, FN (compensated across blocks)
    s.fill(0);
    c.fill(0);
    for (let b = 0; b < n; b += SUM_BLOCK) {
      const e = Math.min(n, b + SUM_BLOCK);
      let tp = 0;
      let tn = 0;
      let fp = 0;
      let fn = 0;
      for (let i = b; i < e; i++) {
        const pi = p[i];
        const ti = t[i];
        tp += pi * ti;
        tn += (1 - pi) * (1 - ti);
        fp += pi * (1 - ti);
        fn += (1 - pi) * ti;
      }
      addInto(s, c, 0, tp);
      addInto(s, c, 1, tn);
      addInto(s, c, 2, fp);
      addInto(s, c, 3, fn);
    }
    const v = (k: number): number => (Number.isFinite(s[k]) ? s[k] + c[k] : s[k]) + eps;
    const TP = v(0);
    const TN = v(1);
    const FP = v(2);
    const FN = v(3);
    const a = TP + FP;
    const bb = TP + FN;
    const cc = TN + FP;
    const d = TN + FN;
    const den = Math.sqrt(a * bb * cc * d);
    const num = TP * TN - FP * FN;
    const m = num / den;
    if (grads !== null) {
      // dmcc/dX = (dnum/dX)/den − (m/2)·d log(a·b·c·d)/dX
      const h = m / 2;
      const gTP = TN / den - h * (1 / a + 1 / bb);
      const gTN = TP / den - h * (1 / cc + 1 / d);
      const gFP = -FN / den - h * (1 / a + 1 / cc);
      const gFN = -FP / den - h * (1 / bb + 1 / d);
      // loss = 1 − mcc; d/dp = −[t·gTP − (1 − t)·gTN + (1 − t)·gFP − t·gFN] = A + t·B
      const A = (gTN - gFP) * scale;
      const B = (gFN - gTP) * scale - A;
      const g = grads.input;
      for (let i = 0; i < n; i++) g[i] = A + t[i] * B;
    }
    return 1 - m;
  },
});
