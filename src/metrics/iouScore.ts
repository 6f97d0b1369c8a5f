import { COUNTING_NOTES, defineCountingMetric, SCORE_OPTIONS } from './counting.js';
import { scoreFromState } from './scores.js';

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
    examples: [
      {
        title: 'A 2×3 binary mask against its ground truth',
        inputs: {
          input: [
            [0.9, 0.8, 0.1],
            [0.3, 0.7, 0.2],
          ],
          target: [
            [1, 1, 0],
            [1, 0, 0],
          ],
        },
        options: { task: 'binary' },
      },
      {
        title: 'A 3-class label map with an ignored void label 255',
        inputs: {
          input: [
            [0, 1, 1],
            [2, 2, 0],
          ],
          target: [
            [0, 1, 255],
            [2, 1, 0],
          ],
        },
        options: { task: 'multiclass', numClasses: 3, average: 'macro', ignoreIndex: 255 },
      },
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: (state, o) =>
    scoreFromState(state, 'iou', {
      average: o.average,
      zeroDivision: o.zeroDivision,
      beta: 1,
      ignoreIndex: o.ignoreIndex,
    }),
});
