import {
  AVERAGE_OPTION,
  COUNTING_NOTES,
  defineCountingMetric,
  IGNORE_INDEX_OPTION,
  NUM_CLASSES_OPTION,
  TASK_OPTION,
  THRESHOLD_OPTION,
  ZERO_DIVISION_OPTION,
} from './counting.js';
import { scoreFromOptions } from './scores.js';

/** F-beta score, torchmetrics `torchmetrics.functional.fbeta_score` semantics (catalog section 9). */
export const fbetaScore = defineCountingMetric({
  meta: {
    id: 'fbetaScore',
    task: 'metrics',
    title: 'F-beta score',
    summary: 'Weighted harmonic mean of precision and recall; beta > 1 favours recall.',
    formula: 'F_\\beta = \\frac{(1+\\beta^2)\\,TP}{(1+\\beta^2)\\,TP + \\beta^2\\,FN + FP}',
    options: {
      task: TASK_OPTION,
      numClasses: NUM_CLASSES_OPTION,
      average: AVERAGE_OPTION,
      beta: {
        type: 'number',
        default: 1,
        min: 0,
        exclusiveMin: true,
        doc: 'Weight of recall against precision (beta = 1 gives F1).',
      },
      threshold: THRESHOLD_OPTION,
      zeroDivision: ZERO_DIVISION_OPTION,
      ignoreIndex: IGNORE_INDEX_OPTION,
    },
    references: [
      {
        title: 'TorchMetrics FBetaScore',
        url: 'https://lightning.ai/docs/torchmetrics/stable/classification/fbeta_score.html',
        implementation: 'torchmetrics.functional.fbeta_score',
      },
      {
        title: 'scikit-learn fbeta_score',
        url: 'https://scikit-learn.org/stable/modules/generated/sklearn.metrics.fbeta_score.html',
        implementation: 'sklearn.metrics.fbeta_score',
      },
    ],
    examples: [
      {
        title: 'Binary scores cut at 0.5, beta = 2',
        inputs: { input: [0.9, 0.2, 0.7, 0.4, 0.8, 0.1], target: [1, 0, 0, 1, 1, 0] },
        options: { task: 'binary', beta: 2 },
      },
      {
        title: 'Three classes from labels, weighted average, beta = 0.5',
        inputs: { input: [0, 1, 2, 1, 0, 2], target: [0, 1, 1, 1, 2, 2] },
        options: { task: 'multiclass', numClasses: 3, average: 'weighted', beta: 0.5 },
      },
    ],
    whenToUse:
      'F1 with a knob for which error costs more: beta > 1 weighs recall beta times as much as precision (F2 for screening, where a miss is worse than a false alarm), beta < 1 favours precision (F0.5 for alerts a person must check).',
    caveats: [
      'Choose beta from the costs of the two errors before looking at results: tuned afterwards, it can be made to favour any model.',
      'Like F1 it ignores true negatives and depends on the cut threshold; scores are never passed through a sigmoid.',
    ],
    notes: [
      ...COUNTING_NOTES,
      'The ratio is computed from counts, (1+β²)TP / ((1+β²)TP + β²FN + FP), as torchmetrics _fbeta_reduce; it is zeroDivision only when TP = FP = FN = 0.',
    ],
  },
  fromState: scoreFromOptions('fbeta'),
});
