import { defineLoss } from '../../core/define.js';
import {
  CLASS_WEIGHTS_OPTION,
  CLASSES_OPTION,
  FROM_LOGITS_OPTION,
  IGNORE_INDEX_OPTION,
  LOG_LOSS_OPTION,
  MODE_OPTION,
  PER_IMAGE_OPTION,
  SEG_INPUT,
  SEG_TARGET,
} from './common.js';
import { EXAMPLE_IMAGE_LOGITS, EXAMPLE_IMAGE_TARGET } from './examples.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

export const SMOOTH_OPTION = {
  type: 'number',
  default: 0,
  min: 0,
  doc: 'Added to numerator and denominator of each score (smp smooth).',
} as const;

export const EPS_OPTION = {
  type: 'number',
  default: 1e-7,
  min: 0,
  doc: 'Lower clamp of each score’s denominator (and of the score under logLoss), smp eps.',
} as const;

/** The options of dice and jaccard (tversky adds alpha, beta, gamma). */
export const OVERLAP_OPTIONS = {
  mode: MODE_OPTION,
  fromLogits: FROM_LOGITS_OPTION,
  smooth: SMOOTH_OPTION,
  eps: EPS_OPTION,
  ignoreIndex: IGNORE_INDEX_OPTION,
  classes: CLASSES_OPTION,
  logLoss: LOG_LOSS_OPTION,
  classWeights: CLASS_WEIGHTS_OPTION,
  perImage: PER_IMAGE_OPTION,
} as const;

/** Examples shared in spirit by the overlap losses: one per mode, away from the eps clamp. */
export const OVERLAP_EXAMPLES = [
  {
    title: 'Binary masks of two 2×2 images (logits)',
    inputs: {
      input: [
        [
          [
            [1.5, -0.8],
            [0.3, -2.0],
          ],
        ],
        [
          [
            [-0.4, 0.9],
            [2.2, -1.1],
          ],
        ],
      ],
      target: [
        [
          [1, 0],
          [1, 0],
        ],
        [
          [0, 1],
          [1, 1],
        ],
      ],
    },
    options: { mode: 'binary' },
  },
  {
    title: 'Three classes on one 2×3 image, class 2 absent from the target',
    inputs: {
      input: [EXAMPLE_IMAGE_LOGITS],
      target: [EXAMPLE_IMAGE_TARGET],
    },
    options: { mode: 'multiclass' },
  },
  {
    title: 'Multilabel probabilities scored per image, with class weights',
    inputs: {
      input: [
        [
          [0.8, 0.3, 0.6],
          [0.2, 0.7, 0.4],
        ],
        [
          [0.1, 0.9, 0.5],
          [0.6, 0.35, 0.75],
        ],
      ],
      target: [
        [
          [1, 0, 1],
          [0, 1, 0],
        ],
        [
          [0, 1, 1],
          [1, 0, 1],
        ],
      ],
    },
    options: { mode: 'multilabel', fromLogits: false, perImage: true, classWeights: [1, 2] },
  },
];

/** Dice loss, smp `DiceLoss` (intersection Σ p·t, per class over the batch). */
export const dice = defineLoss({
  meta: {
    id: 'dice',
    task: 'segmentation',
    title: 'Dice loss',
    summary:
      'One minus the soft Dice coefficient 2·TP / (Σp + Σt) per class, aggregated over the batch and averaged over classes (smp).',
    formula:
      '\\mathcal{L} = \\frac{\\sum_{c\\in K} w_c\\, m_c\\, \\ell_c}{\\sum_{c\\in K} w_c},\\quad \\ell_c = 1 - \\frac{2\\,TP_c + s}{\\max(\\sum_i p_{ic} + \\sum_i t_{ic} + s,\\ \\varepsilon)},\\quad TP_c = \\sum_i p_{ic} t_{ic},\\quad m_c = [\\textstyle\\sum_i t_{ic} > 0]',
    inputs: [SEG_INPUT, SEG_TARGET],
    options: OVERLAP_OPTIONS,
    reductions: [],
    references: [
      {
        title:
          'Milletari, Navab, Ahmadi, V-Net: Fully Convolutional Neural Networks for Volumetric Medical Image Segmentation (3DV 2016)',
        url: 'https://arxiv.org/abs/1606.04797',
      },
      {
        title:
          'segmentation_models_pytorch DiceLoss (qubvel/segmentation_models.pytorch bd7f877, losses/dice.py; class_weights from qubvel-org 5006616)',
        url: 'https://github.com/qubvel-org/segmentation_models.pytorch/blob/main/segmentation_models_pytorch/losses/dice.py',
        implementation: 'segmentation_models_pytorch.losses.DiceLoss',
      },
    ],
    examples: OVERLAP_EXAMPLES,
    whenToUse:
      'Segmentation with a small foreground (tumours, buildings, vessels): the Dice coefficient 2TP / (2TP + FP + FN) equals F1, so minimising dice loss optimises F1 directly and the many easy background pixels do not swamp the few foreground ones, as they do in pixelwise cross-entropy. Training concentrates on mining the foreground (seed 002).',
    caveats: [
      'Plain dice loss trains unstably (its gradient depends on the ratio of small sums and jumps as the prediction changes); the usual remedy is to add cross-entropy or focal loss: diceCrossEntropy, diceFocal.',
      'A class with no target pixel in the batch contributes 0 whatever is predicted (smp), so false positives on empty masks go unpunished; it still counts in the class mean.',
      'Scores are summed over the whole batch per class (not per image) unless perImage is true, so large objects dominate small ones.',
      'Soft targets use the intersection Σ p·t (smp up to 2024); smp since 2025 uses Σ min(p, t) instead, which differs for soft labels.',
    ],
    notes: [
      'tversky with alpha = beta = 0.5 and smooth = 0 equals dice; on hard masks dice loss = 1 − F1 (f1Score).',
      'Ignored pixels (target = ignoreIndex) are left out of every sum, as smp zeroes them (a NaN logit there does not propagate, unlike smp).',
      'perImage and classWeights in combination: the mean over images of the weighted class mean.',
    ],
  },
  prepare: (inputs, o, id): OverlapPlan =>
    prepareOverlap(id, inputs.input, inputs.target, o, {
      k: 2,
      a: 1,
      b: 1,
      smooth: o.smooth,
      eps: o.eps,
      logLoss: o.logLoss,
      outerGamma: 1,
      focalGamma: null,
    }),
  writesEveryGrad: true,
  kernel: (plan: OverlapPlan, _out, grads, _seed, scale) =>
    overlapKernel(plan, grads === null ? null : grads.input, scale),
});
