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
    whenToUse:
      "The share of correct predictions, for roughly balanced classes where every error costs the same. For multiclass problems 'macro' gives the mean per-class recall (balanced accuracy), the better choice when the classes are imbalanced.",
    caveats: [
      "On imbalanced data the plain ('micro') accuracy misleads: with 99% negatives, always predicting negative scores 0.99.",
      'Binary and multilabel accuracy count true negatives: on sparse multilabel targets it is high even when no positive label is found.',
      'For scores it depends on the cut threshold; scores are never passed through a sigmoid.',
    ],
    notes: [
      ...COUNTING_NOTES,
      "Multiclass accuracy per class is the recall tp / (tp + fn) and 'macro' averages it over present classes (torchmetrics _accuracy_reduce); 'micro' is the share of correct predictions. Binary and multilabel use (tp + tn) / all.",
    ],
  },
  fromState: scoreFromOptions('accuracy'),
});
