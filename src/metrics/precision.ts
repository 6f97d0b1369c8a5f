import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** Precision, torchmetrics `torchmetrics.functional.precision` semantics (catalog section 9). */
export const precision = defineCountingMetric({
  meta: {
    id: 'precision',
    task: 'metrics',
    title: 'Precision',
    summary: 'Share of predicted positives that are true positives, per class and averaged.',
    formula: '\\mathrm{precision} = \\frac{TP}{TP + FP}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Precision',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/precision.html',
        implementation: 'torchmetrics.functional.precision',
      },
      {
        title: 'scikit-learn precision_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.precision_score.html',
        implementation: 'sklearn.metrics.precision_score',
      },
    ],
    examples: SCORE_EXAMPLES,
    notes: [...COUNTING_NOTES],
  },
  fromState: scoreFromOptions('precision'),
});
