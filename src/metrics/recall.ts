import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** Recall (sensitivity), torchmetrics `torchmetrics.functional.recall` semantics (catalog section 9). */
export const recall = defineCountingMetric({
  meta: {
    id: 'recall',
    task: 'metrics',
    title: 'Recall (sensitivity)',
    summary: 'Share of true positives that are predicted positive, per class and averaged.',
    formula: '\\mathrm{recall} = \\frac{TP}{TP + FN}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Recall (sensitivity)',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/recall.html',
        implementation: 'torchmetrics.functional.recall',
      },
      {
        title: 'scikit-learn recall_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.recall_score.html',
        implementation: 'sklearn.metrics.recall_score',
      },
    ],
    examples: SCORE_EXAMPLES,
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('recall'),
});
