import { COUNTING_NOTES, defineCountingMetric, MASK_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** IoU (Jaccard index) for masks and labels (catalog section 9). */
export const iouScore = defineCountingMetric({
  meta: {
    id: 'iouScore',
    task: 'metrics',
    title: 'IoU (Jaccard index)',
    summary:
      'Intersection over union of predicted and true masks, TP / (TP + FP + FN), per class and averaged.',
    formula: '\\mathrm{IoU} = \\frac{TP}{TP + FP + FN} = \\frac{|X \\cap Y|}{|X \\cup Y|}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics JaccardIndex',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/jaccard_index.html',
        implementation: 'torchmetrics.functional.jaccard_index',
      },
      {
        title: 'scikit-learn jaccard_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.jaccard_score.html',
        implementation: 'sklearn.metrics.jaccard_score',
      },
    ],
    examples: MASK_EXAMPLES,
    whenToUse:
      'The standard score of segmentation masks (mean IoU over classes): overlap divided by union of the predicted and true regions, TP / (TP + FP + FN). Stricter than Dice on the same masks: IoU = Dice / (2 − Dice).',
    caveats: [
      'Small objects are judged harshly: a one-pixel shift can halve the IoU of a small mask and barely move that of a large one.',
      "A class absent from both prediction and target has IoU 0/0: zeroDivision decides it and 'macro' drops such multiclass classes. Counts are pooled over the whole input, so the value differs from a mean of per-image IoUs.",
      'It scores thresholded labels and has no gradient: train with the jaccard loss, its soft counterpart.',
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('iou'),
});
