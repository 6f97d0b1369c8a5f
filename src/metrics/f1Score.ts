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
    whenToUse:
      'One number that balances precision and recall: their harmonic mean, low when either is low. The usual summary for imbalanced binary problems and per-class reports; on pixels it is the Dice coefficient of segmentation.',
    caveats: [
      'It ignores true negatives: classifiers with very different false-alarm rates on the negatives can share one F1; add specificity when negatives matter.',
      "The averages answer different questions: 'micro' is dominated by frequent classes (for single-label multiclass it equals accuracy), 'macro' weighs every class alike, so a rare class moves it as much as a common one.",
      'Precision and recall count equally; use fbetaScore when one kind of error costs more.',
    ],
    notes: [
      ...COUNTING_NOTES,
      "F1 is fbetaScore with beta = 1 and equals diceScore; seed 002's tumour example (TP 20, FP 5, FN 10, TN 65) gives 40/55 = 0.7273.",
    ],
  },
  fromState: scoreFromOptions('fbeta'),
});
