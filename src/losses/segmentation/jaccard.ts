import { defineLoss } from '../../core/define.js';
import { SEG_INPUT, SEG_TARGET } from './common.js';
import { OVERLAP_EXAMPLES, OVERLAP_OPTIONS } from './dice.js';
import type { OverlapPlan } from './overlap.js';
import { overlapKernel, prepareOverlap } from './overlap.js';

/** Jaccard (soft IoU) loss, smp `JaccardLoss` (intersection Σ p·t, per class over the batch). */
export const jaccard = defineLoss({
  meta: {
    id: 'jaccard',
    task: 'segmentation',
    title: 'Jaccard (soft IoU) loss',
    summary:
      'One minus the soft intersection over union TP / (Σp + Σt − TP) per class, aggregated over the batch and averaged over classes (smp).',
    formula:
      '\\mathcal{L} = \\frac{\\sum_{c\\in K} w_c\\, m_c\\, \\ell_c}{\\sum_{c\\in K} w_c},\\quad \\ell_c = 1 - \\frac{TP_c + s}{\\max(\\sum_i p_{ic} + \\sum_i t_{ic} - TP_c + s,\\ \\varepsilon)},\\quad TP_c = \\sum_i p_{ic} t_{ic},\\quad m_c = [\\textstyle\\sum_i t_{ic} > 0]',
    inputs: [SEG_INPUT, SEG_TARGET],
    options: OVERLAP_OPTIONS,
    reductions: [],
    references: [
      {
        title:
          'Rahman, Wang, Optimizing Intersection-Over-Union in Deep Neural Networks for Image Segmentation (ISVC 2016)',
        url: 'https://doi.org/10.1007/978-3-319-50835-1_22',
      },
      {
        title:
          'segmentation_models_pytorch JaccardLoss (qubvel/segmentation_models.pytorch bd7f877, losses/jaccard.py; ignore_index and class_weights as qubvel-org 5006616)',
        url: 'https://github.com/qubvel-org/segmentation_models.pytorch/blob/main/segmentation_models_pytorch/losses/jaccard.py',
        implementation: 'segmentation_models_pytorch.losses.JaccardLoss',
      },
    ],
    examples: OVERLAP_EXAMPLES,
    whenToUse:
      'When the evaluation metric is IoU (mIoU on Pascal VOC, Cityscapes, building extraction): the soft Jaccard loss of seed 000 is a differentiable surrogate of IoU that, like dice, is insensitive to the number of easy background pixels and so suits imbalanced foregrounds.',
    caveats: [
      'Like dice it trains unstably on its own; combine it with a pixelwise loss (cross-entropy or focal) or use lovaszSoftmax, whose surrogate of IoU is convex per image.',
      'A class with no target pixel in the batch contributes 0 whatever is predicted (smp) and still counts in the class mean.',
      'Jaccard penalises errors more than dice at the same overlap (J = D / (2 − D)), so its gradients are larger on poor predictions.',
    ],
    notes: [
      'tversky with alpha = beta = 1 equals jaccard.',
      'smp bd7f877 JaccardLoss has no ignore_index; losskit ignores pixels as smp DiceLoss does (and as later smp JaccardLoss).',
    ],
  },
  prepare: (inputs, o, id): OverlapPlan =>
    prepareOverlap(id, inputs.input, inputs.target, o, {
      k: 1,
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
