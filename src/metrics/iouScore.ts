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
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('iou'),
});
