import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** F1 score, torchmetrics `torchmetrics.functional.f1_score` semantics (catalog section 9). */
export const f1Score = defineCountingMetric({
  meta: {
    id: 'f1Score',
    task: 'metrics',
    title: 'F1 score',
    summary:
      'Harmonic mean of precision and recall, 2TP / (2TP + FP + FN); equals the Dice coefficient.',
    formula: 'F_1 = \\frac{2\\,TP}{2\\,TP + FP + FN}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics F1 score',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/f1.html',
        implementation: 'torchmetrics.functional.f1_score',
      },
      {
        title: 'scikit-learn f1_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.f1_score.html',
        implementation: 'sklearn.metrics.f1_score',
      },
    ],
    examples: SCORE_EXAMPLES,
    notes: [
      ...COUNTING_NOTES,
      "F1 is fbetaScore with beta = 1 and equals diceScore; seed 002's tumour example (TP 20, FP 5, FN 10, TN 65) gives 40/55 = 0.7273.",
    ],
  },
  fromState: scoreFromOptions('fbeta'),
});
