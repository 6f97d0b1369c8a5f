import { defineLoss } from '../../core/define.js';
import {
  CLASSES_OPTION,
  FROM_LOGITS_OPTION,
  IGNORE_INDEX_OPTION,
  MODE_OPTION,
  SEG_INPUT,
  SEG_TARGET,
} from './common.js';
import { OVERLAP_EXAMPLES } from './dice.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

/** Focal Tversky loss, Abraham & Khan's code form applied per class over the batch. */
export const focalTversky = defineLoss({
  meta: {
    id: 'focalTversky',
    task: 'segmentation',
    title: 'Focal Tversky loss',
    summary:
      'Mean over classes of (1 − TI_c)^γ with the Tversky index TI_c = (TP + s) / (TP + α·FP + β·FN + s) summed over the batch (Abraham & Khan).',
    formula:
      '\\mathcal{L} = \\frac{1}{|K|}\\sum_{c\\in K} m_c\\,(1 - TI_c)^{\\gamma},\\quad TI_c = \\frac{TP_c + s}{TP_c + \\alpha\\,FP_c + \\beta\\,FN_c + s},\\quad m_c = [\\textstyle\\sum_i t_{ic} > 0]',
    inputs: [SEG_INPUT, SEG_TARGET],
    options: {
      mode: MODE_OPTION,
      fromLogits: FROM_LOGITS_OPTION,
      alpha: {
        type: 'number',
        default: 0.3,
        min: 0,
        doc: 'Weight of the false positives FP (the code’s 1 − alpha = 0.3; the paper calls the FN weight α).',
      },
      beta: {
        type: 'number',
        default: 0.7,
        min: 0,
        doc: 'Weight of the false negatives FN (the code’s alpha = 0.7).',
      },
      gamma: {
        type: 'number',
        default: 0.75,
        min: 0,
        exclusiveMin: true,
        doc: 'Exponent of each class’s 1 − TI (the code’s 0.75 = 1/γ with the paper’s γ = 4/3).',
      },
      smooth: {
        type: 'number',
        default: 1,
        min: 0,
        doc: 'Added to numerator and denominator of TI (the code’s smooth = 1).',
      },
      ignoreIndex: IGNORE_INDEX_OPTION,
      classes: CLASSES_OPTION,
    },
    reductions: [],
    references: [
      {
        title:
          'Abraham, Khan, A Novel Focal Tversky Loss Function with Improved Attention U-Net for Lesion Segmentation (ISBI 2019)',
        url: 'https://arxiv.org/abs/1810.07842',
      },
      {
        title: 'nabsabraham/focal-tversky-unet losses.py (347d391): tversky, focal_tversky',
        url: 'https://github.com/nabsabraham/focal-tversky-unet/blob/master/losses.py',
        implementation:
          'focal_tversky (Keras), applied per class with smp-style absent-class masking',
      },
    ],
    examples: [
      OVERLAP_EXAMPLES[0],
      OVERLAP_EXAMPLES[1],
      {
        title: 'Multilabel probabilities, γ = 2 (focus on the worst class)',
        inputs: OVERLAP_EXAMPLES[2].inputs,
        options: { mode: 'multilabel', fromLogits: false, gamma: 2 },
      },
    ],
    whenToUse:
      'Small lesions and other tiny, imbalanced structures where plain dice or Tversky stalls: the Tversky index with β > α favours recall, and the exponent γ < 1 (0.75 by default) raises the loss of classes that are already fairly well segmented relative to hard ones less than linearly, which keeps the gradient alive near convergence; γ > 1 instead focuses on the worst classes.',
    caveats: [
      'α weighs FP and β FN here; the paper writes α for the FN weight (α = 0.7) and β for FP.',
      'γ < 1 makes the gradient blow up as a class’s TI approaches 1 ((1 − TI)^(γ − 1)); the paper trains the last layer with plain Tversky for that reason.',
      'The code form (1 − TI)^γ differs from the paper’s figure 1 − TI^γ.',
      'Classes absent from the batch contribute 0 and count in the mean (smp convention, catalog); the original code scores one flattened foreground.',
    ],
    notes: [
      'gamma = 1 equals tversky with the same alpha, beta and smooth (whose eps clamp never binds here).',
      "papers.md's check values: g = (1,1,0,0,1), p = (.9,.6,.2,.4,.3) gives TI 0.7329843 and loss 0.3714519.",
    ],
  },
  prepare: (inputs, o, id): OverlapPlan =>
    prepareOverlap(
      id,
      inputs.input,
      inputs.target,
      { ...o, classWeights: null, perImage: false },
      {
        k: 1,
        a: o.alpha,
        b: o.beta,
        smooth: o.smooth,
        eps: 0,
        logLoss: false,
        outerGamma: 1,
        focalGamma: o.gamma,
      },
    ),
  writesEveryGrad: true,
  kernel: (plan: OverlapPlan, _out, grads, _seed, scale) =>
    overlapKernel(plan, grads === null ? null : grads.input, scale),
});
