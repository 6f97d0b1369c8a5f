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
    whenToUse:
      'When misses are what cost: of the truly positive items, the share that were found (screening, fraud and defect detection). Multiclass recall per class is the per-class accuracy, and its macro average is balanced accuracy.',
    caveats: [
      'Predicting every item positive gives recall 1: read it next to precision or specificity.',
      'It depends on the cut (score > threshold): lowering the threshold trades precision for recall. Scores are never passed through a sigmoid.',
      'A class absent from the targets has recall 0/0, whose value zeroDivision decides.',
    ],
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('recall'),
});
