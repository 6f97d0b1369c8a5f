import { COUNTING_NOTES, defineCountingMetric, SCORE_EXAMPLES, SCORE_OPTIONS } from './counting.js';
import { scoreFromOptions } from './scores.js';

/** Accuracy, torchmetrics `torchmetrics.functional.accuracy` semantics (catalog section 9). */
export const accuracy = defineCountingMetric({
  meta: {
    id: 'accuracy',
    task: 'metrics',
    title: 'Accuracy',
    summary:
      'Share of correct predictions; multiclass macro is the mean per-class recall (torchmetrics).',
    formula:
      '\\mathrm{acc} = \\frac{TP + TN}{TP + TN + FP + FN}\\ \\text{(binary, multilabel)},\\quad \\mathrm{acc}_c = \\frac{TP_c}{TP_c + FN_c}\\ \\text{(multiclass)}',
    options: SCORE_OPTIONS,
    references: [
      {
        title: 'TorchMetrics Accuracy',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/accuracy.html',
        implementation: 'torchmetrics.functional.accuracy',
      },
      {
        title: 'scikit-learn accuracy_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.accuracy_score.html',
        implementation:
          'sklearn.metrics.accuracy_score (micro), balanced_accuracy_score (macro without absent classes)',
      },
    ],
    examples: SCORE_EXAMPLES,
    notes: [
      ...COUNTING_NOTES,
      "Multiclass accuracy per class is the recall tp / (tp + fn) and 'macro' averages it over present classes (torchmetrics _accuracy_reduce); 'micro' is the share of correct predictions. Binary and multilabel use (tp + tn) / all.",
    ],
  },
  fromState: scoreFromOptions('accuracy'),
});
