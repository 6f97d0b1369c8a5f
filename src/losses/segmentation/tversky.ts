import { defineLoss } from '../../core/define.js';
import { SEG_INPUT, SEG_TARGET } from './common.js';
import { OVERLAP_EXAMPLES, OVERLAP_OPTIONS } from './dice.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

/** Tversky loss, smp `TverskyLoss` (α on FP, β on FN, γ on the aggregated loss). */
export const tversky = defineLoss({
  meta: {
    id: 'tversky',
    task: 'segmentation',
    title: 'Tversky loss',
    summary:
      'One minus the Tversky index TP / (TP + α·FP + β·FN) per class, aggregated over the batch, averaged over classes and raised to γ (smp).',
    formula:
      '\\mathcal{L} = \\Big(\\frac{\\sum_{c\\in K} w_c\\, m_c\\, \\ell_c}{\\sum_{c\\in K} w_c}\\Big)^{\\gamma},\\quad \\ell_c = 1 - \\frac{TP_c + s}{\\max(TP_c + \\alpha\\,FP_c + \\beta\\,FN_c + s,\\ \\varepsilon)},\\quad FP_c = \\sum_i p_{ic}(1 - t_{ic}),\\ FN_c = \\sum_i (1 - p_{ic}) t_{ic}',
    inputs: [SEG_INPUT, SEG_TARGET],
    options: {
      ...OVERLAP_OPTIONS,
      alpha: {
        type: 'number',
        default: 0.5,
        min: 0,
        doc: 'Weight of the false positives FP (smp alpha; Salehi et al.’s α).',
      },
      beta: {
        type: 'number',
        default: 0.5,
        min: 0,
        doc: 'Weight of the false negatives FN (smp beta). β > α favours recall.',
      },
      gamma: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'Exponent applied to the aggregated (class-mean) loss, as smp; 1 = plain Tversky.',
      },
    },
    reductions: [],
    references: [
      {
        title:
          'Salehi, Erdogmus, Gholipour, Tversky loss function for image segmentation using 3D fully convolutional deep networks (MLMI 2017)',
        url: 'https://arxiv.org/abs/1706.05721',
      },
      {
        title:
          'segmentation_models_pytorch TverskyLoss (qubvel/segmentation_models.pytorch bd7f877, losses/tversky.py; class_weights as qubvel-org 5006616)',
        url: 'https://github.com/qubvel-org/segmentation_models.pytorch/blob/main/segmentation_models_pytorch/losses/tversky.py',
        implementation: 'segmentation_models_pytorch.losses.TverskyLoss',
      },
    ],
    examples: [
      ...OVERLAP_EXAMPLES,
      {
        title: 'Recall-weighted (α = 0.3, β = 0.7) with γ = 0.75 on binary masks',
        inputs: OVERLAP_EXAMPLES[0].inputs,
        options: { mode: 'binary', alpha: 0.3, beta: 0.7, gamma: 0.75 },
      },
    ],
    whenToUse:
      'Imbalanced segmentation where missing foreground costs more than false alarms (small lesions): weighting false negatives more than false positives (β > α, e.g. 0.7 / 0.3 as Salehi et al.) trades precision for recall, which plain dice (α = β = 0.5) cannot.',
    caveats: [
      'alpha weighs FP and beta FN here (smp, Salehi); Abraham & Khan’s focal Tversky paper uses the opposite letters.',
      'gamma is applied to the class mean (smp), not to each class as focalTversky does.',
      'Like dice it ignores classes absent from the batch and trains unstably alone; combine with a pixelwise loss.',
    ],
    notes: [
      'alpha = beta = 0.5 with smooth = 0 equals dice; alpha = beta = 1 equals jaccard.',
      'With perImage, gamma is applied to the mean over images of the class means.',
    ],
  },
  prepare: (inputs, o, id): OverlapPlan =>
    prepareOverlap(id, inputs.input, inputs.target, o, {
      k: 1,
      a: o.alpha,
      b: o.beta,
      smooth: o.smooth,
      eps: o.eps,
      logLoss: o.logLoss,
      outerGamma: o.gamma,
      focalGamma: null,
    }),
  writesEveryGrad: true,
  kernel: (plan: OverlapPlan, _out, grads, _seed, scale) =>
    overlapKernel(plan, grads === null ? null : grads.input, scale),
});
